from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.throttles import ScopedRateThrottle
from marketplace.core.api.views import validated
from organizations.api.serializers import (
    MeSerializer,
    OrganizationSerializer,
    RegionSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from organizations.models import Region
from organizations.roles import roles_of
from organizations.selectors import organizations_visible_to, regions_visible_to
from organizations.services import api_token_issue, api_token_revoke


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Administrative divisions (GB/T 2260 codes); public."""

    serializer_class = RegionSerializer
    filterset_fields = ["parent"]
    queryset = Region.objects.none()  # the model, for the schema's path parameter (code)

    def get_queryset(self):
        return regions_visible_to(self.request.user)


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Organisations: legal aid centres, unions, federations, regulators, firms; public."""

    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "region"]

    def get_queryset(self):
        return organizations_visible_to(self.request.user)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.memberships_cached = roles_of(user).memberships
        return Response(MeSerializer(user, context={"request": request}).data)


class TokenView(APIView):
    """Exchange a username and password for an API token, or revoke the caller's token.

    Failed attempts are counted by django-axes per username and address, like the login page.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="Missing username or password")},
    )
    def post(self, request):
        data = validated(TokenRequestSerializer, request)
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if getattr(request, "axes_locked_out", False):
            raise Throttled(detail="Too many failed sign-in attempts; try again later.")
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.", code="invalid_credentials")
        return Response({"token": api_token_issue(user=user)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
