from django.contrib.auth.models import User
from rest_framework import serializers

from organizations.models import Membership, Organization, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "parent"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "name_en", "kind", "region"]


class MembershipSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_kind = serializers.CharField(source="organization.kind", read_only=True)

    class Meta:
        model = Membership
        fields = ["organization", "organization_name", "organization_kind", "role"]


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.SerializerMethodField()
    volunteer = serializers.SerializerMethodField()
    memberships = MembershipSerializer(source="memberships_cached", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "volunteer", "memberships"]

    def get_display_name(self, user: User) -> str:
        return user.get_full_name() or user.username

    def get_volunteer(self, user: User) -> int | None:
        volunteer = getattr(user, "volunteer", None)
        return volunteer.pk if volunteer else None


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
