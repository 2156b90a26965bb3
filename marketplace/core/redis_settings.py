"""The channel layer and the cache on Redis (``REDIS_URL``), shaped for faults.

Read by settings.py and by the tests that point them at a port where nothing answers.
"""

# channels_redis waits for a message in a blocking BZPOPMIN of 5 s (RedisChannelLayer.brpop_timeout)
# and loops. redis-py's default read timeout is also 5 s, so the read timed out first and every
# idle WebSocket dropped about every 5 s. A read now may take 30 s: an idle socket stays up for as
# long as the browser keeps it (each pop returns within 5 s); keepalive finds a dead peer.
CHANNEL_SOCKET_TIMEOUT = 30
# Connecting, for the layer and the cache: a Redis that does not answer in time counts as down.
CONNECT_TIMEOUT = 2
# A cache read or write that takes longer than this counts as a cache miss (fail open).
CACHE_SOCKET_TIMEOUT = 1


def channel_layer_config(url: str, *, prefix: str) -> dict:
    host = {
        "address": url,
        "socket_timeout": CHANNEL_SOCKET_TIMEOUT,
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_keepalive": True,
    }
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [host], "prefix": prefix},
        }
    }


def cache_config(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "marketplace.core.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT},
        }
    }
