"""The corrections screen: editors append a note to an article (its own audited action), nobody rewrites one."""

from django.contrib import admin

from articles import policy
from articles.models import Article
from corrections.models import Correction
from corrections.notes import add_note


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at", "created_by_name"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    search_fields = ["article__title", "article__code", "text"]
    autocomplete_fields = ["article"]
    fields = ["article", "kind", "text"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["article", "kind", "text", "created_at", "created_by_name"]

    def has_view_permission(self, request, obj=None):
        return policy.is_editor(request.user)

    def has_add_permission(self, request):
        return policy.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # append-only: a wrong note is followed by another

    def has_delete_permission(self, request, obj=None):
        # Before the article is public a note may still go; once readers may have seen it, it stays.
        return policy.is_editor(request.user) and (
            obj is None or not Article.objects.published().filter(pk=obj.article_id).exists()
        )

    def save_model(self, request, obj, form, change):
        note = add_note(obj.article, kind=obj.kind, text=obj.text, by=request.user)
        obj.pk, obj.created_at, obj.created_by_name = note.pk, note.created_at, note.created_by_name
