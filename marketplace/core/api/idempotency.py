"""``Idempotency-Key`` for creating POSTs (API.md), as a decorator on a DRF view method.

Usage, on any view method that creates::

    from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER], ...)
    @idempotent
    def create(self, request): ...

With the header, the first successful (2xx) answer of the signed-in user for that key is stored
with a hash of method, path and body. The same key and body replays it (header
``Idempotent-Replayed: true``) and creates nothing; the same key with another body or path is 409
``idempotency_mismatch``. Failed answers are not stored, so a corrected retry may reuse the key.

The view runs inside one transaction with the record's insert: two concurrent first requests with
one key cannot both create, because the loser's insert hits the unique (user, key) constraint,
its whole transaction (the created object included) rolls back, and it replays the winner.
"""

import functools
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from marketplace.core.errors import Conflict, Invalid
from marketplace.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique key per intended creation (at most 255 characters). A retry with the same key "
    "and body replays the first answer; another body gives 409 idempotency_mismatch.",
)


class _LostRace(Exception):
    pass


def _body_hash(request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, body_hash: str) -> Response:
    if record.body_hash != body_hash:
        raise Conflict(
            _("This Idempotency-Key was used for another request."),
            code="idempotency_mismatch",
        )
    return Response(record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise Invalid(_("Give a key of 1 to 255 characters."), field=HEADER)
        body_hash = _body_hash(request)
        record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if record is not None:
            return _replay(record, body_hash)
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    try:
                        with transaction.atomic():
                            IdempotencyRecord.objects.create(
                                user=request.user,
                                key=key,
                                method=request.method,
                                path=request.path[:255],
                                body_hash=body_hash,
                                status_code=response.status_code,
                                response_body=json.loads(json.dumps(response.data, cls=DjangoJSONEncoder)),
                            )
                    except IntegrityError:
                        raise _LostRace() from None
                return response
        except _LostRace:
            return _replay(IdempotencyRecord.objects.get(user=request.user, key=key), body_hash)

    return wrapper
