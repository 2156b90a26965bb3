"""Shapes of the applications API. Parsing and rendering only; rules live in the services."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    Decision,
    DecisionChoice,
    FirmAssignment,
    FirmAssignmentStatus,
    HardshipBasis,
    IdentityAccess,
    MaterialsRequest,
    MatterKind,
    MaxPenalty,
    Objection,
)
from marketplace.applications.services import APPLICANT_FIELDS, MAX_ITEM_LENGTH, MAX_ITEMS, MAX_TEXT, OPPOSING_FIELDS
from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.models import BeneficiaryGroup
from organizations.models import Organization, Region
from volunteers.models import Category


class ItemListField(serializers.ListField):
    child = serializers.CharField(max_length=MAX_ITEM_LENGTH)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_ITEMS)
        super().__init__(**kwargs)


class ApplicantSerializer(serializers.Serializer):
    """The applicant (申请人). Encrypted at rest; shown only to the centre and the receiving station."""

    name = serializers.CharField(max_length=APPLICANT_FIELDS["name"])
    id_number = serializers.CharField(
        max_length=APPLICANT_FIELDS["id_number"],
        required=False,
        allow_blank=True,
        help_text=_("A citizen ID number (18 characters, GB 11643-1999 check digit) or another document's number."),
    )
    phone = serializers.CharField(max_length=APPLICANT_FIELDS["phone"], required=False, allow_blank=True)
    address = serializers.CharField(max_length=APPLICANT_FIELDS["address"], required=False, allow_blank=True)


class OpposingPartySerializer(serializers.Serializer):
    """The opposing party (对方当事人): a person or an employer. Encrypted at rest."""

    name = serializers.CharField(max_length=OPPOSING_FIELDS["name"], required=False, allow_blank=True)
    id_number = serializers.CharField(
        max_length=OPPOSING_FIELDS["id_number"],
        required=False,
        allow_blank=True,
        help_text=_("A person's ID number or an organisation's unified social credit code."),
    )


class ApplicationCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text=_("The legal aid centre or station registering it.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("When it was received; default now. Not future.")
    )
    matter_kind = serializers.ChoiceField(choices=MatterKind.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    beneficiary_group = serializers.ChoiceField(choices=BeneficiaryGroup.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    summary = serializers.CharField(max_length=MAX_TEXT)
    applicant = ApplicantSerializer()
    opposing_party = OpposingPartySerializer(required=False, allow_null=True, default=None)
    court_or_agency = optional_text(200)
    hardship_basis = serializers.ChoiceField(choices=HardshipBasis.choices)
    urgent = serializers.BooleanField(
        required=False, default=False, help_text=_("Art. 44: the case task is created at once, before the decision.")
    )
    attachments = ItemListField(required=False, default=list, help_text=_("Named items received, e.g. 身份证复印件."))
    max_penalty = serializers.ChoiceField(
        choices=MaxPenalty.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "A criminal defence where the defendant may face death or life imprisonment (Art. 26): only lawyers "
            "of at least LEGAL_AID_SERIOUS_CASE_YEARS years of practice may take it. Blank otherwise."
        ),
    )


class ItemsSerializer(serializers.Serializer):
    items = ItemListField(min_length=1, help_text=_("The missing materials, all in one list."))


class ReceivedItemsSerializer(serializers.Serializer):
    items = ItemListField(required=False, default=list, help_text=_("What arrived; default: everything asked for."))


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DecisionChoice.choices)
    reasons = optional_text(MAX_TEXT, help_text=_("Required for a refusal."))


class ObjectionCreateSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=MAX_TEXT, help_text=_("The applicant's grounds for objecting."))


class ObjectionDecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(help_text=_("true: the centre must correct its decision; the review reopens."))
    reasons = serializers.CharField(max_length=MAX_TEXT)


class DecisionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "outcome", "reasons", "decided_at"]


class ObjectionSerializer(ReadOnlyModelSerializer):
    upheld = serializers.BooleanField(allow_null=True, read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "grounds", "registered_at", "due", "upheld", "reasons", "decided_at"]


class MaterialsSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = MaterialsRequest
        fields = ["items", "requested_at", "received_at", "received_items", "paused_days"]

    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    received_items = serializers.ListField(child=serializers.CharField(), read_only=True)


def _last(items):
    items = list(items)
    return items[-1] if items else None


def _first(items):
    items = list(items)
    return items[0] if items else None


def _shown(serializer_class, record) -> dict | None:
    """``record`` as ``serializer_class`` shows it; None where there is no record."""
    return serializer_class(record).data if record else None


class FirmAssignmentBriefSerializer(ReadOnlyModelSerializer):
    law_firm_name = serializers.CharField(source="law_firm.name", read_only=True)
    status = serializers.ChoiceField(choices=FirmAssignmentStatus.choices, read_only=True)

    class Meta:
        model = FirmAssignment
        fields = ["id", "law_firm", "law_firm_name", "status", "assigned_at", "handler_due", "named_at"]


class ApplicationSerializer(ReadOnlyModelSerializer):
    """An application without its parties: lists, write answers, regulators."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    centre_name = serializers.SerializerMethodField()
    region_name = serializers.CharField(source="region.name", read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    attachments = serializers.ListField(child=serializers.CharField(), read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text=_("A running due date has passed."))
    case = serializers.SerializerMethodField(help_text=_("The case task's id, once there is one."))
    decision = serializers.SerializerMethodField(help_text=_("The latest decision."))
    objection = serializers.SerializerMethodField(help_text=_("The latest objection."))
    materials = serializers.SerializerMethodField(help_text=_("The latest list of missing materials."))
    max_penalty = serializers.ChoiceField(choices=MaxPenalty.choices, allow_blank=True, read_only=True)
    decided_on_time = serializers.BooleanField(
        allow_null=True, read_only=True, help_text=_("The first decision came by its due date; null until decided.")
    )
    assigned_on_time = serializers.BooleanField(
        allow_null=True, read_only=True, help_text=_("The first assignment came by its due date; null until assigned.")
    )
    firm_assignment = serializers.SerializerMethodField(
        help_text=_("The case's latest assignment to a law firm, with the firm's due time to name the handler.")
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "organization",
            "organization_name",
            "centre",
            "centre_name",
            "status",
            "channel",
            "received_at",
            "matter_kind",
            "category",
            "beneficiary_group",
            "region",
            "region_name",
            "summary",
            "court_or_agency",
            "hardship_basis",
            "urgent",
            "max_penalty",
            "attachments",
            "decision_due",
            "assign_due",
            "objection_due",
            "paused_days",
            "overdue",
            "decided_at",
            "decided_on_time",
            "assigned_at",
            "assigned_on_time",
            "case",
            "firm_assignment",
            "decision",
            "objection",
            "materials",
            "forwarded_at",
            "created_at",
        ]

    def get_centre_name(self, application: Application) -> str:
        return application.centre.name if application.centre else ""

    def get_case(self, application: Application) -> int | None:
        return application.case_id

    @extend_schema_field(FirmAssignmentBriefSerializer(allow_null=True))
    def get_firm_assignment(self, application: Application):
        if application.case_id is None:
            return None
        return _shown(FirmAssignmentBriefSerializer, _first(application.case.firm_assignments.all()))

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, application: Application):
        return _shown(DecisionSerializer, _last(application.decisions.all()))

    @extend_schema_field(ObjectionSerializer(allow_null=True))
    def get_objection(self, application: Application):
        return _shown(ObjectionSerializer, _last(application.objections.all()))

    @extend_schema_field(MaterialsSerializer(allow_null=True))
    def get_materials(self, application: Application):
        return _shown(MaterialsSerializer, _last(application.materials_requests.all()))


