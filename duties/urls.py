"""Public pages of the duties app (certificate verification)."""

urlpatterns: list = []
