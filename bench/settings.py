"""Benchmark settings: the real settings plus a floor route (a trivial view serving a prebuilt payload)."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
