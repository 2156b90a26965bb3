"""WebSocket consumers. Events are hints sent after commit; the REST API is the source of truth.

Every event is JSON-encoded once, by the publisher (``marketplace.core.events``): the message
carries its text, and each socket is sent that same text.

The board is the one group every visitor joins, so it does not fan out through the channel
layer: a process's board sockets share one subscription (``BoardHub``), which receives each event
once and writes its frame to every socket of the process in turn. The layer wakes one receiver per
process instead of one consumer per socket (with Redis, ``channels_redis`` sends each process one
message, whatever the number of its sockets).
"""

import asyncio
import contextlib
import json
import logging
import weakref

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

BOARD_GROUP = "board"
# A board socket that cannot take an event in this long is closed (its client reconnects and
# re-reads the API), so one client that stops reading never holds up the process's other sockets.
SEND_TIMEOUT_SECONDS = 2.0


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def event_text(message: dict) -> str:
    """The event's JSON text: as the publisher encoded it, else encoded here."""
    text = message.get("text")
    return text if text is not None else json.dumps(message["event"])


class BoardHub:
    """The board sockets of one process (one event loop) and their one subscription to the group.

    The subscription starts with the first socket and ends with the last. Events are written to
    the sockets one after the other, in the order they arrive, so each socket sees them in order.
    """

    def __init__(self):
        self.sockets: set = set()
        self._joining = 0
        self._pump: asyncio.Task | None = None
        self._subscribed: asyncio.Future | None = None

    async def join(self, consumer) -> None:
        """Subscribe the process (first socket only), accept ``consumer``, then send it events.

        Every event published after the socket is open reaches it: the subscription is in place
        before the accept, and the socket joins the hub's set right after the accept is sent."""
        self._joining += 1
        try:
            if self._pump is None or self._pump.done():
                self._subscribed = asyncio.get_running_loop().create_future()
                self._pump = asyncio.ensure_future(self._run(self._subscribed))
            await asyncio.shield(self._subscribed)
            await consumer.accept()
            self.sockets.add(consumer)
        finally:
            self._joining -= 1

    async def leave(self, consumer) -> None:
        self.sockets.discard(consumer)
        if not self.sockets and not self._joining and self._pump is not None:
            pump, self._pump = self._pump, None
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump

    async def _run(self, subscribed: asyncio.Future) -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(BOARD_GROUP, channel)
        subscribed.set_result(channel)
        try:
            while True:
                message = await layer.receive(channel)
                await self.send_all(event_text(message))
        finally:
            with contextlib.suppress(Exception):  # the layer is gone: nothing to leave
                await asyncio.shield(layer.group_discard(BOARD_GROUP, channel))

    async def send_all(self, text: str) -> None:
        for consumer in list(self.sockets):
            try:
                async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                    await consumer.send(text_data=text)
            except TimeoutError:
                logger.info("A board socket took more than %ss to take an event; closed.", SEND_TIMEOUT_SECONDS)
                self.sockets.discard(consumer)
                asyncio.ensure_future(consumer.close())
            except Exception:  # the socket went away meanwhile; its disconnect removes it
                self.sockets.discard(consumer)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, BoardHub]" = weakref.WeakKeyDictionary()


def board_hub() -> BoardHub:
    """The hub of the running event loop (a server process has one; each test has its own)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = BoardHub()
    return hub


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """Anyone: ``task.changed`` when a task opens, changes or closes."""

    async def connect(self):
        self.hub = board_hub()
        await self.hub.join(self)

    async def disconnect(self, code):
        hub = getattr(self, "hub", None)
        if hub is not None:
            await hub.leave(self)


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
        await self.send(text_data=event_text(message))
