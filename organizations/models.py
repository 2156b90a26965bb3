from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division, keyed by its GB/T 2260 code.

    ``path`` lists the codes from the root down to this region ("320000/320400/320402/"), so
    "this region and everything under it" is one indexed prefix match.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    LEGAL_AID_CENTER = "legal_aid_center", _("Legal aid centre")
    JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
    LAWYERS_ASSOCIATION = "lawyers_association", _("Lawyers' association")
    TRADE_UNION = "trade_union", _("Trade union")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")
    DISABILITY_FEDERATION = "disability_federation", _("Disability federation")
    YOUTH_LEAGUE = "youth_league", _("Youth League")
    LAW_SCHOOL = "law_school", _("Law school clinic")
    COMMUNITY_STATION = "community_station", _("Community station")
    LAW_FIRM = "law_firm", _("Law firm")
    GOVERNMENT_DEPARTMENT = "government_department", _("Government department")


REGULATOR_KINDS = (OrganizationKind.JUSTICE_BUREAU, OrganizationKind.LAWYERS_ASSOCIATION)
# Organisations that run legal aid stations (工作站): they register and forward applications.
STATION_KINDS = (
    OrganizationKind.TRADE_UNION,
    OrganizationKind.WOMENS_FEDERATION,
    OrganizationKind.DISABILITY_FEDERATION,
    OrganizationKind.YOUTH_LEAGUE,
    OrganizationKind.LAW_SCHOOL,
    OrganizationKind.COMMUNITY_STATION,
)
# Organisations that post aid tasks for their people: the centres, the stations' organisations,
# government departments and justice bureaus.
POSTING_KINDS = (
    OrganizationKind.LEGAL_AID_CENTER,
    *STATION_KINDS,
    OrganizationKind.GOVERNMENT_DEPARTMENT,
    OrganizationKind.JUSTICE_BUREAU,
)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    REVIEWER = "reviewer", _("Reviewer")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="organizations_membership_unique_role"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"
