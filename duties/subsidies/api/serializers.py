"""Subsidy serializers: they parse and show; the services decide."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duties.subsidies.models import SubsidyBatch, SubsidyKind, SubsidyLine, SubsidySchedule, SubsidyStatus
from duties.subsidies.services import GRADES
from marketplace.cases.models import QualityGrade
from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.models import CASE_KINDS, CriminalStage, TaskKind
from organizations.models import Region

ZERO = Decimal("0.00")


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=ZERO, **kwargs)


class SubsidyRateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in CASE_KINDS])
    stage = serializers.ChoiceField(choices=CriminalStage.choices, required=False, allow_blank=True, default="")
    amount = money()

    def validate(self, attrs):
        if attrs.get("stage") and attrs["kind"] != TaskKind.CRIMINAL_DEFENSE:
            raise serializers.ValidationError({"stage": [_("Only criminal defence is priced by stage.")]})
        return attrs


# A multiplier per quality grade, in the services' order of the grades (``GRADES``). The fields are
# made by name ("pass" is a keyword). No docstring: drf-spectacular would publish it.
class SubsidyMultipliersSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            grade: serializers.DecimalField(max_digits=4, decimal_places=2, min_value=ZERO, max_value=Decimal("9.99"))
            for grade in GRADES
        }


class SubsidyScheduleSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    lines = SubsidyRateSerializer(many=True, source="rates")
    duty_half_day = money()
    travel_supplement = money(required=False, default=ZERO)
    quality_multipliers = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    note = optional_text(500)

    class Meta:
        model = SubsidySchedule
        fields = [
            "id",
            "year",
            "region",
            "version",
            "lines",
            "duty_half_day",
            "travel_supplement",
            "quality_multipliers",
            "note",
            "organization",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    @extend_schema_field(SubsidyMultipliersSerializer)
    def get_quality_multipliers(self, schedule) -> dict:
        return {grade: str(schedule.multiplier(grade)) for grade in GRADES}


class SubsidyScheduleCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    lines = SubsidyRateSerializer(many=True)
    duty_half_day = money()
    travel_supplement = money(required=False, default=ZERO)
    quality_multipliers = SubsidyMultipliersSerializer()
    note = optional_text(500)

    def validate_lines(self, lines):
        seen = set()
        for line in lines:
            key = (line["kind"], line.get("stage", ""))
            if key in seen:
                raise serializers.ValidationError(_("Each kind and stage is priced once."))
            seen.add(key)
        return lines


class SubsidyPayeeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("law_firm", "law_firm"), ("individual", "individual")])
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubsidyLineSerializer(ReadOnlyModelSerializer):
    kind = serializers.ChoiceField(choices=SubsidyKind.choices)
    status = serializers.ChoiceField(choices=SubsidyStatus.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    volunteer_name = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id", allow_null=True)
    schedule_version = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField()
    payee = serializers.SerializerMethodField()
    grade = serializers.ChoiceField(choices=QualityGrade.choices, allow_blank=True)
    # Blank for lines without a criminal stage (civil cases, duty shifts): the schema says so.
    stage = serializers.ChoiceField(choices=CriminalStage.choices, allow_blank=True)

    class Meta:
        model = SubsidyLine
        fields = [
            "id",
            "kind",
            "task",
            "volunteer",
            "volunteer_name",
            "organization",
            "region",
            "year",
            "case_kind",
            "stage",
            "grade",
            "half_days",
            "travel",
            "reference",
            "schedule",
            "schedule_version",
            "amount",
            "status",
            "flagged",
            "payee",
            "reverses",
            "reason",
            "batch",
            "created_at",
        ]

    def get_volunteer_name(self, line) -> str:
        return line.volunteer.display_name

    def get_schedule_version(self, line) -> int | None:
        return line.schedule.version if line.schedule_id else None

    def get_flagged(self, line) -> bool:
        """True while the line has no price: no schedule (or rate) in force for its year and region."""
        return line.status == SubsidyStatus.UNPRICED

    @extend_schema_field(SubsidyPayeeSerializer)
    def get_payee(self, line) -> dict:
        if line.payee_org_id:
            return {"kind": "law_firm", "id": line.payee_org_id, "name": line.payee_org.name}
        return {"kind": "individual", "id": line.volunteer_id, "name": self.get_volunteer_name(line)}


class SubsidyRecomputeSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line_id")
    schedule = serializers.IntegerField(source="schedule_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    recomputed = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    matches = serializers.BooleanField()


class SubsidyReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class SubsidyBatchCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=2**53 - 1)
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**53 - 1), min_length=1, max_length=1000
    )
    note = optional_text(500)


@extend_schema_field(OpenApiTypes.STR)
class BatchExportField(serializers.Field):
    """The address of the batch's payment list in ``fmt`` (csv or xlsx)."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        super().__init__(source="*", read_only=True)

    def to_representation(self, batch) -> str:
        from django.urls import reverse

        return reverse("subsidybatch-export", args=[batch.pk]) + f"?format={self.fmt}"


class SubsidyBatchSerializer(ReadOnlyModelSerializer):
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    lines = serializers.SerializerMethodField()
    export_csv = BatchExportField("csv")
    export_xlsx = BatchExportField("xlsx")

    class Meta:
        model = SubsidyBatch
        fields = [
            "id",
            "organization",
            "status",
            "total",
            "note",
            "lines",
            "created_by",
            "created_at",
            "paid_by",
            "paid_at",
            "export_csv",
            "export_xlsx",
        ]

    def get_lines(self, batch) -> list[int]:
        return [line.pk for line in batch.lines.all()]
