"""Shapes of the evidence requests API. Parsing and rendering only; the rules live in the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.cases.api.serializers import DocumentSerializer
from marketplace.core.api.serializers import OverdueField, ReadOnlyModelSerializer, VisibleRecordField, optional_text
from marketplace.evidence.models import ITEM_MAX, MAX_ITEMS, NOTE_MAX, PURPOSE_MAX, EvidenceRequest
from marketplace.models import AidTask
from marketplace.selectors import tasks_visible_to
from organizations.models import Organization


class EvidenceRequestCreateSerializer(serializers.Serializer):
    task = VisibleRecordField(
        tasks_visible_to, queryset=AidTask.objects.none(), help_text=_("The case task the caller handles.")
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text=_("A government_department organisation.")
    )
    items = serializers.ListField(
        child=serializers.CharField(max_length=ITEM_MAX),
        min_length=1,
        max_length=MAX_ITEMS,
        help_text=_("The materials asked for, one per item."),
    )
    purpose = serializers.CharField(max_length=PURPOSE_MAX, help_text=_("What the materials are needed for."))


class EvidenceRespondSerializer(serializers.Serializer):
    provided = serializers.BooleanField(help_text=_("true: the materials are provided; false: refused."))
    note = optional_text(
        NOTE_MAX, help_text=_("What was provided, or the reason for refusing (required when refusing).")
    )
    fee_waived = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Whether the fee was waived (required when provided)."),
    )


class EvidenceRequestSerializer(ReadOnlyModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    handler = serializers.IntegerField(source="handler_id", read_only=True)
    handler_name = serializers.CharField(source="handler.display_name", read_only=True)
    issuer = serializers.IntegerField(source="issuer_id", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    items = serializers.ListField(child=serializers.CharField())
    overdue = OverdueField(waiting="is_pending")
    answered_late = serializers.BooleanField(read_only=True)
    documents = DocumentSerializer(
        many=True, read_only=True, help_text=_("Copies of the materials the department filed into the case.")
    )
    letter_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceRequest
        fields = [
            "id",
            "number",
            "task",
            "task_title",
            "department",
            "department_name",
            "handler",
            "handler_name",
            "issuer",
            "issuer_name",
            "items",
            "purpose",
            "status",
            "requested_at",
            "due",
            "overdue",
            "answered_at",
            "answered_late",
            "note",
            "fee_waived",
            "documents",
            "letter_url",
        ]

    def get_letter_url(self, obj) -> str:
        return reverse("evidence-request-letter", args=[obj.pk])


class EvidenceDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        max_length=1000,
        help_text=_("A PDF, JPEG or PNG (judged by its content); the size limit is CASE_DOCUMENT_MAX_BYTES."),
    )
