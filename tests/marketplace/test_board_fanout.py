"""Issue 15: board events are encoded once and fan out through one subscription per process."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from marketplace.core import consumers
from marketplace.core.consumers import BOARD_GROUP, BoardHub
from marketplace.core.events import to_board
from marketplace.routing import websocket_urlpatterns

app = URLRouter(websocket_urlpatterns)
EVENT = {"type": "task.changed", "task": {"id": 7, "status": "open", "seats_left": 2}}


async def board_sockets(n):
    sockets = []
    for _ in range(n):
        communicator = WebsocketCommunicator(app, "/ws/board/")
        connected, _ = await communicator.connect()
        assert connected
        sockets.append(communicator)
    return sockets


async def board_members() -> set:
    """The channels subscribed to the board group, on the in-memory layer or on Redis."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # InMemoryChannelLayer
        return set(layer.groups.get(BOARD_GROUP, {}))
    connection = layer.connection(layer.consistent_hash(BOARD_GROUP))  # channels_redis
    return set(await connection.zrange(layer._group_key(BOARD_GROUP), 0, -1))


@pytest.mark.django_db(transaction=True)
async def test_a_process_subscribes_once_however_many_board_sockets_it_holds():
    before = await board_members()
    sockets = await board_sockets(5)
    assert len(await board_members() - before) == 1
    for socket in sockets:
        await socket.disconnect()
    await asyncio.sleep(0.1)
    assert await board_members() == before


@pytest.mark.django_db(transaction=True)
async def test_every_socket_is_sent_the_same_text_encoded_once(monkeypatch):
    sent = []
    send = consumers.BoardConsumer.send

    async def recording_send(self, text_data=None, bytes_data=None, close=False):
        sent.append(text_data)
        await send(self, text_data=text_data, bytes_data=bytes_data, close=close)

    monkeypatch.setattr(consumers.BoardConsumer, "send", recording_send)
    encoded = []
    dumps = consumers.json.dumps
    monkeypatch.setattr(consumers.json, "dumps", lambda *a, **k: encoded.append(1) or dumps(*a, **k))
    sockets = await board_sockets(4)
    from asgiref.sync import sync_to_async

    await sync_to_async(to_board)(EVENT)  # outside a transaction: published at once
    for socket in sockets:
        assert await socket.receive_json_from(timeout=2) == EVENT
    assert len(sent) == 4
    assert len({id(text) for text in sent}) == 1  # one string object, written to every socket
    assert len(encoded) == 1  # by the publisher, not per socket
    for socket in sockets:
        await socket.disconnect()


class FakeSocket:
    def __init__(self, delay=0.0):
        self.delay = delay
        self.texts = []
        self.closed = False

    async def send(self, text_data=None):
        await asyncio.sleep(self.delay)
        self.texts.append(text_data)

    async def close(self):
        self.closed = True


async def test_a_socket_that_stops_reading_is_closed_and_does_not_hold_the_others(monkeypatch):
    monkeypatch.setattr(consumers, "SEND_TIMEOUT_SECONDS", 0.05)
    hub = BoardHub()
    stuck, fine = FakeSocket(delay=10), FakeSocket()
    hub.sockets |= {stuck, fine}
    await asyncio.wait_for(hub.send_all('{"a": 1}'), timeout=1)
    await asyncio.sleep(0)
    assert fine.texts == ['{"a": 1}']
    assert stuck.closed and stuck not in hub.sockets
    await asyncio.wait_for(hub.send_all('{"a": 2}'), timeout=1)
    assert fine.texts == ['{"a": 1}', '{"a": 2}']
