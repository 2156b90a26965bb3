"""Duty-lawyer rosters (值班律师, Legal Aid Law Art. 14 and 30).

A ``DutyStation`` is a legal aid station (法律援助工作站) at a court, a procuratorate or a
detention centre, run by an organisation whose coordinators post its shifts. Each shift is an
``AidTask`` of kind ``duty_shift`` (so claims, the board, calendar links, the overlap rule and
hours work as for any task) with a ``DutyShift`` row naming its station, day and half-day. A
lawyer hands an accepted shift to another lawyer with a ``ShiftSwap`` the station approves; the
station records each shift served (``ServedShift``: the help given), which credits its hours.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.core.fields import Decided, acting_user


class StationKind(models.TextChoices):
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")


class HalfDay(models.TextChoices):
    MORNING = "morning", pgettext_lazy("half-day", "Morning")
    AFTERNOON = "afternoon", pgettext_lazy("half-day", "Afternoon")


class DutyStation(models.Model):
    """A station where duty lawyers sit, run by ``organization`` (a legal aid centre, or a
    station organisation): that organisation's coordinators post its shifts and approve swaps."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="duty_stations",
        verbose_name=_("run by"),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=StationKind.choices)
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The station's own half-day hours; empty: DUTY_MORNING and DUTY_AFTERNOON (settings).
    morning_starts = models.TimeField(_("morning starts"), null=True, blank=True)
    morning_ends = models.TimeField(_("morning ends"), null=True, blank=True)
    afternoon_starts = models.TimeField(_("afternoon starts"), null=True, blank=True)
    afternoon_ends = models.TimeField(_("afternoon ends"), null=True, blank=True)
    created_by = acting_user(optional=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_starts__isnull=True) | Q(morning_ends__gt=models.F("morning_starts")),
                name="rosters_station_morning_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(afternoon_starts__isnull=True) | Q(afternoon_ends__gt=models.F("afternoon_starts")),
                name="rosters_station_afternoon_ends_after_start",
            ),
        ]
        verbose_name = _("duty station")
        verbose_name_plural = _("duty stations")

    def __str__(self) -> str:
        return self.name

    def hours_of(self, half_day: str) -> tuple[time, time]:
        """When ``half_day`` starts and ends at this station (local time)."""
        if half_day == HalfDay.MORNING:
            own, default = (self.morning_starts, self.morning_ends), settings.DUTY_MORNING
        else:
            own, default = (self.afternoon_starts, self.afternoon_ends), settings.DUTY_AFTERNOON
        if own[0] is not None and own[1] is not None:
            return own
        return time.fromisoformat(default[0]), time.fromisoformat(default[1])


class DutyShift(models.Model):
    """The roster's side of a ``duty_shift`` task: which station, which day, which half-day."""

    task = models.OneToOneField("marketplace.AidTask", on_delete=models.PROTECT, related_name="duty_shift")
    station = models.ForeignKey(DutyStation, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("date"))
    half_day = models.CharField(_("half-day"), max_length=16, choices=HalfDay.choices)

    class Meta:
        ordering = ["date", "half_day", "id"]
        indexes = [
            # A station's roster by day; the bulk posting's check for slots already posted.
            models.Index(fields=["station", "date"], name="rosters_shift_station_date_idx"),
            # Uncovered shifts in the coming days, every station's.
            models.Index(fields=["date"], name="rosters_shift_date_idx"),
        ]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")

    def __str__(self) -> str:
        return f"{self.station} {self.date} {self.get_half_day_display()}"


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the station")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ShiftSwap(Decided):
    """A lawyer asks to hand an accepted shift to another lawyer; the station approves or refuses.
    On approval the claim moves: the asker's claim is withdrawn and ``new_claim`` is the receiving
    lawyer's, accepted, in one transaction (the seat never leaves the shift)."""

    shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="swaps")
    claim = models.ForeignKey("marketplace.Claim", on_delete=models.PROTECT, related_name="+")
    from_volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    new_claim = models.ForeignKey(
        "marketplace.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(status="pending"), name="rosters_shiftswap_one_pending_per_claim"
            ),
            models.CheckConstraint(
                condition=~Q(from_volunteer=models.F("to_volunteer")), name="rosters_shiftswap_to_another"
            ),
        ]
        indexes = [
            # The station's queue of swaps awaiting approval.
            models.Index(fields=["status", "shift"], name="rosters_swap_status_idx"),
        ]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")

    @property
    def is_pending(self) -> bool:
        return self.status == SwapStatus.PENDING


class HelpGiven(models.TextChoices):
    """What a duty lawyer did for the people who came (值班律师法律帮助, Art. 30)."""

    ADVICE = "advice", _("Legal advice")
    PROCEDURE = "procedure", _("Procedure explained")
    PLEA_PRESENT = "plea_present", _("Present at a plea agreement")
    BAIL_CHANGE = "bail_change", _("Request to change a compulsory measure")
    OTHER = "other", _("Other")


NOTE_MAX = 1000
PEOPLE_MAX = 999


class ServedShift(models.Model):
    """A shift served, recorded by its station once per claim: the help given, how many people
    were helped, and the hours credited (through a confirmed hour log, duties.receivers)."""

    claim = models.OneToOneField("marketplace.Claim", on_delete=models.PROTECT, related_name="served_shift")
    shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="served")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="+")
    help_given = models.JSONField(_("help given"), default=list)
    people_helped = models.PositiveSmallIntegerField(_("people helped"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    recorded_by = acting_user(outlives_user=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="rosters_servedshift_hours_positive"),
        ]
        verbose_name = _("served shift")
        verbose_name_plural = _("served shifts")

    def help_labels(self) -> list[str]:
        labels = dict(HelpGiven.choices)
        return [str(labels.get(code, code)) for code in self.help_given]
