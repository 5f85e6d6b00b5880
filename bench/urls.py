"""The app's routes plus /bench/floor/<name>/: the same Django stack serving bytes prepared in advance."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as app_urlpatterns


@cache
def payload(name):
    file = Path(os.environ["BENCH_FLOOR_DIR"]) / f"{Path(name).name}.json"
    if not file.is_file():
        raise Http404
    return file.read_bytes()


def floor(request, name):
    """The floor: no database, no serializer, the same response size as the endpoint it stands for."""
    return HttpResponse(payload(name), content_type="application/json")


urlpatterns = [path("bench/floor/<slug:name>/", floor), *app_urlpatterns]
