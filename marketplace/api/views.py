"""Task and claim endpoints (API.md). Each view parses, calls one service or selector, renders."""

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace import selectors, services
from marketplace.access import access_claim, access_task
from marketplace.api.filters import ClaimFilter, TaskFilter
from marketplace.api.serializers import (
    AssignSerializer,
    CandidateSerializer,
    ClaimSerializer,
    ConfirmNoConflictSerializer,
    DeclinedAssignmentSerializer,
    ErrorSerializer,
    ReasonSerializer,
    RequiredReasonSerializer,
    RevealSerializer,
    TaskCreateSerializer,
    TaskDetailSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.errors import Forbidden
from organizations.models import OrganizationKind


def _errors(*codes: int) -> dict:
    """Documented error answers: 400 carries field errors, the others ``{"detail", "code"}``."""
    out = {}
    for code in (*codes, 429):
        if code == 400:
            out[400] = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: {field: [message]}")
        else:
            out[code] = OpenApiResponse(ErrorSerializer)
    return out


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
        return selectors.tasks_visible_to(self.request.user).order_by("starts_at", "id")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

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

    @extend_schema(
        request=TaskCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: TaskDetailSerializer, **_errors(400, 401, 403, 409)},
    )
    @idempotent
    def create(self, request):
        data = TaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
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
        data = TaskUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        confidential = changes.pop("confidential", None)
        task = services.task_update(task=task, changes=changes, confidential=confidential, by=request.user)
        return self._detail(task)

    @extend_schema(request=None, responses={200: TaskDetailSerializer, **_errors(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        return self._detail(services.task_publish(task=task, by=request.user))

    @extend_schema(
        request=RequiredReasonSerializer, responses={200: TaskDetailSerializer, **_errors(400, 401, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        data = RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.task_cancel(task=task, reason=data.validated_data["reason"], by=request.user))

    @extend_schema(request=None, responses={200: TaskDetailSerializer, **_errors(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        return self._detail(services.task_complete(task=task, by=request.user))

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
        if task.organization.kind != OrganizationKind.LEGAL_AID_CENTER:
            raise Forbidden(_("Only legal aid centres assign matters."), code="not_legal_aid_center")
        ranked = selectors.assignment_candidates(task=task, now=timezone.now(), for_user=request.user)
        page = self.paginate_queryset(ranked)
        offset = (self.paginator.page.number - 1) * self.paginator.page.paginator.per_page
        for i, candidate in enumerate(page, start=offset + 1):
            candidate.rank = i
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)

    @extend_schema(
        request=AssignSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def assign(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.task_assign(task=task, volunteer=data.validated_data["volunteer"], by=request.user)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Who saw the confidential details, and when",
        responses={200: RevealSerializer(many=True), **_errors(401, 404)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    @method_decorator(never_cache)
    def reveals(self, request, pk=None):
        task = access_task(request.user, pk, for_write=True)
        page = self.paginate_queryset(selectors.reveals_of(task))
        return self.get_paginated_response(RevealSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(responses={200: ClaimSerializer(many=True), **_errors(400, 401, 404)}),
    retrieve=extend_schema(responses={200: ClaimSerializer, **_errors(401, 404)}),
)
class ClaimViewSet(viewsets.GenericViewSet):
    """Claims: the provider's own, and those on the coordinator's organisations' tasks."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ClaimSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ClaimSerializer(access_claim(request.user, pk)).data)

    @extend_schema(request=None, responses={200: ClaimSerializer, **_errors(401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        claim = access_claim(request.user, pk)
        return Response(ClaimSerializer(services.claim_accept(claim=claim, by=request.user)).data)

    @extend_schema(
        description="By the coordinator: declines a requested or waitlisted claim; the provider reads the reason. "
        "By the provider: declines an assignment made to them. Either way `reason` is required (400 on `reason`).",
        request=ReasonSerializer,
        responses={200: ClaimSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        claim = access_claim(request.user, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_decline(claim=claim, reason=data.validated_data["reason"], by=request.user)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=ReasonSerializer, responses={200: ClaimSerializer, **_errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        claim = access_claim(request.user, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_withdraw(claim=claim, reason=data.validated_data["reason"], by=request.user)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=None, responses={200: ConfirmNoConflictSerializer, **_errors(401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="confirm-no-conflict")
    @method_decorator(never_cache)
    def confirm_no_conflict(self, request, pk=None):
        claim = access_claim(request.user, pk)
        confidential = services.claim_confirm_no_conflict(claim=claim, by=request.user)
        return Response({"claim": ClaimSerializer(claim).data, "confidential": confidential})


class IsRegulator(permissions.BasePermission):
    message = "Only regulators (justice bureaus, lawyers' associations) read declined assignments."

    def has_permission(self, request, view):
        from organizations.selectors import is_regulator

        return bool(request.user and request.user.is_authenticated and is_regulator(request.user))


@extend_schema_view(
    list=extend_schema(
        summary="Assignments a provider declined, for regulators of the region",
        responses={200: DeclinedAssignmentSerializer(many=True), **_errors(401, 403, 404)},
    )
)
class DeclinedAssignmentViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, IsRegulator]
    serializer_class = DeclinedAssignmentSerializer

    def get_queryset(self):
        return selectors.declined_assignments_for(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DeclinedAssignmentSerializer(page, many=True).data)
