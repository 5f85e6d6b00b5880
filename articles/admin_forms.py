"""The article form of the admin: optimistic locking on the version, and the cover image upload."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from articles import policy, revisions
from articles.models import Article
from media.validation import inspect_image


class ArticleAdminForm(forms.ModelForm):
    # The version the editor started from; a save based on an older one is refused (articles.revisions).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cover_upload = forms.FileField(
        required=False,
        label="Upload a new cover image",
        help_text="JPEG, PNG, WebP or GIF. Replaces the cover image chosen above.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Article
        fields = policy.CONTENT_FIELDS + policy.EDITOR_FIELDS  # narrowed per user by ArticleAdmin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "base_version" in self.fields:
            self.fields["base_version"].initial = self.instance.version
        if "language" in self.fields:
            codes = [code for code, _ in settings.LANGUAGES]
            if self.instance.language and self.instance.language not in codes:
                codes.append(self.instance.language)  # e.g. imported in a language the admin does not offer
            self.fields["language"].widget = forms.Select(choices=[(code, code) for code in codes])
        self.cover_bytes = None

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload:
            data = upload.read()
            inspect_image(data)  # raises ImageRejected, a ValidationError whose message says why
            self.cover_bytes = data
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "base_version" in self.fields:
            try:
                revisions.check_version(self.instance.pk, cleaned.get("base_version"))
            except revisions.StaleVersion as exc:
                url = reverse("admin:articles_article_diff", args=[self.instance.pk])
                raise forms.ValidationError(
                    format_html(
                        '{} <a href="{}?a={}&amp;b={}">See what changed</a>, then reload the article and '
                        "apply your edits again.",
                        str(exc), url, exc.base_version or 1, exc.current_version,
                    ),
                    code="stale",
                ) from None
        return cleaned


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label="Language of the translation")

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, code) for code in languages]
