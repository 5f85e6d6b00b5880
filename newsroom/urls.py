"""Top-level URL routes: the admin, the public API and (in development) uploaded media."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.api.imports import ImportView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("renditions/", include("media.urls")),
    path("api/v1/imports/", ImportView.as_view(), name="api-imports"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
