"""A correction, update, clarification or editor's note on an article: appended, never edited once it has been
public."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from articles.markdown import render_markdown

MAX_TEXT_LENGTH = 2000


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(max_length=MAX_TEXT_LENGTH, help_text="Short Markdown, shown with the article.")
    text_html = models.TextField(blank=True, editable=False, help_text="Rendered and sanitised on save.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_by_name = models.CharField(max_length=150, blank=True, help_text="Kept if the user is deleted.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at", "id"], name="correction_article_order_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and self.frozen():
            # Append-only once readers may have seen it: a note that is wrong is followed by another.
            raise ValidationError("The article has been public: its notes cannot be edited; add another one.")
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.frozen():
            raise ValidationError("The article has been public: its corrections stay.")
        return super().delete(*args, **kwargs)

    def frozen(self):
        from corrections.notes import has_been_public  # the rule's home imports this module

        return has_been_public(self.article)
