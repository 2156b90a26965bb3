from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.core.api.views import validated
from organizations.selectors import within_region_code
from volunteers.access import access_volunteer
from volunteers.api.serializers import VolunteerRegisterSerializer, VolunteerSerializer, VolunteerVerifySerializer
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus
from volunteers.selectors import volunteers_visible_to
from volunteers.services import volunteer_register, volunteer_verify


class VolunteerFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=VolunteerStatus.choices)
    kind = filters.ChoiceFilter(choices=VolunteerKind.choices)
    region = filters.CharFilter(method="filter_region", help_text="Region code; includes sub-regions.")

    class Meta:
        model = Volunteer
        fields = ["status", "kind", "region"]

    def filter_region(self, queryset, name, value):
        return within_region_code(queryset, value)


class VolunteerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Providers: self-registration, profiles, verification by regulators."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = VolunteerFilter

    def get_queryset(self):
        return volunteers_visible_to(self.request.user).order_by("id")

    def get_object(self):
        return access_volunteer(self.request.user, self.kwargs["pk"])

    @extend_schema(request=VolunteerRegisterSerializer, responses={201: VolunteerSerializer})
    def create(self, request):
        data = validated(VolunteerRegisterSerializer, request)
        volunteer = volunteer_register(user=request.user, **data)
        return Response(VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VolunteerVerifySerializer, responses={200: VolunteerSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        volunteer = access_volunteer(request.user, pk, for_verify=True)
        data = validated(VolunteerVerifySerializer, request)
        volunteer = volunteer_verify(volunteer=volunteer, by=request.user, **data)
        return Response(VolunteerSerializer(volunteer).data)
