from django.urls import path

from marketplace.core import consumers

websocket_urlpatterns = [
    path("ws/board/", consumers.BoardConsumer.as_asgi()),
    path("ws/me/", consumers.MeConsumer.as_asgi()),
]
