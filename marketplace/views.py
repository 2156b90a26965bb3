import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason goes in the answer
        return type(exc).__name__
    return None


async def _round_trip(layer) -> None:
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned another message")


def _check_channel_layer() -> str | None:
    layer = get_channel_layer()
    if layer is None:
        return "not configured"
    try:
        async_to_sync(_round_trip)(layer)
    except Exception as exc:
        return type(exc).__name__
    return None


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the channel layer answer, 503 naming what is down otherwise."""
    checks = {"database": _check_database(), "channel_layer": _check_channel_layer()}
    ok = all(problem is None for problem in checks.values())
    body = {
        "status": "ok" if ok else "down",
        "checks": {name: ("ok" if problem is None else f"down: {problem}") for name, problem in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)
