"""Shapes of the cases API. Parsing and rendering only; rules live in the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.cases.models import (
    CaseDocument,
    ClosingOutcome,
    ClosingReport,
    ClosingStatus,
    Evaluation,
    EvaluationKind,
    Milestone,
    MilestoneKind,
    MilestoneSource,
    QualityGrade,
    Termination,
    TerminationGround,
)
from marketplace.cases.services import MAX_SUMMARY, MAX_TEXT
from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.core.ids import MAX_ID


class MilestoneCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    date = serializers.DateField()
    note = optional_text(MAX_TEXT)
    source = serializers.ChoiceField(
        choices=MilestoneSource.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Who reported it: the handler records handler, the centre records aided_person (Art. 46)."),
    )


class MilestoneSerializer(ReadOnlyModelSerializer):
    kind = serializers.ChoiceField(choices=MilestoneKind.choices, read_only=True)
    source = serializers.ChoiceField(choices=MilestoneSource.choices, read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "task", "kind", "date", "note", "source", "recorded_at"]


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        max_length=1000,
        help_text=_("A PDF, JPEG or PNG (judged by its content); the size limit is a setting."),
    )


class DocumentSerializer(ReadOnlyModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The permission-checked download."))

    class Meta:
        model = CaseDocument
        fields = ["id", "task", "name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, document: CaseDocument) -> str:
        return reverse("api-case-document", args=[document.pk])


class ClosingCreateSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ClosingOutcome.choices)
    summary = serializers.CharField(max_length=MAX_SUMMARY)
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=True,
        max_length=50,
        help_text=_("Ids of documents filed to this case: at least one."),
    )


class ClosingReviewSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    reasons = optional_text(MAX_TEXT, help_text=_("Required to return it."))
    quality = serializers.ChoiceField(
        choices=QualityGrade.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to accept: 优秀 excellent, 良好 good, 合格 pass, 不合格 fail."),
    )


class ClosingReviewReadSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    reasons = serializers.CharField()
    quality = serializers.CharField(allow_blank=True)
    reviewed_at = serializers.DateTimeField()


class ClosingReportSerializer(ReadOnlyModelSerializer):
    outcome = serializers.ChoiceField(choices=ClosingOutcome.choices, read_only=True)
    status = serializers.ChoiceField(choices=ClosingStatus.choices, read_only=True)
    handler_name = serializers.CharField(source="handler.display_name", read_only=True)
    documents = serializers.SerializerMethodField()
    filed_late = serializers.BooleanField(read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = ClosingReport
        fields = [
            "id",
            "task",
            "handler",
            "handler_name",
            "outcome",
            "summary",
            "documents",
            "status",
            "closing_due",
            "filed_at",
            "filed_late",
            "review",
        ]

    def get_documents(self, report: ClosingReport) -> list[int]:
        return sorted(d.pk for d in report.documents.all())

    @extend_schema_field(ClosingReviewReadSerializer(allow_null=True))
    def get_review(self, report: ClosingReport) -> dict | None:
        review = getattr(report, "review", None)
        return ClosingReviewReadSerializer(review).data if review is not None else None


class TerminateSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=TerminationGround.choices, help_text=_("An Art. 48 ground."))
    reasons = serializers.CharField(max_length=MAX_TEXT)


class TerminationSerializer(ReadOnlyModelSerializer):
    ground = serializers.ChoiceField(choices=TerminationGround.choices, read_only=True)
    status = serializers.CharField(source="task.status", read_only=True)

    class Meta:
        model = Termination
        fields = ["task", "ground", "reasons", "decided_at", "status"]


class EvaluationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    grade = serializers.ChoiceField(choices=QualityGrade.choices)
    note = optional_text(MAX_TEXT)
    evaluated_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Default today; not in the future.")
    )


class EvaluationSerializer(ReadOnlyModelSerializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices, read_only=True)
    grade = serializers.ChoiceField(choices=QualityGrade.choices, read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)
    evaluator_organization_name = serializers.CharField(source="evaluator_organization.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "task",
            "volunteer",
            "volunteer_name",
            "kind",
            "grade",
            "note",
            "evaluated_on",
            "evaluator_organization",
            "evaluator_organization_name",
            "recorded_at",
        ]
