"""Complaint endpoints (API.md, v1 additions). Each view parses, calls one service or selector, renders.

Addresses: ``/complaints/{id}/resolve/`` and ``/complaints/{id}/start/`` take the complaint's id
(digits only); ``/complaints/{code}/`` takes a tracking code, which always holds a letter (codes
are drawn until they do). The two never meet: no address of one shape answers for the other.
"""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from duties.complaints import selectors, services
from duties.complaints.access import access_complaint, require_complaints_handler
from duties.complaints.api import serializers as s
from duties.complaints.models import Complaint, ComplaintStatus
from duties.complaints.throttles import ComplaintFilingThrottle, ComplaintLookupThrottle
from marketplace.core.api.filters import IdFilter, StrictBooleanFilter
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import created, listed, shown
from marketplace.core.api.views import RecordViewSet, validated
from marketplace.core.errors import NotFound


class ComplaintFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ComplaintStatus.choices)
    overdue = StrictBooleanFilter(field_name="overdue", help_text="true: still open after its due day.")
    due_before = filters.DateFilter(method="filter_due_before", help_text="Open, and due before this day.")
    volunteer = IdFilter(field_name="volunteer_id", help_text="About this provider.")
    task = IdFilter(field_name="task_id", help_text="About this task.")

    class Meta:
        model = Complaint
        fields = []

    def filter_due_before(self, queryset, name, value):
        return queryset.filter(status__in=["received", "investigating"], due__lt=value)


class _IsAuthenticatedExceptFiling(permissions.BasePermission):
    """Anyone files; the bureau's desk needs a signed-in user (401 otherwise). A method the
    address does not take (no action) is left to answer 405."""

    def has_permission(self, request, view):
        return view.action in ("create", None) or bool(request.user and request.user.is_authenticated)


@extend_schema_view(
    list=listed(
        s.ComplaintSerializer,
        "The complaints of the regions of the caller's justice bureaus, with due dates",
        description="For reviewers of a justice bureau: the complaints of its region and every region under "
        "it, with the complainant's contact. Anyone else: 403 not_justice_bureau.",
    ),
)
class ComplaintViewSet(RecordViewSet):
    """Complaints about legal aid (Art. 57-59): anyone files; the justice bureau of the region
    investigates and records its finding."""

    permission_classes = [_IsAuthenticatedExceptFiling]
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilter
    queryset = Complaint.objects.none()
    lookup_value_regex = "[0-9]{1,19}"
    require_reader = staticmethod(require_complaints_handler)
    fetch_for = staticmethod(access_complaint)
    record_name = "complaint"

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ComplaintFilingThrottle())
        return throttles

    def get_queryset(self):
        qs = selectors.complaints_handled_by(self.request.user)
        return selectors.with_overdue(qs, today=timezone.localdate()).order_by("due", "id")

    @created(
        s.ComplaintPublicSerializer,
        "File a complaint (anyone; someone not signed in leaves a contact)",
        errors=(400, 401, 409, 413),
        description="Plain text only: a subject, text or contact holding HTML tags is refused (400 "
        "markup_not_allowed on that field). Rate-limited per client address (429). The answer's code "
        "is the tracking code for GET /api/v1/complaints/{code}/.",
        request=s.ComplaintCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
    )
    @idempotent
    def create(self, request):
        values = validated(s.ComplaintCreateSerializer, request, context={"request": request})
        complaint = services.complaint_file(by=request.user, **values)
        return Response(s.ComplaintPublicSerializer(complaint).data, status=status.HTTP_201_CREATED)

    @shown(
        s.ComplaintSerializer,
        "Start the investigation of a received complaint (the justice bureau of the region)",
        errors=(401, 403, 404, 409),
        request=None,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The complaint's id (digits).")],
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self.act(pk, services.complaint_start)

    @shown(
        s.ComplaintSerializer,
        "Record the finding and the action taken (the justice bureau of the region)",
        errors=(400, 401, 403, 404, 409),
        request=s.ComplaintResolveSerializer,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The complaint's id (digits).")],
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self.act(pk, services.complaint_resolve, s.ComplaintResolveSerializer)


class ComplaintLookupView(APIView):
    """The complainant's view of a complaint, by its tracking code."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ComplaintLookupThrottle]

    @shown(
        s.ComplaintPublicSerializer,
        "A complaint's status and the bureau's finding, by its tracking code (anyone)",
        operation_id="v1_complaints_track",
        description="The code is 16 letters and digits (2-7) printed ABCD-EFGH-IJKL-MNOP; case, spaces and "
        "dashes are ignored. Every code holds a letter, so it is never taken for a complaint's id (which "
        "the bureau's addresses, /complaints/{id}/resolve/ and /start/, take). The complainant's contact is "
        "never shown. Rate-limited per client address (429).",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="The tracking code, e.g. ABCD-EFGH-IJKL-MNOP: it holds a letter.",
                pattern="[A-Za-z]",
            )
        ],
        auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
    )
    def get(self, request, code: str):
        complaint = selectors.complaint_by_code(code)
        if complaint is None:
            raise NotFound()
        return Response(s.ComplaintPublicSerializer(complaint).data)
