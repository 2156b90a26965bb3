"""Shapes of the task and claim API. Parsing and rendering only; rules live in the services."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace import confidential as confidential_schema
from marketplace.applications.models import AssignmentRefusal, RefusalRuling
from marketplace.cases import selectors as case_selectors
from marketplace.core.api.schema import ErrorSerializer  # noqa: F401 (other apps' views import it from here)
from marketplace.core.api.serializers import ReadOnlyModelSerializer, optional_text
from marketplace.models import AidTask, BeneficiaryGroup, Claim, ConfidentialAccess, TaskKind
from marketplace.services import TASK_FIELDS
from organizations.models import Organization, Region
from volunteers.models import Category, Volunteer, VolunteerKind


class ConfidentialSerializer(serializers.Serializer):
    """The aided person (受援人). Encrypted at rest; shown only to whom API.md allows. Its fields
    are ``marketplace.confidential.FIELDS``, the schema the pages use too. On PATCH the object
    is merged into the stored details: a key sent blank removes it, a key not sent stays."""

    def get_fields(self):
        return {
            field.key: serializers.CharField(
                max_length=field.max_length, required=False, allow_blank=True, label=field.label
            )
            for field in confidential_schema.FIELDS
        }


def _max_length(name: str) -> int:
    return AidTask._meta.get_field(name).max_length


class TaskWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=_max_length("title"))
    summary = optional_text(_max_length("summary"))
    kind = serializers.ChoiceField(choices=TaskKind.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    beneficiary_group = serializers.ChoiceField(choices=BeneficiaryGroup.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    location = optional_text(_max_length("location"))
    is_remote = serializers.BooleanField(required=False, default=False)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    claim_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    seats = serializers.IntegerField(min_value=1, max_value=10000)
    estimated_hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("9999.99")
    )
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=VolunteerKind.choices), required=False, default=list, max_length=10
    )
    requires_approval = serializers.BooleanField(required=False, default=False)
    confidential = ConfidentialSerializer(required=False, allow_null=True, default=None)


class TaskCreateSerializer(TaskWriteSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    publish = serializers.BooleanField(
        required=False, default=False, help_text=_("Open the task at once instead of keeping a draft.")
    )


class TaskUpdateSerializer(TaskWriteSerializer):
    """Every field optional (PATCH)."""


def _followed_by(names, companions: dict[str, tuple[str, ...]]) -> list[str]:
    """``names`` in their order, each followed by its ``companions``, if any."""
    return [shown for name in names for shown in (name, *companions.get(name, ()))]


class TaskSerializer(ReadOnlyModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    eligible_kinds = serializers.ListField(child=serializers.ChoiceField(choices=VolunteerKind.choices))

    class Meta:
        model = AidTask
        # The fields a poster writes (their one home is services.TASK_FIELDS), in that order, each
        # followed by what is read alongside it.
        fields = [
            "id",
            "organization",
            "organization_name",
            *_followed_by(TASK_FIELDS, {"region": ("region_name",), "seats": ("seats_taken", "seats_left")}),
            "status",
            "created_at",
        ]


class TaskDetailSerializer(TaskSerializer):
    cancel_reason = serializers.CharField(read_only=True)
    has_confidential = serializers.SerializerMethodField()
    confidential = serializers.SerializerMethodField(
        help_text=_("Only for the posting organisation and accepted providers who confirmed no conflict; else null.")
    )

    application = serializers.SerializerMethodField(help_text=_("The legal aid application of a case task, if any."))
    assign_due = serializers.SerializerMethodField(help_text=_("The last day to assign the case (Art. 36, 43)."))
    handler = serializers.SerializerMethodField(help_text=_("A case's lead handler (承办人): a provider id, or null."))
    handler_name = serializers.SerializerMethodField()
    closing_due = serializers.SerializerMethodField(
        help_text=_("The last day to file a case's closing: the matter's end (last judgment or agreement) + 30 days.")
    )

    class Meta(TaskSerializer.Meta):
        fields = [
            *TaskSerializer.Meta.fields,
            "cancel_reason",
            "has_confidential",
            "confidential",
            "application",
            "assign_due",
            "handler",
            "handler_name",
            "closing_due",
        ]

    def get_has_confidential(self, task: AidTask) -> bool:
        return bool(task.confidential_ciphertext)

    # ``application`` is the reverse of the applications app's one-to-one link to its case task;
    # a task without an application has no such attribute.
    def get_application(self, task: AidTask) -> int | None:
        application = getattr(task, "application", None)
        return application.pk if application is not None else None

    def get_assign_due(self, task: AidTask) -> date | None:
        application = getattr(task, "application", None)
        return application.assign_due if application is not None else None

    def _lead(self, task: AidTask):
        """The case's lead claim, read once per task for both fields."""
        leads = self.__dict__.setdefault("_leads", {})
        if task.pk not in leads:
            leads[task.pk] = case_selectors.lead_claim(task) if task.is_case else None
        return leads[task.pk]

    def get_handler(self, task: AidTask) -> int | None:
        lead = self._lead(task)
        return lead.volunteer_id if lead is not None else None

    def get_handler_name(self, task: AidTask) -> str | None:
        lead = self._lead(task)
        return lead.volunteer.display_name if lead is not None else None

    def get_closing_due(self, task: AidTask) -> date | None:
        return case_selectors.closing_due_for(task)

    @extend_schema_field(ConfidentialSerializer(allow_null=True))
    def get_confidential(self, task: AidTask) -> dict | None:
        return self.context.get("confidential")


