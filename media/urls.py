"""URL routes of the media app: on-demand renditions."""

from django.urls import path

from media import views

app_name = "media"

urlpatterns = [
    path("<int:image_id>/<slug:spec>.<str:extension>", views.rendition, name="rendition"),
]
