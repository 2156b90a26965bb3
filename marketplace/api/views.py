"""Task and claim endpoints (API.md). Each view parses, calls one service or selector, renders."""

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace import selectors, services
from marketplace.access import access_claim, access_task
from marketplace.api.filters import ClaimFilter
from marketplace.api.serializers import (
    AssignSerializer,
    CandidateSerializer,
    ClaimSerializer,
    ConfirmNoConflictSerializer,
    DeclinedAssignmentSerializer,
    NameHandlerSerializer,
    ReasonSerializer,
    RequiredReasonSerializer,
    RevealSerializer,
    RulingSerializer,
    TaskCreateSerializer,
    TaskDetailSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)
from marketplace.applications import assignment as firm_assignment
from marketplace.applications.api.serializers import FirmAssignmentSerializer, WithdrawFirmSerializer
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.api.views import RecordDetailViewSet, RecordViewSet, paged, validated
from marketplace.filters import TaskFilter
from organizations.api.permissions import IsRegulator
from organizations.roles import roles_of


class _Actions(permissions.BasePermission):
    """Reading the board needs nobody; everything else a signed-in user (401 otherwise)."""

    def has_permission(self, request, view):
        if view.action in ("list", "retrieve"):
            return True
        return bool(request.user and request.user.is_authenticated)


