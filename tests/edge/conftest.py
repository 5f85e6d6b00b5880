"""Fixtures for the response cache and CDN tests: a real Redis as the shared cache, recording HTTP servers."""

import pytest

from tests.servers import Recorder, RedisServer


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer().start()
    yield server
    server.remove()


@pytest.fixture
def shared_cache(redis_server, settings):
    """The default cache is the Redis server (as with CACHE_URL), the response cache on, empty at the start."""
    redis_server.flush()
    settings.CACHES = {"default": {"BACKEND": "newsroom.caches.TolerantRedisCache", "LOCATION": redis_server.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}}
    settings.API_RESPONSE_CACHE = True
    return redis_server


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.shutdown()
    server.server_close()