class EventSerializer(ReadOnlyModelSerializer):
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["kind", "at", "by_name", "note"]

    def get_by_name(self, event: ApplicationEvent) -> str:
        if event.by is None:
            return ""
        return event.by.get_full_name() or event.by.username


class ApplicationDetailSerializer(ApplicationSerializer):
    """With the parties for the centre and the receiving station (each reveal recorded). For
    regulators ``applicant`` and ``opposing_party`` are left out altogether."""

    applicant = ApplicantSerializer(required=False, help_text=_("Omitted for regulators."))
    opposing_party = OpposingPartySerializer(
        required=False, allow_null=True, help_text=_("Omitted for regulators; null when none was given.")
    )
    history = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "applicant", "opposing_party", "history"]

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, application: Application):
        events = application.events.select_related("by").order_by("at", "id")
        return EventSerializer(events, many=True).data

    @property
    def _readable_fields(self):
        # The parties are not attributes of the model: they come decrypted through the context.
        for field in super()._readable_fields:
            if field.field_name not in ("applicant", "opposing_party"):
                yield field

    def to_representation(self, application: Application) -> dict:
        data = super().to_representation(application)
        parties = self.context.get("identity")
        if parties is not None:
            data["applicant"] = parties["applicant"]
            data["opposing_party"] = parties["opposing_party"]
        return data


