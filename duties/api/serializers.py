from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duties.models import (
    DECISION_CHOICES,
    AnnualReview,
    CreditKind,
    DutyEntry,
    DutyRule,
    ExemptReason,
    HourLog,
    ProgressStatus,
    ReviewStatus,
    SatisfiedBy,
    credit_kinds_of,
)
from duties.services import BULK_MAX, RULE_FIELDS
from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.core.ids import MAX_ID
from organizations.models import Region
from volunteers.models import VolunteerKind

# Ids beyond this are not ours, and would overflow SQLite's 64-bit integers in a lookup.
HOURS_KW = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0.01"), "max_value": Decimal(24)}


class HourLogSerializer(ReadOnlyModelSerializer):
    task = serializers.IntegerField(source="claim.task_id", read_only=True)
    task_title = serializers.CharField(source="claim.task.title", read_only=True)
    organization = serializers.IntegerField(source="claim.task.organization_id", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)

    class Meta:
        model = HourLog
        fields = [
            "id",
            "claim",
            "task",
            "task_title",
            "organization",
            "volunteer",
            "volunteer_name",
            "date",
            "hours",
            "confirmed_hours",
            "note",
            "comment",
            "status",
            "decided_by",
            "decided_at",
            "created_at",
        ]


class HourLogCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.DecimalField(**HOURS_KW)
    note = optional_text(1000)


class HourConfirmSerializer(serializers.Serializer):
    hours = serializers.DecimalField(
        **HOURS_KW, required=False, allow_null=True, help_text=_("Confirm only part of the hours (with a comment).")
    )
    comment = optional_text(1000)


class HourDeclineSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=1000)


class BulkIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=BULK_MAX,
        allow_empty=False,
    )


class BulkDeclineSerializer(BulkIdsSerializer):
    comment = serializers.CharField(max_length=1000)


class HourLogBulkResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = HourLogSerializer(many=True)


class CreditKindsField(serializers.ListField):
    """A rule's credit kinds as a list (the rule stores them as ``,case,consultation,``)."""

    child = serializers.ChoiceField(choices=CreditKind.choices)

    def to_representation(self, data):
        return credit_kinds_of(data) if isinstance(data, str) else super().to_representation(data)


class DutyEntrySerializer(ReadOnlyModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)
    is_reversed = serializers.BooleanField(read_only=True)
    credit_kind = serializers.ChoiceField(
        choices=CreditKind.choices,
        read_only=True,
        help_text=_("What kind of work was credited: the rules count by it. A reversal has the kind it reverses."),
    )

    class Meta:
        model = DutyEntry
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "year",
            "occurred_on",
            "kind",
            "hours",
            "cases",
            "hour_log",
            "claim",
            "reverses",
            "is_reversed",
            "reason",
            "created_by",
            "created_at",
            "credit_kind",
            "prev_hash",
            "hash",
        ]


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class DutyRuleSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    volunteer_kind = serializers.ChoiceField(choices=VolunteerKind.choices)
    min_hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal(0), max_value=Decimal(2000))
    min_cases = serializers.IntegerField(min_value=0, max_value=1000)
    satisfied_by = serializers.ChoiceField(choices=SatisfiedBy.choices, default=SatisfiedBy.ANY)
    exempt_if_licensed_in_year = serializers.BooleanField(default=True)
    credit_kinds = CreditKindsField(
        required=False,
        help_text=_(
            "The kinds of work whose hours and cases count; by default the forms of legal aid "
            "(case, consultation, document, duty_shift): outreach and community mediation only if listed."
        ),
    )

    class Meta:
        model = DutyRule
        # The fields a regulator sets are the service's (``RULE_FIELDS``).
        fields = ["id", *RULE_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]
        # The unique (year, region, kind) check is the service's: 409 rule_exists, not 400.
        validators: list = []


class DutyRuleListedSerializer(DutyRuleSerializer):
    """A rule as ``/duty-rules/`` lists it: with whether a review recorded it (then it is fixed)."""

    in_use = serializers.BooleanField(
        read_only=True, help_text=_("An annual review was opened or decided under it: no more edits.")
    )

    class Meta(DutyRuleSerializer.Meta):
        fields = [*DutyRuleSerializer.Meta.fields, "in_use"]
        read_only_fields = [*DutyRuleSerializer.Meta.read_only_fields, "in_use"]


class ProgressSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="volunteer.pk")
    year = serializers.IntegerField()
    rule = DutyRuleSerializer(allow_null=True)
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    cases = serializers.IntegerField()
    required_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    required_cases = serializers.IntegerField()
    satisfied_by = serializers.ChoiceField(choices=SatisfiedBy.choices, allow_null=True)
    status = serializers.ChoiceField(choices=ProgressStatus.values)
    exempt_reason = serializers.ChoiceField(choices=ExemptReason.values, allow_null=True)
    share_of_year = serializers.DecimalField(max_digits=5, decimal_places=4)
    expected_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    review_status = serializers.ChoiceField(choices=ReviewStatus.choices, allow_null=True)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class AnnualReviewSerializer(ReadOnlyModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)
    volunteer_kind = serializers.CharField(source="volunteer.kind", read_only=True)
    licence_number = serializers.CharField(source="volunteer.licence_number", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    certificate_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "volunteer_kind",
            "licence_number",
            "year",
            "region",
            "status",
            "rule",
            "hours",
            "cases",
            "ledger_head_hash",
            "note",
            "opened_by",
            "opened_at",
            "opened_early",
            "open_reason",
            "decided_by",
            "decided_by_org",
            "decided_at",
            "certificate_code",
            "certificate_number",
            "certificate_revoked_at",
            "certificate_revoke_reason",
            "certificate_url",
            "verify_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Path of the PDF, when there is one."))
    def get_certificate_url(self, review) -> str | None:
        if not review.certificate_code:
            return None
        return reverse("review-certificate", args=[review.pk])

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Path of the public check page."))
    def get_verify_url(self, review) -> str | None:
        if not review.certificate_code:
            return None
        return reverse("verify-certificate", args=[review.certificate_code])


class CertificateRevokeSerializer(serializers.Serializer):
    reason = optional_text(500, help_text="Why it is revoked (required): /verify/ shows it.")


class ReviewScopeSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())


class ReviewOpenSerializer(ReviewScopeSerializer):
    early = serializers.BooleanField(
        default=False, help_text=_("Open a year that has not ended yet (Asia/Shanghai); needs a reason.")
    )
    reason = optional_text(500, help_text=_("Why the year is reviewed early."))


class ReviewOpenResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField()
    opened = serializers.IntegerField()
    already_open = serializers.IntegerField()
    without_rule = serializers.IntegerField(help_text=_("Providers of the region no rule applies to: no review."))
    opened_early = serializers.BooleanField()
    reason = serializers.CharField()


class ReviewDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    note = optional_text(1000)


class SkippedReviewSerializer(serializers.Serializer):
    review = serializers.IntegerField(source="review.pk")
    code = serializers.CharField()
    detail = serializers.CharField()


class DecideCompliantSerializer(ReviewScopeSerializer):
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Only list what would be decided, with its preview fingerprint; change nothing.")
    )
    preview = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        default="",
        help_text=_("The fingerprint of a dry run: decide only if the list is still exactly the previewed one."),
    )


class ReviewToDecideSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="review_id")
    volunteer = serializers.IntegerField(source="volunteer_id")
    volunteer_name = serializers.CharField()
    volunteer_kind = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    cases = serializers.IntegerField()
    required_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    required_cases = serializers.IntegerField()


class DecideCompliantResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    count = serializers.IntegerField(help_text=_("How many reviews are decided (in a dry run: would be)."))
    decided = serializers.IntegerField(help_text=_("How many were decided: 0 in a dry run."))
    reviews = serializers.ListField(child=serializers.IntegerField(), help_text=_("Their ids."))
    results = ReviewToDecideSerializer(many=True)
    preview = serializers.CharField(help_text=_("Fingerprint of the list; send it back to decide exactly this list."))
    skipped = SkippedReviewSerializer(many=True, help_text="Reviews left open, with the reason (own_record).")


class ReportQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    region = serializers.CharField(required=False, max_length=12)


class StatusCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    on_track = serializers.IntegerField()
    behind = serializers.IntegerField()
    exempt = serializers.IntegerField()
    total = serializers.IntegerField()


class DistrictCountsSerializer(StatusCountsSerializer):
    region = serializers.CharField()
    name = serializers.CharField()


class KindCountsSerializer(StatusCountsSerializer):
    volunteer_kind = serializers.CharField()


class ComplianceReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField()
    region_name = serializers.CharField()
    by_status = StatusCountsSerializer()
    by_review_status = serializers.DictField(child=serializers.IntegerField())
    by_district = DistrictCountsSerializer(many=True)
    by_kind = KindCountsSerializer(many=True)
