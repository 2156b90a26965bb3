"""Live updates: /ws/board/ and /ws/me/ get events after commit, and only after commit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction

from marketplace import services
from marketplace.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


async def connect(path, user=None):
    communicator = WebsocketCommunicator(app, path)
    if user is not None:
        communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_the_board_hears_a_claim_take_a_seat(open_task, provider_volunteer):
    board = await connect("/ws/board/")
    await database_sync_to_async(services.claim_create)(
        task=open_task, volunteer=provider_volunteer, by=provider_volunteer.user
    )
    event = await board.receive_json_from(timeout=2)
    assert event == {"type": "task.changed", "task": {"id": open_task.pk, "status": "open", "seats_left": 1}}
    await board.disconnect()


async def test_the_provider_and_the_coordinator_hear_claim_changed(
    open_task, provider_volunteer, coordinator, outsider
):
    mine = await connect("/ws/me/", provider_volunteer.user)
    desk = await connect("/ws/me/", coordinator)
    other = await connect("/ws/me/", outsider)
    claim = await database_sync_to_async(services.claim_create)(
        task=open_task, volunteer=provider_volunteer, by=provider_volunteer.user
    )
    expected = {
        "type": "claim.changed",
        "claim": {"id": claim.pk, "task": open_task.pk, "status": "accepted", "is_assignment": False},
    }
    assert await mine.receive_json_from(timeout=2) == expected
    assert await desk.receive_json_from(timeout=2) == expected
    assert await other.receive_nothing(timeout=0.3)
    for c in (mine, desk, other):
        await c.disconnect()


async def test_a_rolled_back_claim_publishes_nothing(open_task, provider_volunteer):
    board = await connect("/ws/board/")
    mine = await connect("/ws/me/", provider_volunteer.user)

    def claim_then_fail():
        with transaction.atomic():
            services.claim_create(task=open_task, volunteer=provider_volunteer, by=provider_volunteer.user)
            raise RuntimeError("something later in the request failed")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(claim_then_fail)()
    assert await board.receive_nothing(timeout=0.3)
    assert await mine.receive_nothing(timeout=0.1)
    await board.disconnect()
    await mine.disconnect()


async def test_me_refuses_anonymous_sockets():
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(app, "/ws/me/")
    communicator.scope["user"] = AnonymousUser()
    connected, code = await communicator.connect()
    assert not connected and code == 4401


async def test_drafts_are_not_announced_on_the_board(legal_aid_center, coordinator, values):
    board = await connect("/ws/board/")
    task = await database_sync_to_async(services.task_create)(
        organization=legal_aid_center, values=values, by=coordinator
    )
    assert await board.receive_nothing(timeout=0.3)
    await database_sync_to_async(services.task_publish)(task=task, by=coordinator)
    assert (await board.receive_json_from(timeout=2))["task"] == {"id": task.pk, "status": "open", "seats_left": 3}
    await board.disconnect()


@pytest.mark.redis(reason="needs REDIS_URL: the cross-process test uses Redis")
async def test_with_redis_an_event_published_by_another_process_reaches_this_socket():
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    board = await connect("/ws/board/")
    script = (
        "import django; django.setup(); from marketplace.core.events import to_board; "
        "to_board({'type': 'task.changed', 'task': {'id': 424242, 'status': 'open', 'seats_left': 3}})"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings", "DEBUG": "1"}
    result = subprocess.run(  # noqa: ASYNC221 (a short child process; the socket buffers meanwhile)
        [sys.executable, "-c", script], env=env, cwd=Path(settings.BASE_DIR), capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    event = await board.receive_json_from(timeout=5)
    assert event == {"type": "task.changed", "task": {"id": 424242, "status": "open", "seats_left": 3}}
    await board.disconnect()


@pytest.mark.redis(reason="needs REDIS_URL: the idle socket waits on Redis")
async def test_with_redis_an_idle_socket_stays_up_and_still_hears_an_event():
    """Idle for 16 s: three of channels_redis's 5 s blocking pops, each once outlived by redis-py's
    default 5 s read timeout, which dropped the socket (marketplace/core/redis_settings.py)."""
    import asyncio

    from asgiref.sync import sync_to_async

    from marketplace.core.events import to_board

    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    board = await connect("/ws/board/")
    await asyncio.sleep(16)
    event = {"type": "task.changed", "task": {"id": 434343, "status": "open", "seats_left": 1}}
    await sync_to_async(to_board)(event)
    assert await board.receive_json_from(timeout=5) == event
    await board.disconnect()
