"""WebSocket consumers. Events are hints sent after commit; the REST API is the source of truth."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

BOARD_GROUP = "board"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """Anyone: ``task.changed`` when a task opens, changes or closes."""

    async def connect(self):
        await self.channel_layer.group_add(BOARD_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(BOARD_GROUP, self.channel_name)

    async def event_forward(self, message):
        await self.send_json(message["event"])


class MeConsumer(AsyncJsonWebsocketConsumer):
    """Signed-in users: their own events (claims, hours, reviews)."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def event_forward(self, message):
        await self.send_json(message["event"])
