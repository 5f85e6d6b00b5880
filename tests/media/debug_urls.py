"""The project's routes plus media serving as in DEBUG, reading MEDIA_ROOT per request (tests change it)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as project_urlpatterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*project_urlpatterns, re_path(r"^media/(?P<path>.*)$", serve_media)]