class IdentitySerializer(serializers.Serializer):
    applicant = ApplicantSerializer()
    opposing_party = OpposingPartySerializer(allow_null=True)


class IdentityRevealSerializer(ReadOnlyModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = IdentityAccess
        fields = ["id", "user", "username", "accessed_at", "via"]


class FirmAssignmentSerializer(FirmAssignmentBriefSerializer):
    """A case assigned to a law firm, for the firm's directors and the centre. No party: the
    case's title carries the application's number and the kind only."""

    task_title = serializers.CharField(source="task.title", read_only=True)
    task_kind = serializers.CharField(source="task.kind", read_only=True)
    category = serializers.CharField(source="task.category", read_only=True)
    region = serializers.CharField(source="task.region_id", read_only=True)
    region_name = serializers.CharField(source="task.region.name", read_only=True)
    centre = serializers.IntegerField(source="task.organization_id", read_only=True)
    centre_name = serializers.CharField(source="task.organization.name", read_only=True)
    application_number = serializers.SerializerMethodField()
    handler_overdue = serializers.SerializerMethodField(
        help_text=_("The firm has not named its handler and handler_due has passed.")
    )
    handler_name = serializers.SerializerMethodField()

    class Meta(FirmAssignmentBriefSerializer.Meta):
        fields = [
            "id",
            "task",
            "task_title",
            "task_kind",
            "category",
            "region",
            "region_name",
            "centre",
            "centre_name",
            "application_number",
            "law_firm",
            "law_firm_name",
            "status",
            "assigned_at",
            "handler_due",
            "handler_overdue",
            "handler",
            "handler_name",
            "named_at",
            "withdrawn_reason",
        ]

    def get_application_number(self, assignment: FirmAssignment) -> str:
        try:
            return assignment.task.application.number
        except Application.DoesNotExist:
            return ""

    def get_handler_overdue(self, assignment: FirmAssignment) -> bool:
        return assignment.awaits_handler and assignment.handler_due < timezone.now()

    def get_handler_name(self, assignment: FirmAssignment) -> str:
        return assignment.handler.display_name if assignment.handler_id else ""


class WithdrawFirmSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the case is taken back from the firm."))


class StatsSerializer(serializers.Serializer):
    """Counts and timeliness of a region's applications received in a year; never an identity."""

    region = serializers.CharField()
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    received = serializers.IntegerField(help_text=_("Applications received in the year (numbered or at a station)."))
    decided = serializers.IntegerField(help_text=_("Of those, decided (first decision)."))
    approved = serializers.IntegerField(help_text=_("Of those, whose current decision is an approval."))
    refused = serializers.IntegerField(help_text=_("Of those, whose current decision is a refusal."))
    decided_within_time = serializers.IntegerField(
        help_text=_("First decision by its due date (7 days, Art. 43; 3 for a notice; missing materials pause it).")
    )
    assigned = serializers.IntegerField(help_text=_("Assigned to a provider or a law firm."))
    assigned_within_time = serializers.IntegerField(help_text=_("First assignment by its due date (3 days)."))
    overdue_now = serializers.IntegerField(help_text=_("A running due date has passed, as of today."))


class StatsQuerySerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        help_text=_("A region code within the caller's jurisdiction; default: the jurisdiction's own region."),
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("Year of receipt; default: this year.")
    )
