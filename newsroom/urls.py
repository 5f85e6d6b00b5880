"""Top-level URL routes: the admin, the public API and its schema, renditions and (in development) uploaded media."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from articles.api.exceptions import api_not_found
from articles.api.schema import SchemaView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),  # the API has no root page of its own
    path("admin/", admin.site.urls),
    path("renditions/", include("media.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("feeds/", include("feeds.urls")),
    path("", include("sitemaps.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL, not inline, for the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
]

handler400 = "articles.api.exceptions.bad_request"
handler500 = "articles.api.exceptions.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