@extend_schema_view(
    list=extend_schema(summary="The board", responses={200: TaskSerializer(many=True), **_errors(400, 404)}),
    retrieve=extend_schema(responses={200: TaskDetailSerializer, **_errors(404)}),
)
class TaskViewSet(viewsets.GenericViewSet):
    """Aid tasks: the open board, posting, and the transitions of a task."""

    permission_classes = [_Actions]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.tasks_on_board(self.request.user)

    def list(self, request):
        return paged(self, self.filter_queryset(self.get_queryset()), TaskSerializer)

    def retrieve(self, request, pk=None):
        task = access_task(request.user, pk)
        confidential = None
        if request.user.is_authenticated:
            confidential = services.task_reveal_confidential(task=task, by=request.user, via="task_detail")
        response = Response(TaskDetailSerializer(task, context={"confidential": confidential}).data)
        if confidential is not None:
            add_never_cache_headers(response)  # the aided person's details: no cache keeps them
        return response

    def _detail(self, task, *, code=status.HTTP_200_OK):
        return Response(TaskDetailSerializer(task).data, status=code)

    def _act(self, pk, service, body=None):
        """The task ``pk`` (its poster's, 404 otherwise) after ``service`` acted on it with the
        values the ``body`` serializer read, if any."""
        task = access_task(self.request.user, pk, for_write=True)
        values = validated(body, self.request) if body is not None else {}
        return self._detail(service(task=task, by=self.request.user, **values))

    @extend_schema(
        request=TaskCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: TaskDetailSerializer, **_errors(400, 401, 403, 409)},
    )
    @idempotent
    def create(self, request):
        data = validated(TaskCreateSerializer, request)
        values = dict(data)
        task = services.task_create(
            organization=values.pop("organization"),
            confidential=values.pop("confidential"),
            publish=values.pop("publish"),
            values=values,
            by=request.user,
        )
        return self._detail(task, code=status.HTTP_201_CREATED)

    @extend_schema(request=TaskUpdateSerializer, responses={200: TaskDetailSerializer, **_errors(400, 401, 404, 409)})
    def partial_update(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        data = validated(TaskUpdateSerializer, request, partial=True)
        changes = dict(data)
        confidential = changes.pop("confidential", None)
        task = services.task_update(task=task, changes=changes, confidential=confidential, by=request.user)
        return self._detail(task)

    @extend_schema(request=None, responses={200: TaskDetailSerializer, **_errors(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(pk, services.task_publish)

    @extend_schema(
        request=RequiredReasonSerializer, responses={200: TaskDetailSerializer, **_errors(400, 401, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(pk, services.task_cancel, RequiredReasonSerializer)

    @extend_schema(request=None, responses={200: TaskDetailSerializer, **_errors(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(pk, services.task_complete)

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def claims(self, request, pk=None):
        task = access_task(request.user, pk)
        volunteer = selectors.volunteer_of(request.user)
        claim = services.claim_create(task=task, volunteer=volunteer, by=request.user)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ranked providers for assignment (指派)",
        responses={200: CandidateSerializer(many=True), **_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def candidates(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        roles_of(request.user).require_centre(task.organization_id)
        ranked = selectors.assignment_candidates(task=task, now=timezone.now(), for_user=request.user)
        page = self.paginate_queryset(ranked)
        offset = (self.paginator.page.number - 1) * self.paginator.page.paginator.per_page
        for i, candidate in enumerate(page, start=offset + 1):
            candidate.rank = i
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)

    @extend_schema(
        summary="Assign (指派) to a provider or to a law firm",
        description='`{"volunteer"}`: the provider\'s accepted claim (201). `{"law_firm"}`: the firm\'s '
        "assignment, awaiting the handler its director names by `handler_due` (201). Exactly one of the two "
        "(400). 403 `not_legal_aid_center`, `not_eligible` (with the reason: kind, region, a death or life "
        "case for a lawyer of fewer years, Art. 26), `own_record`; 409 `conflict_of_interest` (the provider "
        "acted for the opposing party: the earlier matter's number), `case_cap_reached` (the provider "
        "carries as many open cases as the centre's cap), `task_full`, `already_claimed`, "
        "`awaiting_handler`, `task_closed`, `not_a_case`.",
        request=AssignSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: PolymorphicProxySerializer(
                component_name="AssignResult",
                serializers=[ClaimSerializer, FirmAssignmentSerializer],
                resource_type_field_name=None,
            ),
            **_errors(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def assign(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        data = validated(AssignSerializer, request)
        if "law_firm" in data:
            assignment = firm_assignment.firm_assign(task=task, law_firm=data["law_firm"], by=request.user)
            return Response(FirmAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
        claim = services.task_assign(task=task, volunteer=data["volunteer"], by=request.user)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A law firm's director names the handler of a case assigned to the firm",
        description="By an admin or coordinator of the law firm the case was assigned to (404 for anyone "
        "else), within 24 hours (`handler_due`). The handler is a verified lawyer practising at the firm (400 "
        "`not_of_firm` on `volunteer`; 403 `not_eligible`, `own_record`). 409 `handler_already_named`, "
        "`firm_assignment_withdrawn`, `conflict_of_interest` (the earlier matter's number).",
        request=NameHandlerSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="name-handler")
    @idempotent
    def name_handler(self, request, pk=None):
        data = NameHandlerSerializer(data=request.data)
        firm_assignment.access_directed_assignment(request.user, pk)  # 404 before any field error
        data.is_valid(raise_exception=True)
        claim = firm_assignment.firm_name_handler(
            task_id=pk, volunteer=data.validated_data["volunteer"], by=request.user
        )
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The centre takes a case back from a law firm that has not named its handler",
        request=WithdrawFirmSerializer,
        responses={200: FirmAssignmentSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="firm-assignment/withdraw")
    def firm_assignment_withdraw(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        data = validated(WithdrawFirmSerializer, request)
        assignment = firm_assignment.firm_withdraw(task=task, reason=data["reason"], by=request.user)
        return Response(FirmAssignmentSerializer(assignment).data)

    @extend_schema(
        summary="Who saw the confidential details, and when",
        responses={200: RevealSerializer(many=True), **_errors(401, 404)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    @method_decorator(never_cache)
    def reveals(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        return paged(self, selectors.reveals_of(task), RevealSerializer)


@extend_schema_view(
    list=extend_schema(responses={200: ClaimSerializer(many=True), **_errors(400, 401, 404)}),
    retrieve=extend_schema(responses={200: ClaimSerializer, **_errors(401, 404)}),
)
class ClaimViewSet(RecordDetailViewSet):
    """Claims: the provider's own, and those on the coordinator's organisations' tasks."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    fetch_for = staticmethod(access_claim)
    rows = staticmethod(selectors.claims_visible_to)
    rows_order = ("-created_at", "-id")

    def _act(self, pk, service, body):
        """The claim ``pk`` after ``service`` acted on it with the values ``body`` read."""
        claim = self.fetch(pk)
        return self.answer(service(claim=claim, by=self.request.user, **validated(body, self.request)))

    @extend_schema(request=None, responses={200: ClaimSerializer, **_errors(401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.answer(services.claim_accept(claim=self.fetch(pk), by=request.user))

    @extend_schema(
        description="By the coordinator: declines a requested or waitlisted claim; the provider reads the reason. "
        "By the provider: refuses an assignment made to them; the centre rules on the refusal "
        "(`decline/ruling/`) and the provider keeps the case until then (409 `refusal_recorded` for a second "
        "refusal). Either way `reason` is required (400 on `reason`).",
        request=ReasonSerializer,
        responses={200: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(pk, services.claim_decline, ReasonSerializer)

    @extend_schema(
        summary="The centre rules on a provider's refusal of an assignment",
        description="By a coordinator of the legal aid centre whose case it is (403 `not_legal_aid_center`, "
        "`own_record`). `accepted: true`: the assignment is declined and the case free to reassign (its "
        "assignment still due by the same date). `false`: the provider keeps the case and the refusal stays "
        "on the declined-assignment register as rejected. 409 `no_refusal_pending`.",
        request=RulingSerializer,
        responses={200: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="decline/ruling")
    def decline_ruling(self, request, pk=None):
        return self._act(pk, services.claim_refusal_rule, RulingSerializer)

    @extend_schema(request=ReasonSerializer, responses={200: ClaimSerializer, **_errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(pk, services.claim_withdraw, ReasonSerializer)

    @extend_schema(request=None, responses={200: ConfirmNoConflictSerializer, **_errors(401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="confirm-no-conflict")
    @method_decorator(never_cache)
    def confirm_no_conflict(self, request, pk=None):
        claim = self.fetch(pk)
        confidential = services.claim_confirm_no_conflict(claim=claim, by=request.user)
        return Response({"claim": ClaimSerializer(claim).data, "confidential": confidential})


class ReadsDeclinedAssignments(IsRegulator):
    message = "Only regulators (justice bureaus, lawyers' associations) read declined assignments."


@extend_schema_view(
    list=extend_schema(
        summary="Assignments a provider refused, with the centre's ruling, for regulators of the region",
        responses={200: DeclinedAssignmentSerializer(many=True), **_errors(401, 403, 404)},
    )
)
class DeclinedAssignmentViewSet(RecordViewSet):
    permission_classes = [permissions.IsAuthenticated, ReadsDeclinedAssignments]
    serializer_class = DeclinedAssignmentSerializer
    rows = staticmethod(selectors.declined_assignments_for)
