"""Admin screens for authors, and the bylines and translators inlines of the article form."""

from django import forms
from django.contrib import admin

from articles import policy, slugs
from authors.bylines import default_author_for
from authors.models import Author, Byline, TranslatorCredit, validate_links


class LinksField(forms.CharField):
    """Author.links edited as one URL per line rather than as JSON."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        validate_links(value)


class AuthorAdminForm(forms.ModelForm):
    links = LinksField(required=False, help_text="One URL per line: the website first, then social profiles.")

    class Meta:
        model = Author
        fields = ["name", "slug", "role", "bio_markdown", "photo", "links", "active", "user"]

    def clean_slug(self):
        # As the importer requires: "Ann-Lee" would be a second author beside "ann-lee", at a URL of its own.
        slug = self.cleaned_data["slug"]
        if "slug" in self.changed_data and slugs.clean_slug(slug) != slug:
            raise forms.ValidationError(f"Write the slug as {slugs.clean_slug(slug)!r}.", code="invalid")
        return slug


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "slug", "role", "active", "user"]
    list_filter = ["active"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.active()  # a byline picker offers only current authors
        return queryset, may_have_duplicates


class BylineForm(forms.ModelForm):
    class Meta:
        model = Byline
        fields = ["author", "position"]

    def has_changed(self):
        # The writer's own byline, offered on a new article as an extra form, is saved even when left untouched.
        return super().has_changed() or (self.instance._state.adding and bool(self.initial.get("author")))


class ArticleCreditInline(admin.TabularInline):
    """Authors credited on the article, in order; whoever may edit the article may edit them."""

    autocomplete_fields = ["author"]
    ordering = ["position", "id"]

    def has_view_permission(self, request, obj=None):
        return obj is None or policy.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return policy.can_create(request.user) if obj is None else policy.can_edit(request.user, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class BylineInline(ArticleCreditInline):
    """The article's authors in order."""

    model = Byline
    form = BylineForm
    extra = 1
    verbose_name = "byline"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        author = default_author_for(request.user) if obj is None else None
        if author is None:
            return formset
        initial = [{"author": author.pk, "position": 0}]

        class WithOwnByline(formset):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("initial", initial)
                super().__init__(*args, **kwargs)

        return WithOwnByline


class TranslatorInline(ArticleCreditInline):
    """The article's translators in order."""

    model = TranslatorCredit
    fields = ["author", "position"]
    extra = 0
    verbose_name = "translator"
