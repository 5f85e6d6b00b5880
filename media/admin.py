"""Admin screens for the media library."""

from django.contrib import admin

from media.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "width", "height", "credit", "created_at"]
    search_fields = ["alt", "caption", "credit", "source_url"]
    readonly_fields = ["width", "height", "file_size", "format", "sha256", "created_at", "updated_at"]
