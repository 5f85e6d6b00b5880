"""The article form of the admin: optimistic locking on the version, the workflow button, the cover upload."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from articles import policy, revisions, workflow
from articles.languages import language_choices
from articles.models import Article
from media.validation import inspect_image

# The names the publishing panel's controls post with the article form (articles/admin.py runs the action).
WORKFLOW_BUTTON = "_workflow"
WORKFLOW_COMMENT = "workflow_comment"
# One browser date-and-time input for the publication time, to the second, in the site's time zone.
PUBLICATION_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class ArticleAdminForm(forms.ModelForm):
    # The version the editor started from; a save based on an older one is refused (articles.revisions).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cover_upload = forms.FileField(
        required=False,
        label="Upload a new cover image",
        help_text="JPEG, PNG, WebP or GIF. Replaces the cover image chosen above.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    editor = None  # the signed-in user, set by ArticleAdmin.get_form on the class it builds per request

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
            self.fields["language"].widget = forms.Select(choices=language_choices(codes))
        if "published_at" in self.fields:
            # One input, not the admin's split date and time (two boxes that read as two different times).
            self.fields["published_at"] = forms.DateTimeField(
                required=False,
                label=f"Publication time ({settings.TIME_ZONE})",
                help_text="Approve or Schedule with a future time schedules the article.",
                input_formats=[PUBLICATION_TIME_FORMAT, "%Y-%m-%dT%H:%M"],
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local", "step": "1"}, format=PUBLICATION_TIME_FORMAT
                ),
            )
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
                raise forms.ValidationError(self._stale_message(exc), code="stale") from None
        action = self.data.get(WORKFLOW_BUTTON)
        if action and self.instance.pk:
            self._check_workflow(action, cleaned)
        return cleaned

    def _stale_message(self, exc):
        who = revisions.saved_by(self.instance.pk, exc.current_version)
        if who is None:
            saver = "An import or a script changed this article"
        elif self.editor is not None and who.pk == self.editor.pk:
            saver = "You saved this article in another tab or window"
        else:
            saver = f"{who.get_full_name() or who.get_username()} saved this article"
        url = reverse("admin:articles_article_diff", args=[self.instance.pk])
        return format_html(
            "{} while you were editing it (you started from version {}; it is now at version {}). Your changes "
            'were not saved and are still in this form. <a href="{}?a={}&amp;b={}" target="_blank" rel="noopener">'
            "See what changed</a> (opens beside this form), then reload the article and apply your edits again.",
            saver, exc.base_version or 1, exc.current_version, url, exc.base_version or 1, exc.current_version,
        )

    def _check_workflow(self, action, cleaned):
        """A workflow button saves the edits, then acts: refuse both now if the action is bound to fail."""
        at = cleaned.get("published_at") if "published_at" in self.fields else None
        try:
            workflow.check(action, self.instance, by=self.editor, comment=self.data.get(WORKFLOW_COMMENT, ""), at=at)
        except workflow.NotAllowed:
            pass  # a crafted request: workflow.perform refuses it after the save, and audits the refusal
        except workflow.InvalidTransition as exc:
            raise forms.ValidationError(f"{exc} Nothing was saved.", code="workflow") from None


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label="Language of the translation")

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(languages)
