from django.contrib.auth.models import User
from rest_framework import serializers

from marketplace.core import me
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
    """The caller. Apps above this one add fields (``unread_notifications``) through the kernel's
    extension point ``marketplace.core.me``."""

    display_name = serializers.SerializerMethodField()
    volunteer = serializers.SerializerMethodField()
    memberships = MembershipSerializer(source="memberships_cached", many=True, read_only=True)
    calendar_url = serializers.SerializerMethodField(
        help_text="Providers only: the secret iCalendar link of their shifts, sessions and hearings "
        "(POST /api/v1/me/calendar/reset/ revokes it and issues a new one); null for other users."
    )

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "volunteer", "memberships", "calendar_url"]

    def get_fields(self):
        fields = super().get_fields()
        for entry in me.contributed():
            fields[entry.name] = me.serializer_field(entry)
        return fields

    def get_display_name(self, user: User) -> str:
        return user.get_full_name() or user.username

    def get_volunteer(self, user: User) -> int | None:
        volunteer = getattr(user, "volunteer", None)
        return volunteer.pk if volunteer else None

    def get_calendar_url(self, user: User) -> str | None:
        volunteer = getattr(user, "volunteer", None)
        if volunteer is None:
            return None
        return volunteer.calendar_url(request=self.context.get("request"))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
