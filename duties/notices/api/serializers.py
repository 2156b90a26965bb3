from rest_framework import serializers

from duties.notices.models import FailedJob, NoticeKind, Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField()
    sms = serializers.BooleanField()


class FailedJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = FailedJob
        fields = ["id", "task_name", "task_id", "exception", "failed_at"]
        read_only_fields = fields
