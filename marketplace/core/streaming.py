"""Responses that really stream, under uvicorn (ASGI) as under a WSGI server or the test client.

Django's ASGI handler reads a *synchronous* streaming body to the end before sending a byte
(``sync_to_async(list)``), so a large export would sit whole in memory. Served over ASGI, the
body is therefore handed over as an asynchronous iterator that pulls a batch at a time from the
synchronous one, in the request's own thread (where its database cursor lives).
"""

from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import IO

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse


def _batched_async(chunks: Iterable, batch: int) -> AsyncIterator:
    iterator = iter(chunks)

    def next_batch() -> list:
        return list(islice(iterator, batch))

    async def generate():
        try:
            while parts := await sync_to_async(next_batch, thread_sensitive=True)():
                yield b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                await sync_to_async(close, thread_sensitive=True)()

    return generate()


def streaming_response(request, chunks: Iterable, *, content_type: str, batch: int = 500) -> StreamingHttpResponse:
    """Stream ``chunks`` (str or bytes) without holding them all, whichever server runs the app."""
    django_request = getattr(request, "_request", request)
    body = _batched_async(chunks, batch) if isinstance(django_request, ASGIRequest) else chunks
    return StreamingHttpResponse(body, content_type=content_type)


def file_chunks(handle: IO[bytes], *, block_size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's bytes, a block at a time; the file is closed at the end (or on disconnect)."""
    try:
        while block := handle.read(block_size):
            yield block
    finally:
        handle.close()
