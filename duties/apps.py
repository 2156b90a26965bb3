from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"
