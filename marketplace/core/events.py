"""Publishing events to WebSocket groups, always after the transaction commits.

A rolled-back change publishes nothing: ``transaction.on_commit`` drops its callbacks. A committed
change is never reported as failed: an event the channel layer cannot take (Redis down) is logged
and lost. Events are hints; clients re-read the API.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from marketplace.core.consumers import BOARD_GROUP, user_group

logger = logging.getLogger(__name__)


async def _send_all(layer, groups: list[str], event: dict) -> None:
    # Encoded once: every group and every socket gets this text (marketplace.core.consumers).
    message = {"type": "event.forward", "event": event, "text": json.dumps(event)}
    for group in groups:
        await layer.group_send(group, message)


def publish_on_commit(groups: list[str], event: dict) -> None:
    """Schedule ``event`` for each group once the current transaction commits.

    One ``async_to_sync`` hop for all the groups: each hop costs a thread switch."""

    transaction.on_commit(lambda: _deliver(groups, event))


def _deliver(groups: list[str], event: dict) -> None:
    layer = get_channel_layer()
    if layer is None or not groups:
        return
    try:
        async_to_sync(_send_all)(layer, groups, event)
    except Exception as exc:  # the change is committed; whatever the layer raised, the event is only lost
        logger.warning(
            "Event %s to %d group(s) lost: channel layer unavailable (%r).", event.get("type"), len(groups), exc
        )


def to_board(event: dict) -> None:
    publish_on_commit([BOARD_GROUP], event)


def to_users(user_ids, event: dict) -> None:
    publish_on_commit([user_group(uid) for uid in sorted(set(user_ids))], event)
