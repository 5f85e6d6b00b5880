"""The article admin's extra screens: workflow actions, revisions and diffs, previews, "My work", translations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from articles import policy, revisions, workflow
from articles.admin_forms import TranslationForm
from articles.desk import RETURNED, with_last_action
from articles.markdown import render_markdown
from articles.models import Article, Revision
from articles.preview import issue_preview_token
from articles.translations import create_translation
from media.admin_display import rendition_url
from media.models import Image
from media.prefetch import renditions_prefetch

Status = Article.Status
MAX_PREVIEW_CHARS = 1_000_000  # the live preview renders what the editor types; refuse absurd payloads
PICKER_IMAGES = 24


class ArticleExtraViews:
    """Mixed into ArticleAdmin: URLs and views beyond Django's add/change/delete/history."""

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "articles_article_"
        return [
            path("my-work/", view(self.my_work_view), name=name + "my_work"),
            path("markdown-preview/", view(require_POST(self.markdown_preview_view)), name=name + "markdown_preview"),
            path("image-preview/<int:image_id>/", view(self.image_preview_view), name=name + "image_preview"),
            path("image-picker/", view(self.image_picker_view), name=name + "image_picker"),
            path("<path:object_id>/transition/", view(require_POST(self.transition_view)), name=name + "transition"),
            path("<path:object_id>/autosave/", view(require_POST(self.autosave_view)), name=name + "autosave"),
            path("<path:object_id>/revisions/", view(self.revisions_view), name=name + "revisions"),
            path("<path:object_id>/revisions/diff/", view(self.diff_view), name=name + "diff"),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(require_POST(self.restore_view)),
                name=name + "restore",
            ),
            path("<path:object_id>/preview/", view(self.frontend_preview_view), name=name + "preview"),
            path("<path:object_id>/read/", view(self.read_view), name=name + "read"),
            path("<path:object_id>/translate/", view(self.translate_view), name=name + "translate"),
            *super().get_urls(),
        ]

    def _visible_article(self, request, object_id):
        """The article if this user may see it; otherwise 404, exactly as for an id that does not exist."""
        try:
            return policy.visible_articles(request.user).get(pk=unquote(object_id))
        except (Article.DoesNotExist, ValueError, ValidationError):
            raise Http404("No such article.") from None

    def _context(self, request, article=None, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "article": article,
            **extra,
        }

    def _change_url(self, article):
        return reverse("admin:articles_article_change", args=[article.pk])

    def translations_of(self, request, article):
        """(language, title, admin URL) for the other articles of the translation group; title and URL are None
        for versions this user may not open (another writer's), so nothing of them but the language shows."""
        others = Article.objects.filter(translation_group=article.translation_group).exclude(pk=article.pk)
        visible = set(policy.visible_articles(request.user, others).values_list("pk", flat=True))
        listed = []
        for other in others.order_by("language", "pk"):
            shown = other.pk in visible
            listed.append((other.language, other.title if shown else None, self._change_url(other) if shown else None))
        return listed

    def transition_view(self, request, object_id):
        article = self._visible_article(request, object_id)
        action = request.POST.get("action", "")
        at = None
        if request.POST.get("at"):
            try:
                at = parse_datetime(request.POST["at"])
            except ValueError:  # well formed but impossible, e.g. month 13
                at = None
            if at is None:
                messages.error(request, "The publication time is not a valid date and time.")
                return HttpResponseRedirect(self._change_url(article))
            if timezone.is_naive(at):
                at = timezone.make_aware(at)  # the editor's input is in the admin's TIME_ZONE
        try:
            workflow.perform(action, article, by=request.user, comment=request.POST.get("comment", ""), at=at)
        except workflow.NotAllowed as exc:
            # The buttons only offer what the policy allows: this is a crafted request, refused and audited.
            raise PermissionDenied(str(exc)) from None
        except workflow.InvalidTransition as exc:
            messages.error(request, str(exc))
        else:
            label = Status(article.status).label.lower()
            messages.success(request, f"“{article.title}” is now {label}.")
        return HttpResponseRedirect(self._change_url(article))

    def autosave_view(self, request, object_id):
        """The browser's periodic draft of the form (autosave.js): kept as an autosave revision, the article
        untouched; 409 naming who saved when someone else saved a newer version meanwhile."""
        article = self._visible_article(request, object_id)
        if not policy.can_edit(request.user, article):
            raise PermissionDenied
        try:
            base_version = int(request.POST.get("base_version", ""))
        except ValueError:
            return JsonResponse({"error": "Give the version the form started from (base_version)."}, status=400)
        try:
            revision = revisions.autosave(article.pk, base_version, request.POST, by=request.user)
        except revisions.StaleVersion as exc:
            saver = revisions.saved_by(article.pk, exc.current_version)
            who = saver.get_username() if saver else "an import or the scheduler"
            return JsonResponse({
                "error": f"Not autosaved: {who} saved version {exc.current_version} since you opened the form.",
                "saved_by": who, "version": exc.current_version,
            }, status=409)
        kept_at = timezone.localtime()
        return JsonResponse({"version": revision.version, "kept_at": kept_at.strftime("%H:%M:%S")})

    def revisions_view(self, request, object_id):
        article = self._visible_article(request, object_id)
        if not policy.can_see_history(request.user, article):
            raise PermissionDenied
        history = article.revisions.select_related("author").order_by("-version", "-id")
        context = self._context(
            request, article,
            title=f"Revisions of “{article.title}”",
            revisions=history,
            can_restore=policy.can_restore_revision(request.user, article),
        )
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def diff_view(self, request, object_id):
        article = self._visible_article(request, object_id)
        if not policy.can_see_history(request.user, article):
            raise PermissionDenied
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", article.version))
        except ValueError:
            raise Http404("Give two version numbers: ?a=1&b=2.") from None
        old, new = revisions.revision_at(article, min(a, b)), revisions.revision_at(article, max(a, b))
        if old is None or new is None:
            raise Http404("No such revision.")
        context = self._context(
            request, article,
            title=f"Changes to “{article.title}” from v{old.version} to v{new.version}",
            old=old, new=new, changes=revisions.diff(old, new),
        )
        return TemplateResponse(request, "admin/articles/article/diff.html", context)

    def restore_view(self, request, object_id, revision_id):
        article = self._visible_article(request, object_id)
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        if not policy.can_restore_revision(request.user, article):
            raise PermissionDenied("You may not edit this article.")
        new = revisions.restore(article, revision, by=request.user)
        messages.success(request, f"Revision v{revision.version} restored as v{new.version}.")
        return HttpResponseRedirect(self._change_url(article))

    def frontend_preview_view(self, request, object_id):
        article = self._visible_article(request, object_id)
        if not policy.can_issue_preview(request.user, article):
            raise PermissionDenied
        if not settings.FRONTEND_PREVIEW_URL_TEMPLATE:
            raise Http404("No frontend is configured (FRONTEND_PREVIEW_URL_TEMPLATE).")
        url = settings.FRONTEND_PREVIEW_URL_TEMPLATE.format(
            code=article.code, token=issue_preview_token(article), slug=article.slug, language=article.language
        )
        return HttpResponseRedirect(url)

    def read_view(self, request, object_id):
        """The article as a reader would see it (headline, standfirst, cover, byline, body), saved version."""
        article = self._visible_article(request, object_id)
        bylines = article.bylines.select_related("author") if hasattr(article, "bylines") else []
        context = self._context(request, article, title=article.title, bylines=bylines)
        return TemplateResponse(request, "admin/articles/article/read.html", context)

    def markdown_preview_view(self, request):
        if not policy.can_create(request.user):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > MAX_PREVIEW_CHARS:
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        return JsonResponse({"html": render_markdown(body, request.POST.get("title", ""))})

    def image_preview_view(self, request, image_id):
        if not request.user.has_perm("media.view_image"):
            raise PermissionDenied
        image = get_object_or_404(Image, pk=image_id)
        # Never the remote URL of an image not fetched yet: the admin does not hot-link other sites.
        return JsonResponse({"url": rendition_url(image, "small"), "width": image.width, "height": image.height,
                             "alt": image.alt})

    def image_picker_view(self, request):
        """Library images for the form's "Insert image" picker: stored ones only (a remote one is not ours yet)."""
        if not request.user.has_perm("media.view_image"):
            raise PermissionDenied
        images = Image.objects.exclude(file="").prefetch_related(renditions_prefetch()).order_by("-created_at", "-id")
        query = request.GET.get("q", "").strip()[:200]
        if query:
            images = images.filter(Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query))
        return JsonResponse({"images": [
            {"id": image.pk, "url": image.file.url, "thumb": rendition_url(image, "thumb"), "alt": image.alt,
             "caption": image.caption, "credit": image.credit}
            for image in images[:PICKER_IMAGES]
        ]})

    def my_work_view(self, request):
        if not policy.can_create(request.user):
            raise PermissionDenied
        articles = (
            with_last_action(Article.objects.by_author(request.user))
            .select_related("category")
            .annotate(
                rank=Case(
                    When(RETURNED, then=Value(0)),
                    When(status=Status.DRAFT, then=Value(1)),
                    When(status=Status.IN_REVIEW, then=Value(2)),
                    When(status=Status.SCHEDULED, then=Value(3)),
                    When(status=Status.PUBLISHED, then=Value(4)),
                    default=Value(5),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "-updated_at", "-id")
        )
        context = self._context(request, title="My work", articles=articles)
        return TemplateResponse(request, "admin/articles/article/my_work.html", context)

    def translate_view(self, request, object_id):
        article = self._visible_article(request, object_id)
        if not policy.can_add_translation(request.user, article):
            raise PermissionDenied
        group = Article.objects.filter(translation_group=article.translation_group)
        taken = set(group.values_list("language", flat=True))
        languages = [code for code, _ in settings.LANGUAGES if code not in taken]
        form = TranslationForm(request.POST or None, languages=languages)
        if request.method == "POST" and form.is_valid():
            translation = create_translation(article, form.cleaned_data["language"], by=request.user)
            messages.success(request, f"Translation draft in {translation.language} created.")
            return HttpResponseRedirect(self._change_url(translation))
        context = self._context(
            request, article, title=f"Translate “{article.title}”", form=form, languages=languages,
            translations=self.translations_of(request, article),
        )
        return TemplateResponse(request, "admin/articles/article/translate.html", context)
