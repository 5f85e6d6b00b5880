"""A Redis cache that fails open: during an outage every read misses and every write is dropped, never a 500."""

import logging
import os
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# After a failure, Redis is left alone this long: a down server must not cost every request a connect timeout.
BREAK_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis-py client per thread and connection pool instead of building one per call.

    Building a `redis.Redis` costs about 0.3 ms (its response callbacks), more than the round trip of a cache hit;
    and taking a connection from the pool and giving it back (a lock and a poll for unread data each time) was a
    third of a hit's Redis time. So each thread's client holds one connection of the pool. The process id is part
    of the key: a forked worker never writes to its parent's socket.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._local = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self._local.__dict__.setdefault("clients", {})
        slot = (os.getpid(), id(pool))
        client = clients.get(slot)
        if client is None:
            client = clients[slot] = self._client(connection_pool=pool, single_connection_client=True)
        return client


class TolerantRedisCache(RedisCache):
    """Django's RedisCache, where a Redis error means "not cached" (the API then reads PostgreSQL).

    Everything shared goes through here (throttle counters, the response cache and its generation), so an outage
    degrades to slower answers and per-request throttling, not to errors. Sessions live in the database.
    """

    _broken_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guard(self, method, default, *args, **kwargs):
        if time.monotonic() < self._broken_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as exc:
            log.warning("cache unavailable for %.0f s (%s: %s)", BREAK_SECONDS, type(exc).__name__, exc)
            self._broken_until = time.monotonic() + BREAK_SECONDS
            return default

    def make_and_validate_key(self, key, version=None):
        """The key, unchecked: BaseCache checks memcached's key rules (a warning past 250 characters or on control
        characters), which Redis does not have, at a tenth of a cache hit's time."""
        return self.make_key(key, version=version)

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", None, key, delta, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)
