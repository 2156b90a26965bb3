from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence requests (调查取证): the handler of a case asks a government department for
    materials, free of charge (the 2004 Changzhou opinion; Legal Aid Law Art. 53)."""

    name = "marketplace.evidence"
    label = "evidence"
    verbose_name = _("Evidence requests")
