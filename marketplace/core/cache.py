"""A Redis cache that fails open: with Redis down it remembers nothing and says so in the log.

The cache holds only rate-limit counters and other things that may be lost (docs/foundation.md):
without it, throttles let requests through rather than answer 500 to every API call.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Redis down under load would write one warning per cache call; one a minute per process is enough.
WARN_EVERY_SECONDS = 60
_warned_at: float | None = None


def _fail_open(method, fallback):
    """``method``, answering ``fallback(*args, **kwargs)`` (what an empty cache answers) on a Redis error."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            _warn(method.__name__, exc)
            return fallback(*args, **kwargs)

    return wrapper


def _warn(operation: str, exc: Exception) -> None:
    global _warned_at
    now = time.monotonic()
    if _warned_at is None or now - _warned_at >= WARN_EVERY_SECONDS:
        _warned_at = now
        logger.warning("Cache unavailable (%s: %s); failing open: rate limits are not counted.", operation, exc)


def _no_such_key(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (cache unavailable).")


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis is unreachable.

    Fail open, as a rate limit must: ``add`` reports success, so never use it as a lock.
    """

    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_open(RedisCache.get_many, lambda *a, **k: {})
    has_key = _fail_open(RedisCache.has_key, lambda *a, **k: False)
    add = _fail_open(RedisCache.add, lambda *a, **k: True)
    set = _fail_open(RedisCache.set, lambda *a, **k: None)
    set_many = _fail_open(RedisCache.set_many, lambda *a, **k: [])
    touch = _fail_open(RedisCache.touch, lambda *a, **k: False)
    incr = _fail_open(RedisCache.incr, _no_such_key)
    delete = _fail_open(RedisCache.delete, lambda *a, **k: False)
    delete_many = _fail_open(RedisCache.delete_many, lambda *a, **k: None)
    clear = _fail_open(RedisCache.clear, lambda *a, **k: False)
