from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases (承办): progress, documents, termination, the closing report and its review, quality."""

    name = "marketplace.cases"
    label = "cases"
    verbose_name = _("Cases")
