"""Shapes of the complaints API. Parsing and rendering only; the rules live in the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duties.complaints.models import (
    ACTION_MAX,
    CONTACT_MAX,
    FINDING_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    Complaint,
    ComplaintStatus,
)
from duties.complaints.services import contact_of
from marketplace.core.api.serializers import OverdueField, VisibleRecordField, optional_text
from marketplace.models import AidTask
from marketplace.selectors import tasks_visible_to
from volunteers.models import Volunteer


class ComplaintCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX, help_text=_("A short title of the complaint."))
    task = VisibleRecordField(
        tasks_visible_to,
        queryset=AidTask.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The task (case) complained about: a published task."),
    )
    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.select_related("region"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The provider complained about. Give task, volunteer or both."),
    )
    text = serializers.CharField(
        max_length=TEXT_MAX, help_text=_("What happened, in plain text: text with HTML tags is refused.")
    )
    contact = optional_text(
        CONTACT_MAX,
        help_text=_("A phone number or address for the result; required when not signed in. Never shown publicly."),
    )


# Where a complaint stands, as both the complainant and the bureau see it.
PROGRESS_FIELDS = [
    "status",
    "filed_at",
    "due",
    "overdue",
    "investigation_started_at",
    "finding",
    "action",
    "resolved_at",
]


class _ComplaintShownSerializer(serializers.ModelSerializer):
    """What the complainant's and the bureau's views of a complaint read alike."""

    task_title = serializers.SerializerMethodField()
    overdue = OverdueField(waiting="is_open")

    def get_task_title(self, obj) -> str | None:
        return obj.task.title if obj.task_id else None

    def get_handled_by(self, obj) -> str | None:
        return obj.resolved_by_org.name if obj.resolved_by_org_id else None


class ComplaintPublicSerializer(_ComplaintShownSerializer):
    """What anyone holding the tracking code sees: the status and the bureau's finding. Never the
    complainant's contact, nor the provider's name."""

    about = serializers.SerializerMethodField(help_text=_("task, provider, or task_and_provider"))
    handled_by = serializers.SerializerMethodField(help_text=_("The justice bureau that recorded the finding."))

    class Meta:
        model = Complaint
        fields = [
            "code",
            "subject",
            "about",
            "task",
            "task_title",
            *PROGRESS_FIELDS,
            "handled_by",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["task", "provider", "task_and_provider"]))
    def get_about(self, obj) -> str:
        if obj.task_id and obj.volunteer_id:
            return "task_and_provider"
        return "task" if obj.task_id else "provider"


class ComplaintSerializer(_ComplaintShownSerializer):
    """The bureau's view: everything, the complainant's contact included."""

    volunteer_name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    signed_in = serializers.SerializerMethodField(help_text=_("Filed by a signed-in user."))
    region = serializers.CharField(source="region_id", help_text=_("Region code"))
    resolved_by = serializers.SerializerMethodField()
    handled_by = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "code",
            "subject",
            "task",
            "task_title",
            "volunteer",
            "volunteer_name",
            "text",
            "contact",
            "signed_in",
            "region",
            *PROGRESS_FIELDS,
            "resolved_by",
            "handled_by",
        ]

    def get_volunteer_name(self, obj) -> str | None:
        return obj.volunteer.display_name if obj.volunteer_id else None

    def get_contact(self, obj) -> str:
        return contact_of(obj)

    def get_signed_in(self, obj) -> bool:
        return obj.filed_by_id is not None

    def get_resolved_by(self, obj) -> str | None:
        if obj.resolved_by_id is None:
            return None
        return obj.resolved_by.get_full_name() or obj.resolved_by.username


class ComplaintResolveSerializer(serializers.Serializer):
    finding = serializers.CharField(max_length=FINDING_MAX, help_text=_("What the investigation found."))
    action = serializers.CharField(max_length=ACTION_MAX, help_text=_("What was done about it."))


STATUS_CHOICES = ComplaintStatus.choices
