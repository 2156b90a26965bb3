from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"

    def ready(self) -> None:
        # The marketplace announces; the duties app, above it, credits the ledger and answers
        # the quota question. Nothing in the marketplace imports this app.
        from duties import jobs, receivers  # noqa: F401  (connects the receivers; registers the jobs' runners)
