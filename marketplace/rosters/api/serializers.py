"""Shapes of the rosters API. Parsing and rendering only; the rules live in the services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.rosters.models import (
    NOTE_MAX,
    PEOPLE_MAX,
    DutyShift,
    DutyStation,
    HalfDay,
    HelpGiven,
    ServedShift,
    ShiftSwap,
    StationKind,
)
from organizations.models import Organization, Region


class StationSerializer(ReadOnlyModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = DutyStation
        fields = ["id", "name", "kind", "organization", "organization_name", "region", "region_name", "address"]


class StationCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text=_("The legal aid centre or station organisation running it.")
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=StationKind.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    address = optional_text(255)


class BulkShiftsSerializer(serializers.Serializer):
    station = serializers.IntegerField(min_value=1, help_text=_("The station whose shifts these are."))
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        help_text=_("0 is Monday, 6 Sunday."),
    )
    half_days = serializers.ListField(
        child=serializers.ChoiceField(choices=HalfDay.choices), min_length=1, max_length=2
    )
    seats = serializers.IntegerField(min_value=1, max_value=20, default=1, help_text=_("Lawyers a shift."))
    location = optional_text(255)
    summary = optional_text(2000)
    eligible_kinds = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text=_('Lawyers only: anything but ["lawyer"] is refused (lawyers_only).'),
    )


class ShiftSerializer(ReadOnlyModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    title = serializers.CharField(source="task.title", read_only=True)
    status = serializers.CharField(source="task.status", read_only=True)
    starts_at = serializers.DateTimeField(source="task.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="task.ends_at", read_only=True)
    seats = serializers.IntegerField(source="task.seats", read_only=True)
    seats_taken = serializers.IntegerField(source="task.seats_taken", read_only=True)

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "task",
            "station",
            "station_name",
            "date",
            "half_day",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "seats",
            "seats_taken",
        ]


class BulkShiftsResultSerializer(serializers.Serializer):
    created = ShiftSerializer(many=True)
    skipped = serializers.ListField(
        child=serializers.DictField(), help_text=_("Slots already posted: {date, half_day}.")
    )


class SwapRequestSerializer(serializers.Serializer):
    licence_number = serializers.CharField(
        max_length=64, help_text=_("The practice licence number (执业证号) of the lawyer taking the shift.")
    )
    reason = optional_text(500)


# A record about one shift (a swap of it, its service), shown with the shift's task and station.
# No docstring: drf-spectacular would publish it as the description of the records.
class _OfShiftSerializer(ReadOnlyModelSerializer):
    task = serializers.IntegerField(source="shift.task_id", read_only=True)
    station = serializers.IntegerField(source="shift.station_id", read_only=True)


class SwapSerializer(_OfShiftSerializer):
    shift_title = serializers.CharField(source="shift.task.title", read_only=True)
    from_name = serializers.CharField(source="from_volunteer.display_name", read_only=True)
    to_name = serializers.CharField(source="to_volunteer.display_name", read_only=True)

    class Meta:
        model = ShiftSwap
        fields = [
            "id",
            "task",
            "station",
            "shift_title",
            "claim",
            "from_volunteer",
            "from_name",
            "to_volunteer",
            "to_name",
            "reason",
            "status",
            "decided_at",
            "decision_note",
            "new_claim",
            "created_at",
        ]


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ServedSerializer(serializers.Serializer):
    help_given = serializers.ListField(
        child=serializers.ChoiceField(choices=HelpGiven.choices), max_length=len(HelpGiven.values), default=list
    )
    people_helped = serializers.IntegerField(min_value=0, max_value=PEOPLE_MAX)
    note = optional_text(NOTE_MAX)
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The hours credited; the shift's length when left out, never more."),
    )


class ServedShiftSerializer(_OfShiftSerializer):
    date = serializers.DateField(source="shift.date", read_only=True)
    half_day = serializers.CharField(source="shift.half_day", read_only=True)
    help_given = serializers.ListField(child=serializers.ChoiceField(choices=HelpGiven.choices), read_only=True)

    class Meta:
        model = ServedShift
        fields = [
            "id",
            "claim",
            "task",
            "station",
            "date",
            "half_day",
            "volunteer",
            "help_given",
            "people_helped",
            "note",
            "hours",
            "recorded_at",
        ]
