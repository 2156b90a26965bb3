"""``GET/PUT /api/v1/centres/{id}/case-cap/``: a legal aid centre's cap on open cases per handler.

Who: coordinators and admins of the centre (anyone else, or an organisation that is not a legal
aid centre, 404). ``PUT {"max_open_cases": n}`` sets it, ``{"max_open_cases": null}`` lifts it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.applications import caseload
from marketplace.core.api.schema import error_responses


class CaseCapSerializer(serializers.Serializer):
    centre = serializers.IntegerField(read_only=True)
    max_open_cases = serializers.IntegerField(
        min_value=1,
        max_value=caseload.MAX_CAP,
        allow_null=True,
        help_text=_("Open cases one handler may carry; null: no cap. Assigning beyond it is 409 case_cap_reached."),
    )
    set_by = serializers.IntegerField(read_only=True, allow_null=True)
    set_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _answer(centre_id: int) -> Response:
    cap = caseload.case_cap_record(centre_id)
    body = {
        "centre": centre_id,
        "max_open_cases": cap.max_open_cases if cap else None,
        "set_by": cap.set_by_id if cap else None,
        "set_at": cap.set_at if cap else None,
    }
    return Response(CaseCapSerializer(body).data)


class CaseCapView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="centres_case_cap_retrieve",
        responses={200: CaseCapSerializer, **error_responses(401, 404)},
        tags=["centres"],
    )
    def get(self, request, centre_id: int):
        centre = caseload.access_centre(request.user, centre_id)
        return _answer(centre.pk)

    @extend_schema(
        operation_id="centres_case_cap_update",
        request=CaseCapSerializer,
        responses={200: CaseCapSerializer, **error_responses(400, 401, 404)},
        tags=["centres"],
    )
    def put(self, request, centre_id: int):
        centre = caseload.access_centre(request.user, centre_id)
        data = CaseCapSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        caseload.case_cap_set(centre=centre, max_open_cases=data.validated_data["max_open_cases"], by=request.user)
        return _answer(centre.pk)
