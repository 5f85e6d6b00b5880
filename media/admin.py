"""Admin screens for the media library: grid or list, upload several files, focal point, where used."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from media.admin_display import dimensions, rendition_url, thumbnail_html
from media.admin_filters import FetchedFilter, OrientationFilter, UsedByFilter
from media.forms import ImageUploadForm
from media.ingest import ingest_image_bytes
from media.library import ImageInUse, articles_using, delete_image, fetch_now, set_focal_point
from media.models import Image
from media.prefetch import renditions_prefetch
from media.validation import ImageRejected

LAYOUTS = ("grid", "list")


def read_upload(uploaded, limit):
    """At most limit + 1 bytes: enough for validation to refuse an oversize file without reading it all."""
    uploaded.seek(0)
    return uploaded.read(limit + 1)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    change_list_template = "admin/media/image/change_list.html"
    change_form_template = "admin/media/image/change_form.html"
    actions = ["fetch_selected"]
    list_display = ["thumbnail", "__str__", "dimensions", "credit", "usage", "created_at"]
    list_filter = [FetchedFilter, OrientationFilter, UsedByFilter]
    search_fields = ["alt", "caption", "credit"]
    list_per_page = 48
    fieldsets = [
        (None, {"fields": ["focal_point_picker", "alt", "caption", "credit"]}),
        ("Focal point", {"fields": ["focal_x", "focal_y"], "description": "Click the picture to set it."}),
        ("Where used", {"fields": ["where_used"]}),
        ("File", {"fields": ["file", "source_url", "width", "height", "file_size", "format", "sha256",
                             "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["focal_point_picker", "where_used", "file", "source_url", "width", "height", "file_size",
                       "format", "sha256", "created_at", "updated_at"]

    class Media:
        css = {"all": ["media/admin/library.css"]}
        js = ["media/admin/focal-point.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(cover_count=Count("cover_of", distinct=True), inline_count=Count("inline_in__article",
                                                                                        distinct=True))
            .prefetch_related(renditions_prefetch())
        )

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="media_image_upload")
        fetch = path("<int:image_id>/fetch/", self.admin_site.admin_view(require_POST(self.fetch_view)),
                     name="media_image_fetch")
        return [upload, fetch, *super().get_urls()]

    @admin.action(description="Fetch the selected remote images now", permissions=["change"])
    def fetch_selected(self, request, queryset):
        self._fetch(request, queryset)

    def fetch_view(self, request, image_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        self._fetch(request, Image.objects.filter(pk=image_id))
        return HttpResponseRedirect(reverse("admin:media_image_change", args=[image_id]))

    def _fetch(self, request, images):
        queued, refused = fetch_now(images)
        for image, reason in refused:
            messages.error(request, f"“{image}” was not fetched: {reason}.")
        if queued:
            messages.success(request, f"Fetching {len(queued)} image(s); each shows here once it is stored.")
        elif not refused:
            messages.info(request, "Nothing to fetch: the selected images are stored already.")

    @admin.display(description="")
    def thumbnail(self, image):
        return thumbnail_html(image, "media-thumb")

    @admin.display(description="size")
    def dimensions(self, image):
        return dimensions(image)

    @admin.display(description="used by")
    def usage(self, image):
        count = getattr(image, "cover_count", 0) + getattr(image, "inline_count", 0)
        return f"{count} article{'s' if count != 1 else ''}" if count else "—"

    @admin.display(description="Picture")
    def focal_point_picker(self, image):
        if not image.file:
            return format_html('<span class="image-placeholder">Not fetched yet: {}</span>', image.source_url or "—")
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="{}"><span class="focal-marker"></span></div>',
            image.focal_x, image.focal_y, rendition_url(image, "medium"), image.alt,
        )

    @admin.display(description="Articles")
    def where_used(self, image):
        articles = list(articles_using(image)) if image.pk else []
        if not articles:
            return "Not used by any article."
        return format_html("<ul>{}</ul>", self._article_links(articles))

    def changelist_view(self, request, extra_context=None):
        # The layout is a preference kept in the session: a ?layout= parameter would reach the filters otherwise.
        if "layout" in request.GET:
            request.GET = request.GET.copy()
            layout = request.GET.pop("layout")[0]
            if layout in LAYOUTS:
                request.session["media_layout"] = layout
        layout = request.session.get("media_layout", "grid")
        context = {"layout": layout, "layouts": LAYOUTS, "upload_url": reverse("admin:media_image_upload"),
                   **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def add_view(self, request, form_url="", extra_context=None):
        # Every upload goes through the same validation and ingest: "Add image" is the upload page.
        return HttpResponseRedirect(reverse("admin:media_image_upload"))

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageUploadForm(request.POST, request.FILES) if request.method == "POST" else ImageUploadForm()
        if form.is_bound and form.is_valid():
            stored, refused = self._ingest_uploads(request, form)
            if stored and not refused:
                return HttpResponseRedirect(reverse("admin:media_image_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "Upload images", "media": self.media + form.media}
        return TemplateResponse(request, "admin/media/image/upload.html", context, status=200)

    def _ingest_uploads(self, request, form):
        stored = refused = 0
        text = {field: form.cleaned_data[field] for field in ("alt", "caption", "credit")}
        for uploaded in form.cleaned_data["files"]:
            # The client's file name is only ever shown back, never used to store anything.
            try:
                image = ingest_image_bytes(read_upload(uploaded, settings.MEDIA_MAX_UPLOAD_BYTES), **text)
            except ImageRejected as exc:
                refused += 1
                messages.error(request, f"{uploaded.name}: {exc.message}")
                continue
            stored += 1
            self.log_addition(request, image, [{"added": {}}])
            link = reverse("admin:media_image_change", args=[image.pk])
            messages.success(request, format_html('{}: stored as <a href="{}">image {}</a>.', uploaded.name,
                                                  link, image.pk))
        return stored, refused

    def save_model(self, request, obj, form, change):
        focal = (obj.focal_x, obj.focal_y)
        if change and {"focal_x", "focal_y"} & set(form.changed_data):
            # The focal point changes through set_focal_point, which also redraws the crops.
            obj.focal_x, obj.focal_y = form.initial["focal_x"], form.initial["focal_y"]
            super().save_model(request, obj, form, change)
            set_focal_point(obj, *focal)
        else:
            super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = [(image, list(articles_using(image))) for image in objs]
        in_use = [(image, articles) for image, articles in in_use if articles]
        if in_use:
            # Replace Django's list of protected rows (ArticleImage #3...) with what an editor understands.
            protected = [
                format_html("“{}” is used by: {}", image, self._article_links(articles, inline=True))
                for image, articles in in_use
            ]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        try:
            delete_image(obj)
        except ImageInUse as exc:
            messages.error(request, str(exc))

    def delete_queryset(self, request, queryset):
        for image in queryset:
            self.delete_model(request, image)

    def _article_links(self, articles, inline=False):
        return format_html_join(
            ", " if inline else "",
            '<a href="{}">{}</a>' if inline else '<li><a href="{}">{}</a></li>',
            ((reverse("admin:articles_article_change", args=[article.pk]), article.title) for article in articles),
        )
