"""``POST /api/v1/me/calendar/reset/``: a provider revokes their calendar link and gets a new one."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from volunteers.calendar import calendar_url, reset_calendar_token


class CalendarResetView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("CalendarLink", {"calendar_url": serializers.CharField()}),
            403: OpenApiResponse(description="Not a provider"),
        },
    )
    def post(self, request):
        volunteer = getattr(request.user, "volunteer", None)
        if volunteer is None:
            raise PermissionDenied("Only providers have a calendar link.", code="not_a_provider")
        token = reset_calendar_token(volunteer)
        return Response({"calendar_url": calendar_url(token, request=request)})
