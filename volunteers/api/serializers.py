from rest_framework import serializers

from marketplace.core.api.serializers import ReadOnlyModelSerializer
from organizations.models import Organization, Region
from volunteers.models import VERIFY_CHOICES, Category, Volunteer, VolunteerKind


class VolunteerSerializer(ReadOnlyModelSerializer):
    display_name = serializers.CharField(read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    practice_org_name = serializers.CharField(source="practice_org.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "display_name",
            "kind",
            "licence_number",
            "licensed_on",
            "practice_org",
            "practice_org_name",
            "region",
            "region_name",
            "specialties",
            "languages",
            "status",
            "status_note",
            "created_at",
        ]


class VolunteerRegisterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VolunteerKind.choices)
    licence_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    licensed_on = serializers.DateField(required=False, allow_null=True, default=None)
    practice_org = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, default=None
    )
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    specialties = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False, default=list, max_length=20
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=20
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class VolunteerVerifySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VERIFY_CHOICES)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
