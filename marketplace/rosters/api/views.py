"""Duty roster endpoints (docs/rosters.md). Each view parses, calls one service or selector, renders."""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.access import access_claim
from marketplace.api.serializers import ClaimSerializer
from marketplace.core.api.filters import IdFilter, StrictBooleanFilter
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import error_responses
from marketplace.core.api.views import RecordDetailViewSet, RecordViewSet, validated
from marketplace.rosters import selectors, services
from marketplace.rosters.access import access_station, access_swap
from marketplace.rosters.api import serializers as s
from marketplace.rosters.models import DutyShift, DutyStation, HalfDay, ServedShift, ShiftSwap, SwapStatus
from organizations.roles import roles_of


class _SignedInToWrite(permissions.BasePermission):
    """Reading is public; writing needs a signed-in user (401 otherwise)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


@extend_schema_view(
    list=extend_schema(summary="Duty stations (anyone)", responses={200: s.StationSerializer(many=True)}),
    retrieve=extend_schema(summary="One duty station", responses={200: s.StationSerializer, **error_responses(404)}),
)
class StationViewSet(RecordDetailViewSet):
    """Legal aid stations at courts, procuratorates and detention centres where duty lawyers sit."""

    permission_classes = [_SignedInToWrite]
    serializer_class = s.StationSerializer
    queryset = DutyStation.objects.none()
    lookup_value_regex = "[0-9]{1,19}"
    fetch_for = staticmethod(access_station)
    rows = staticmethod(selectors.stations_visible_to)

    @extend_schema(
        summary="Add a station (coordinators of a legal aid centre or station organisation)",
        description="403 not_station_operator for other organisations; 400 on region outside the organisation's.",
        request=s.StationCreateSerializer,
        responses={201: s.StationSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request):
        station = services.station_create(by=request.user, **validated(s.StationCreateSerializer, request))
        return self.answer(station, code=status.HTTP_201_CREATED)


class ShiftFilter(filters.FilterSet):
    station = IdFilter(field_name="station_id")
    half_day = filters.ChoiceFilter(choices=HalfDay.choices)
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")
    uncovered = StrictBooleanFilter(
        method="filter_uncovered", help_text="true: open shifts within ROSTER_UNCOVERED_DAYS with a seat nobody holds."
    )

    class Meta:
        model = DutyShift
        fields = []

    def filter_uncovered(self, queryset, name, value):
        if value is None:
            return queryset
        flagged = selectors.uncovered(queryset, now=timezone.now())
        return flagged if value else queryset.exclude(pk__in=flagged.values("pk"))


@extend_schema_view(
    list=extend_schema(
        summary="Duty shifts (published ones for anyone; drafts for the station)",
        responses={200: s.ShiftSerializer(many=True), **error_responses(400)},
    ),
)
class ShiftViewSet(RecordViewSet):
    """Dated half-day shifts (上午/下午) at the stations; each is a duty_shift task of the board."""

    permission_classes = [_SignedInToWrite]
    serializer_class = s.ShiftSerializer
    filterset_class = ShiftFilter
    queryset = DutyShift.objects.none()
    rows = staticmethod(selectors.shifts_visible_to)
    rows_order = ("date", "half_day", "id")

    @extend_schema(
        summary="Post shifts in bulk for a range of days (the station's coordinators)",
        description="Each chosen weekday from first_day to last_day (from today, at most ROSTER_MAX_WEEKS weeks "
        "ahead), morning and/or afternoon at the station's hours, seats lawyers each: open duty_shift tasks for "
        "lawyers only (400 lawyers_only on eligible_kinds naming anyone else). Slots already posted are skipped. "
        "403 for a caller coordinating nothing; 404 for another organisation's station.",
        request=s.BulkShiftsSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: s.BulkShiftsResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def bulk(self, request):
        roles_of(request.user).require_coordinator()
        values = dict(validated(s.BulkShiftsSerializer, request))
        station = access_station(request.user, values.pop("station"), for_write=True)
        posted = services.shifts_post(station=station, by=request.user, **values)
        body = {
            "created": s.ShiftSerializer(posted.created, many=True).data,
            "skipped": [{"date": day.isoformat(), "half_day": half} for day, half in posted.skipped],
        }
        return Response(body, status=status.HTTP_201_CREATED)


class RosterClaimViewSet(viewsets.GenericViewSet):
    """The roster's actions on a claim of a duty shift: hand it on, record it served."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ClaimSerializer
    queryset = ShiftSwap.objects.none()
    lookup_value_regex = "[0-9]{1,19}"

    @extend_schema(
        summary="Ask to hand an accepted shift to another lawyer (the lawyer holding it)",
        description="The receiving lawyer is named by licence number. 400 on volunteer (not_found, same_provider, "
        "lawyers_only, not_eligible with the reason); 403 for anyone but the lawyer; 409 not_a_shift, "
        "claim_not_accepted, shift_started, swap_pending. The station's coordinators approve or refuse.",
        request=s.SwapRequestSerializer,
        responses={201: s.SwapSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        claim = access_claim(request.user, pk)
        data = validated(s.SwapRequestSerializer, request)
        swap = services.swap_request(
            claim=claim,
            to_volunteer=services.provider_by_licence(data["licence_number"]),
            reason=data["reason"],
            by=request.user,
        )
        return Response(s.SwapSerializer(access_swap(request.user, swap.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a shift served: the help given, the people helped (the station's coordinators)",
        description="Once per claim (409 already_served, nothing written); credits the hours through a "
        "confirmed hour log and creates the subsidy line. 403 for the lawyer (own_record) or anyone but the "
        "station's coordinators; 409 not_a_shift, claim_not_accepted, shift_not_started, year_locked.",
        request=s.ServedSerializer,
        responses={201: s.ServedShiftSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def served(self, request, pk=None):
        claim = access_claim(request.user, pk)
        served = services.shift_served_record(claim=claim, by=request.user, **validated(s.ServedSerializer, request))
        return Response(s.ServedShiftSerializer(served).data, status=status.HTTP_201_CREATED)


class SwapFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SwapStatus.choices)
    station = IdFilter(field_name="shift__station_id")

    class Meta:
        model = ShiftSwap
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="Shift swaps: the caller's own, and those of the stations it runs",
        responses={200: s.SwapSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(summary="One shift swap", responses={200: s.SwapSerializer, **error_responses(401, 404)}),
)
class SwapViewSet(RecordDetailViewSet):
    serializer_class = s.SwapSerializer
    filterset_class = SwapFilter
    queryset = ShiftSwap.objects.none()
    lookup_value_regex = "[0-9]{1,19}"
    fetch_for = staticmethod(access_swap)
    record_name = "swap"
    rows = staticmethod(selectors.swaps_visible_to)
    rows_order = ("-created_at", "-id")

    @extend_schema(
        summary="Approve a swap: the claim moves to the receiving lawyer (the station's coordinators)",
        description="403 for anyone else, own_record for a lawyer of the swap, lawyers_only; 409 swap_not_pending, "
        "shift_started, claim_changed, not_eligible (e.g. the receiving lawyer is busy then), already_claimed.",
        request=None,
        responses={200: s.SwapSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.act(pk, services.swap_approve)

    @extend_schema(
        summary="Refuse a swap with a reason (the station's coordinators)",
        request=s.RefuseSerializer,
        responses={200: s.SwapSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.act(pk, services.swap_refuse, s.RefuseSerializer)

    @extend_schema(
        summary="Withdraw a swap awaiting the station (either lawyer of it)",
        request=None,
        responses={200: s.SwapSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.act(pk, services.swap_cancel)


@extend_schema_view(
    list=extend_schema(
        summary="Served shifts: the caller's own, and those of the stations it runs",
        responses={200: s.ServedShiftSerializer(many=True), **error_responses(401)},
    ),
)
class ServedShiftViewSet(RecordViewSet):
    serializer_class = s.ServedShiftSerializer
    queryset = ServedShift.objects.none()
    rows = staticmethod(selectors.served_visible_to)
    rows_order = ("-recorded_at", "-id")