class RefusalSerializer(ReadOnlyModelSerializer):
    """The provider's refusal of an assignment and the centre's ruling on it."""

    class Meta:
        model = AssignmentRefusal
        fields = ["reason", "refused_at", "ruling", "ruled_at"]


class ClaimSerializer(ReadOnlyModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)
    refusal = serializers.SerializerMethodField(
        help_text=_(
            "The provider's refusal of this assignment, if any: its reason and the centre's ruling "
            "(pending, accepted, rejected). The provider keeps the case until the centre accepts it."
        )
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "task",
            "task_title",
            "volunteer",
            "volunteer_name",
            "status",
            "is_assignment",
            "reason",
            "declined_by_provider",
            "refusal",
            "no_conflict_confirmed_at",
            "created_at",
            "decided_at",
        ]

    @extend_schema_field(RefusalSerializer(allow_null=True))
    def get_refusal(self, claim: Claim):
        refusal = _refusal_of(claim)
        return RefusalSerializer(refusal).data if refusal is not None else None


def _refusal_of(claim: Claim) -> AssignmentRefusal | None:
    """The claim's refusal (the reverse one-to-one, selected with the claim in lists)."""
    if not claim.is_assignment:
        return None
    try:
        return claim.refusal
    except AssignmentRefusal.DoesNotExist:
        return None


class DeclinedAssignmentSerializer(ClaimSerializer):
    organization = serializers.IntegerField(source="task.organization_id", read_only=True)
    organization_name = serializers.CharField(source="task.organization.name", read_only=True)
    region = serializers.CharField(source="task.region_id", read_only=True)
    reason = serializers.SerializerMethodField(help_text=_("Why the provider refused the assignment."))
    ruling = serializers.SerializerMethodField(
        help_text=_(
            "The centre's ruling on the refusal: pending, accepted (a good reason: reassigned), rejected "
            "(no good reason: recorded against the provider, who keeps the case); null for a refusal "
            "recorded before rulings existed."
        )
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "organization", "organization_name", "region", "ruling"]

    def get_reason(self, claim: Claim) -> str:
        refusal = _refusal_of(claim)
        return refusal.reason if refusal is not None else claim.reason

    @extend_schema_field(serializers.ChoiceField(choices=RefusalRuling.choices, allow_null=True))
    def get_ruling(self, claim: Claim) -> str | None:
        refusal = _refusal_of(claim)
        return refusal.ruling if refusal is not None else None


class RulingSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(
        help_text=_(
            "true: a good reason; the assignment is declined and the case free to reassign. false: the "
            "provider keeps the case and the refusal is recorded against them."
        )
    )


class ConfirmNoConflictSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    confidential = ConfidentialSerializer()


class ReasonSerializer(serializers.Serializer):
    reason = optional_text(500)


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class AssignSerializer(serializers.Serializer):
    """Exactly one of ``volunteer`` (a provider) and ``law_firm`` (a law firm, whose director then
    names the handler)."""

    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all(), required=False)
    law_firm = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False)

    def validate(self, data):
        if ("volunteer" in data) == ("law_firm" in data):
            raise serializers.ValidationError(
                {"volunteer": [_("Give either a volunteer or a law firm, exactly one of them.")]},
                code="one_of",
            )
        return data


class NameHandlerSerializer(serializers.Serializer):
    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), help_text=_("A verified lawyer practising at the firm.")
    )


class ReasonItemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "conflict_of_interest",
            "minors",
            "experience",
            "specialty",
            "same_district",
            "quota_shortfall",
            "live_tasks",
        ]
    )
    text = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer.pk")
    display_name = serializers.CharField(source="volunteer.display_name")
    kind = serializers.CharField(source="volunteer.kind")
    region = serializers.CharField(source="volunteer.region_id")
    specialties = serializers.ListField(child=serializers.CharField(), source="volunteer.specialties")
    specialty_match = serializers.BooleanField()
    same_district = serializers.BooleanField()
    shortfall = serializers.DecimalField(max_digits=9, decimal_places=2)
    live_tasks = serializers.IntegerField()
    minors_experience = serializers.BooleanField(help_text=_("Familiar with minors' cases (specialty or a past case)."))
    conflict = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The number of the earlier matter in which the provider acted for the opposing party; assigning "
            "them is refused (409 conflict_of_interest). Null when none."
        ),
    )
    open_cases = serializers.IntegerField(help_text=_("For a case: the open cases the provider handles."))
    case_cap = serializers.IntegerField(
        allow_null=True, help_text=_("For a case: the centre's cap on open cases per handler; null when none.")
    )
    unavailable = serializers.ChoiceField(
        choices=["conflict_of_interest", "case_cap_reached"],
        allow_null=True,
        help_text=_(
            "Why assigning the provider is refused (the 409's code): conflict_of_interest, or case_cap_reached "
            "(as many open cases as the centre's cap; the reasons say how many). Null: assignable."
        ),
    )
    reasons = ReasonItemSerializer(many=True)


class RevealSerializer(ReadOnlyModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.SerializerMethodField()

    class Meta:
        model = ConfidentialAccess
        fields = ["id", "user", "username", "display_name", "accessed_at", "via"]

    def get_display_name(self, access: ConfidentialAccess) -> str:
        return access.user.get_full_name() or access.user.username
