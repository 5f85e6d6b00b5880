"""Changelist filters of the media library: orientation and the articles using an image."""

from django.contrib import admin
from django.db.models import F, Q

from articles.models import Article


class OrientationFilter(admin.SimpleListFilter):
    title = "orientation"
    parameter_name = "orientation"

    def lookups(self, request, model_admin):
        return [("landscape", "Landscape"), ("portrait", "Portrait"), ("square", "Square")]

    def queryset(self, request, queryset):
        conditions = {"landscape": Q(width__gt=F("height")), "portrait": Q(width__lt=F("height")),
                      "square": Q(width=F("height"))}
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


class FetchedFilter(admin.SimpleListFilter):
    """Stored in the library, or known only by a remote URL (not fetched yet)."""

    title = "file"
    parameter_name = "fetched"

    def lookups(self, request, model_admin):
        return [("yes", "Stored"), ("no", "Not fetched yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(file="")
        if self.value() == "no":
            return queryset.filter(file="")
        return queryset


class UsedByFilter(admin.SimpleListFilter):
    """In use, unused, or used by one article (the articles listed are the latest that use images)."""

    title = "used by"
    parameter_name = "used_by"
    RECENT_ARTICLES = 15

    def lookups(self, request, model_admin):
        recent = (
            Article.objects.filter(Q(cover_image__isnull=False) | Q(inline_images__isnull=False))
            .distinct()
            .order_by("-updated_at")
            .values_list("pk", "title")[: self.RECENT_ARTICLES]
        )
        return [("any", "Any article"), ("none", "No article"), *((str(pk), title) for pk, title in recent)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.filter(Q(cover_of__isnull=False) | Q(inline_in__isnull=False)).distinct()
        if value == "none":
            return queryset.filter(cover_of__isnull=True, inline_in__isnull=True)
        if value and value.isdigit():
            return queryset.filter(Q(cover_of__pk=value) | Q(inline_in__article__pk=value)).distinct()
        return queryset
