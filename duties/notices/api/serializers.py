from rest_framework import serializers

from duties.notices.models import FailedJob, NoticeKind, Notification
from marketplace.core.api.serializers import ReadOnlyModelSerializer


class NotificationSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField()
    sms = serializers.BooleanField()


class FailedJobSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = FailedJob
        fields = ["id", "task_name", "task_id", "exception", "failed_at"]
