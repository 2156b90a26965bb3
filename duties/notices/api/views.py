"""Notification endpoints (API.md): the caller's notices, mark read, preferences; the failure
list for site administrators. Each view parses, calls one service or selector, renders."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from duties.notices import selectors, services
from duties.notices.api import serializers as s
from duties.notices.models import FailedJob
from marketplace.core.api.filters import StrictBooleanFilter
from marketplace.core.api.schema import listed, shown
from marketplace.core.api.views import paged, validated
from marketplace.core.errors import NotFound
from marketplace.core.ids import parse_id


class NotificationFilter(filters.FilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="true: only the unread.")


@extend_schema_view(
    list=listed(s.NotificationSerializer, "The caller's notices, newest first"),
)
class NotificationViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return selectors.notifications_of(self.request.user)

    def list(self, request):
        return paged(self, self.filter_queryset(self.get_queryset()), s.NotificationSerializer)

    @shown(s.NotificationSerializer, "Mark one of the caller's notices read", errors=(401, 403, 404), request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification_id = parse_id(pk)
        if notification_id is None:
            raise NotFound()
        notification = services.notification_mark_read(user=request.user, notification_id=notification_id)
        return Response(s.NotificationSerializer(notification).data)

    @shown(s.MarkedSerializer, "Mark all the caller's notices read", errors=(401, 403), request=None)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class PreferencesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @shown(s.PreferenceSerializer(many=True), "The caller's channels per kind of notice", errors=(401, 403))
    def get(self, request):
        return Response(s.PreferenceSerializer(selectors.preferences_of(request.user), many=True).data)

    @shown(
        s.PreferenceSerializer(many=True),
        "Set the caller's channels (the kinds listed; the others keep theirs)",
        errors=(400, 401, 403),
        request=s.PreferenceSerializer(many=True),
    )
    def put(self, request):
        rows = validated(s.PreferenceSerializer, request, many=True)
        services.preferences_set(user=request.user, rows=rows)
        return Response(s.PreferenceSerializer(selectors.preferences_of(request.user), many=True).data)


@extend_schema_view(
    list=listed(
        s.FailedJobSerializer,
        "Background jobs that failed after their retries (site administrators)",
        errors=(401, 403),
    ),
)
class FailedJobViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAdminUser]
    serializer_class = s.FailedJobSerializer
    queryset = FailedJob.objects.all()

    def list(self, request):
        return paged(self, self.get_queryset(), s.FailedJobSerializer)
