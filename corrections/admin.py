"""The corrections screen and the article form's notes: editors append a note (its own audited action); a note is
rewritten or removed only while its article has never been public."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from articles import policy
from corrections import notes
from corrections.models import Correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at", "created_by_name"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    search_fields = ["article__title", "article__code", "text"]
    autocomplete_fields = ["article"]
    fields = ["article", "kind", "text"]
    date_hierarchy = "created_at"
    actions = ["delete_selected"]  # replaces the site's action of that name (below)

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
        return policy.is_editor(request.user) and (obj is None or not notes.has_been_public(obj.article))

    def save_model(self, request, obj, form, change):
        note = notes.add_note(obj.article, kind=obj.kind, text=obj.text, by=request.user)
        obj.pk, obj.created_at, obj.created_by_name = note.pk, note.created_at, note.created_by_name

    def delete_model(self, request, obj):
        notes.remove_note(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for note in queryset:
            notes.remove_note(note, by=request.user)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request, queryset):
        """Django's bulk delete (its confirmation page, then delete_queryset), refused as a whole with the rule's
        message when a selected note has to stay: by the check first, or by remove_note if the article went public
        after it, in which case the notes already removed and Django's log entries roll back."""
        try:
            for note in queryset:
                notes.refuse_once_public(note.article)
            with transaction.atomic():
                return django_delete_selected(self, request, queryset)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return None


class CorrectionFormSet(BaseInlineFormSet):
    """The article form's notes, saved through corrections.notes (audit entry, revision) rather than model saves."""

    editor = None  # set per request by CorrectionInline.get_formset

    def save_new(self, form, commit=True):
        return notes.add_note(self.instance, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
                              by=self.editor)

    def save_existing(self, form, obj, commit=True):
        return notes.rewrite_note(obj, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
                                  by=self.editor)

    def delete_existing(self, obj, commit=True):
        notes.remove_note(obj, by=self.editor)


class CorrectionInline(admin.TabularInline):
    """The notes on the article's change page, oldest first: editors add one there; once the article has been
    public the existing ones are read-only and cannot be deleted (Django then ignores posted changes to them)."""

    model = Correction
    formset = CorrectionFormSet
    fields = ["kind", "text", "created_at", "created_by_name"]
    readonly_fields = ["created_at", "created_by_name"]
    ordering = ["created_at", "id"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)  # a class built for this request
        formset.editor = request.user
        return formset

    def has_view_permission(self, request, obj=None):
        return obj is None or policy.can_view(request.user, obj)  # None: Django's queryset check

    def has_add_permission(self, request, obj=None):
        return obj is not None and policy.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None or not policy.is_editor(request.user):
            return False
        if not hasattr(obj, "_notes_frozen"):  # asked several times per request
            obj._notes_frozen = notes.has_been_public(obj)
        return not obj._notes_frozen

    has_delete_permission = has_change_permission
