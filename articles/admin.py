"""Admin screens for articles, categories and tags; every permission question goes to articles.policy."""

import copy
import json
import re

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import policy, revisions, workflow
from articles.admin_forms import WORKFLOW_BUTTON, WORKFLOW_COMMENT, ArticleAdminForm
from articles.admin_views import ArticleExtraViews
from articles.codes import is_valid_code
from articles.languages import language_name
from articles.models import Article, Category, Tag
from articles.templatetags.newsroom_admin import status_name
from authors.admin import BylineInline, TranslatorInline
from changes import log as changes
from corrections.admin import CorrectionInline
from feeds.links import article_url
from media.admin_display import rendition_url, thumbnail_html
from media.ingest import ingest_image_bytes
from media.prefetch import renditions_prefetch

# Displays computed for the change form; always read-only.
DISPLAY_FIELDS = (
    "code", "status_badge", "markdown_preview", "cover_preview", "origin_link", "extra_formatted",
    "audit_history", "created_at", "updated_at",
)
# Model fields nobody edits through the form (status moves only through workflow actions).
NEVER_EDITABLE = frozenset(
    {"code", "status", "version", "body_html", "extra", "translation_group", "import_key", "source_checksum",
     "created_at", "updated_at"}
)


class TaxonomyAdmin(admin.ModelAdmin):
    """A rename shows in every public article's list item: the change log hears of it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            changes.record_taxonomy_change(obj, form.changed_data, by=request.user)


class LanguageFilter(admin.SimpleListFilter):
    """The article list's languages by name (`ខ្មែរ / Khmer`): the configured ones, and the one asked for.

    Not every language articles use: that is a scan of the whole table on each list page.
    """

    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = dict.fromkeys([*(code for code, _ in settings.LANGUAGES), *([self.value()] if self.value() else [])])
        return [(code, language_name(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(ArticleExtraViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "cover_thumbnail", "title", "status_badge", "category", "language_name", "author", "published_at", "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        "status", "category", LanguageFilter, ("author", admin.RelatedOnlyFieldListFilter), "published_at",
        "updated_at",
    ]
    list_select_related = ["category", "author", "cover_image"]
    search_fields = ["title", "code", "body_markdown"]
    search_help_text = "Search titles and bodies, or paste an article code (ART…)."
    date_hierarchy = "published_at"
    ordering = ["-created_at", "-id"]
    autocomplete_fields = ["category", "tags", "cover_image"]
    inlines = [BylineInline, TranslatorInline, CorrectionInline]
    actions = ["submit_selected", "publish_selected", "archive_selected"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        css = {"all": ["articles/admin/article.css", "articles/admin/reading.css"]}
        js = ["articles/admin/article.js", "articles/admin/autosave.js", "articles/admin/slug-url.js"]

    # Who sees what: the policy decides, the model permissions only open the screens.

    def get_inlines(self, request, obj):
        # Notes come once the article exists (corrections.notes needs a saved article to lock).
        return self.inlines if obj is not None else [i for i in self.inlines if i is not CorrectionInline]

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related(renditions_prefetch("cover_image"))
        return policy.visible_articles(request.user, articles)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is None:
            # Another writer's article answers exactly like a missing one.
            raise Http404("No such article.")
        return article

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or policy.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or policy.can_edit(request.user, obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and policy.can_create(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and policy.can_delete(request.user, obj)

    def has_submit_permission(self, request):
        return policy.can_create(request.user)

    def has_publish_permission(self, request):
        return policy.is_editor(request.user)

    has_archive_permission = has_publish_permission

    # The form.

    def get_fieldsets(self, request, obj=None):
        editable = policy.editable_fields(request.user, obj)
        can_edit = bool(editable) and (obj is None or self.has_change_permission(request, obj))
        # The body and its live preview share a row: side by side on a wide screen, stacked on a phone.
        content = ["title", "slug", "description", ("body_markdown", "markdown_preview")]
        media = ["cover_preview", "cover_image", "cover_caption", "cover_credit"]
        if can_edit and "cover_image" in editable:
            media.insert(2, "cover_upload")
        metadata = ["category", "tags", "language", "origin_url", "layout", "author", "credit_line"]
        publishing = ["published_at"]
        if obj is not None:
            metadata = ["code", *metadata[:4], "origin_link", *metadata[4:], "extra_formatted"]
            publishing = ["status_badge", "published_at"]
        if can_edit and obj is not None:
            publishing.append("base_version")
        fieldsets = [
            ("Content", {"fields": content}),
            ("Media", {"fields": media}),
            ("Metadata", {"fields": metadata}),
            # The change form shows this one as the side panel, with the workflow buttons under the time.
            ("Publishing", {"fields": publishing}),
        ]
        if obj is not None:
            fieldsets.append(("History", {"fields": ["audit_history", "created_at", "updated_at"]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user  # a class built for this request: the stale message names who saved
        return form

    def get_readonly_fields(self, request, obj=None):
        editable = set(policy.editable_fields(request.user, obj))
        model_fields = [f.name for f in Article._meta.get_fields() if f.concrete or f.many_to_many]
        return [*DISPLAY_FIELDS, *(name for name in model_fields if name not in editable)]

    def get_search_results(self, request, queryset, search_term):
        # A pasted code finds its article through the unique index, not a scan of every body.
        term = search_term.strip().upper()
        if is_valid_code(term):
            return queryset.filter(code=term), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        context = {"status_tabs": self.status_tabs(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def status_tabs(self, request):
        """(label, count, query string, current) per status, and All first: one grouped count of what this user sees."""
        counts = dict(self.get_queryset(request).order_by().values_list("status").annotate(n=Count("pk")))
        current = request.GET.get("status__exact", "")
        tabs = [("All", sum(counts.values()), "?", current == "")]
        tabs += [(label, counts.get(value, 0), f"?status__exact={value}", current == value)
                 for value, label in Article.Status.choices]
        return tabs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # Before Django's own transaction: a refusal must be audited even though nothing is saved.
            self._refuse_forbidden_fields(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _refuse_forbidden_fields(self, request, object_id):
        """A POST naming a field this user may not change (status above all) is refused whole, and audited."""
        article = self.get_object(request, object_id) if object_id else None
        if article is not None and not self.has_view_permission(request, article):
            raise PermissionDenied
        editable = set(policy.editable_fields(request.user, article))
        names = {f.name for f in Article._meta.get_fields() if f.concrete or f.many_to_many}
        # Split widgets post NAME_0, NAME_1 (published_at's date and time).
        posted = {re.sub(r"_\d+$", "", key) for key in request.POST}
        forbidden = sorted((posted & names) - editable)
        if not forbidden:
            return
        reason = f"Refused a form that tried to change {', '.join(forbidden)}."
        if article is not None:
            target = request.POST.get("status", "") if "status" in forbidden else ""
            action = "set_status" if target else "edit"
            workflow.record_refusal(article, by=request.user, action=action, to_status=target, reason=reason)
        raise PermissionDenied(reason)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if request.method == "GET" and self.has_change_permission(request, article):
            # Articles saved outside the admin (imports, scripts) may have no revision at this version; take one
            # now, so that a stale-form conflict can show the diff from the version this editor started from.
            if not article.revisions.filter(version=article.version, autosave=False).exists():
                revisions.record(article, by=None)
        # The buttons submit the article form, so they are offered to those who may save it (the workflow's own
        # screen, transition_view, serves everyone else the policy allows).
        editable = self.has_change_permission(request, article)
        transitions = workflow.available_transitions(article, request.user) if editable else []
        context = {
            **(extra_context or {}),
            "transitions": transitions,
            "workflow_comment": request.POST.get(WORKFLOW_COMMENT, ""),
            "can_translate": policy.can_add_translation(request.user, article),
            "frontend_preview": bool(settings.FRONTEND_PREVIEW_URL_TEMPLATE),
            "translations": self.translations_of(request, article),
            "autosave_seconds": settings.ARTICLE_AUTOSAVE_SECONDS if editable else 0,
            "slug_url": self.slug_url(request, article),
        }
        return super().change_view(request, object_id, form_url, context)

    def slug_url(self, request, article):
        """What slug-url.js needs to show the URL the article will have as slug, category and language change:
        feeds.links.article_url (the one URL helper) filled with markers it substitutes, the category slugs by id,
        the URL readers have now, and whether it is public (a slug change then moves it)."""
        markers = copy.copy(article)
        markers.slug, markers.language = "{slug}", "{language}"
        markers.category = Category(pk=-1, slug="{category}")  # never saved: only the helper reads it
        return {
            "template": article_url(request, markers), "current": article_url(request, article),
            "categories": dict(Category.objects.values_list("pk", "slug")), "category_id": article.category_id,
            "public": article.status == Article.Status.PUBLISHED,
            "configured": bool(settings.FRONTEND_ARTICLE_URL_TEMPLATE),
        }

    def _only_workflow(self, request, form, change):
        """A workflow button pressed on an unedited form: the transition alone moves the version on."""
        return change and WORKFLOW_BUTTON in request.POST and not form.has_changed()

    def save_model(self, request, obj, form, change):
        if self._only_workflow(request, form, change):
            return
        # The public state before this save, to tell which event (if any) the save is for the change log.
        stored = Article.objects.filter(pk=obj.pk).first() if change else None
        obj._public_before = (changes.state(stored), changes.public_snapshot(revisions.snapshot(stored), stored)) \
            if stored else None
        if not change and (obj.author_id is None or "author" not in policy.editable_fields(request.user)):
            obj.author = request.user
        if form.cover_bytes is not None:
            obj.cover_image = ingest_image_bytes(
                form.cover_bytes, alt=obj.title, caption=obj.cover_caption, credit=obj.cover_credit
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if self._only_workflow(request, form, change):
            # The inlines still save (bylines edited alone; nothing for unchanged rows), which also gives Django's
            # change message the saved objects it reads.
            for formset in formsets:
                self.save_formset(request, form, formset, change)
            return
        super().save_related(request, form, formsets, change)
        revision = revisions.record(form.instance, by=request.user)
        before = getattr(form.instance, "_public_before", None)
        edited = before is None or changes.public_snapshot(revision.data, form.instance) != before[1]
        changes.record_change(form.instance, before and before[0], by=request.user, edited=edited)

    def log_change(self, request, obj, message):
        if message:  # nothing edited (a workflow button alone): the audit entry tells the story
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        action = request.POST.get(WORKFLOW_BUTTON)
        if action is None:
            return super().response_change(request, obj)
        # The edits are saved (the form's clean checked the version and that the action can run): now act.
        saved = obj.version != int(request.POST.get("base_version") or 0)
        try:
            workflow.perform(action, obj, by=request.user, comment=request.POST.get(WORKFLOW_COMMENT, ""))
        except workflow.WorkflowError as exc:
            # Reached by a crafted request or a race; perform() has audited the refusal.
            note = " Your edits were saved." if saved else ""
            self.message_user(request, f"{exc}{note}", messages.ERROR)
        else:
            label = workflow.Status(obj.status).label.lower()
            done = "Your edits were saved and “{}” is now {}." if saved else "“{}” is now {}."
            self.message_user(request, done.format(obj.title, label), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    # Bulk actions: each item goes through the workflow; refusals are reported one by one.

    @admin.action(description="Submit selected articles for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.submit, "submitted for review")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.publish, "published")

    @admin.action(description="Unpublish (archive) selected articles", permissions=["archive"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, workflow.archive, "archived")

    def _bulk(self, request, queryset, transition, done):
        succeeded = 0
        for article in queryset:
            try:
                transition(article, by=request.user)
            except workflow.WorkflowError as exc:
                self.message_user(request, f"“{article.title}” was not {done}: {exc}", messages.WARNING)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{succeeded} article(s) {done}.", messages.SUCCESS)

    # Read-only displays.

    @admin.display(description="Cover")
    def cover_thumbnail(self, obj):
        return thumbnail_html(obj.cover_image, "article-thumb") if obj.cover_image_id else "—"

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="Language", ordering="language")
    def language_name(self, obj):
        return language_name(obj.language)

    @admin.display(description="Preview")
    def markdown_preview(self, obj):
        html = obj.body_html if obj else ""
        # body_html was sanitised by articles.markdown on save; the live preview replaces it as the body changes.
        return format_html(
            '<div id="markdown-preview" class="markdown-preview" data-url="{}" data-images-url="{}">'
            '<article class="article-reading"><h1 class="headline" id="preview-headline">{}</h1>'
            '<p class="standfirst" id="preview-standfirst">{}</p><div id="preview-body">{}</div></article></div>',
            reverse("admin:articles_article_markdown_preview"), reverse("admin:articles_article_image_picker"),
            obj.title if obj else "", obj.description if obj else "", mark_safe(html),  # noqa: S308
        )

    @admin.display(description="Current cover")
    def cover_preview(self, obj):
        url = rendition_url(obj.cover_image, "small") if obj and obj.cover_image_id else ""
        return format_html(
            '<img id="cover-preview" class="cover-preview" src="{}" alt=""{} data-url="{}">',
            url, "" if url else mark_safe(" hidden"), reverse("admin:articles_article_image_preview", args=[0]),
        )

    @admin.display(description="Origin")
    def origin_link(self, obj):
        if not obj.origin_url:
            return "—"
        return format_html('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>', obj.origin_url)

    @admin.display(description="Extra (from the source file)")
    def extra_formatted(self, obj):
        if not obj.extra:
            return "—"
        return format_html('<pre class="extra-json">{}</pre>', json.dumps(obj.extra, indent=2, ensure_ascii=False))

    @admin.display(description="Audit history")
    def audit_history(self, obj):
        entries = obj.audit_entries.all()[:50]
        if not entries:
            return "—"
        rows = format_html_join(
            "",
            "<tr class='{}'><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                ("refused" if not e.allowed else "", e.created_at.strftime("%Y-%m-%d %H:%M"), e.actor_name,
                 e.action.replace("_", " "), status_name(e.from_status), status_name(e.to_status),
                 "allowed" if e.allowed else "refused", e.comment)
                for e in entries
            ),
        )
        return format_html(
            "<table class='audit-history'><thead><tr><th>When</th><th>Who</th><th>Action</th><th>State</th>"
            "<th>Outcome</th><th>Comment</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )
