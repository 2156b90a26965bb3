"""The HTTP floor: the smallest ASGI app, served by the same uvicorn with the same worker count.

Every request, whatever its method and path, reads its body and answers a small JSON
(``{"status": "accepted"}``, 201 for a POST, 200 otherwise), so the claim and board scenarios of
``tests.bench.client`` run against it unchanged. What the product's endpoint costs beyond this is
Django, DRF, the service and the database.
"""

BODY = b'{"id": 1, "status": "accepted"}'


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    status = 201 if scope["method"] == "POST" else 200
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})
