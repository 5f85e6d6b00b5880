"""The change log's one table: an append-only row per change to public content, read in commit order."""

from django.db import models


class CurrentTransactionId(models.Func):
    """The id of the inserting transaction (PostgreSQL's xid8, as a bigint); 0 where transactions are serial.

    See changes/sync.py for why the log is read by transaction id: a sequence value is not commit order.
    """

    template = "(pg_current_xact_id()::text::bigint)"
    output_field = models.BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "0", []


class OldestRunningTransactionId(models.Func):
    """The oldest transaction id still in progress as the statement runs (PostgreSQL only): rows of older
    transactions are final."""

    template = "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)"
    output_field = models.BigIntegerField()


class OwnTransactionId(models.Func):
    """The reading transaction's own id if it has written anything, else NULL (PostgreSQL only)."""

    template = "(pg_current_xact_id_if_assigned()::text::bigint)"
    output_field = models.BigIntegerField()


class ChangeEvent(models.Model):
    class Kind(models.TextChoices):
        PUBLISHED = "article.published", "published"
        UPDATED = "article.updated", "updated"
        UNPUBLISHED = "article.unpublished", "unpublished"
        DELETED = "article.deleted", "deleted"

    seq = models.BigAutoField(primary_key=True)
    txid = models.BigIntegerField(db_default=CurrentTransactionId(), editable=False)
    event = models.CharField(max_length=40, choices=Kind.choices)
    # No foreign key: the events of a deleted article outlive it (its tombstone is one of them).
    article_id = models.BigIntegerField()
    code = models.CharField(max_length=19)
    language = models.CharField(max_length=35)
    translation_group = models.UUIDField(null=True)
    changed_at = models.DateTimeField(help_text="When the change became public (a scheduled time, for a late one).")
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.CharField(max_length=20, blank=True, help_text="For a removal: the status it left public for.")

    class Meta:
        ordering = ["txid", "seq"]
        indexes = [
            # The cursor: every delta page is one ordered range read of this index.
            models.Index(fields=["txid", "seq"], name="changes_cursor_idx"),
            models.Index(fields=["recorded_at"], name="changes_recorded_idx"),  # pruning past the horizon
            models.Index(fields=["article_id", "txid", "seq"], name="changes_article_idx"),  # an article's history
        ]

    def __str__(self):
        return f"{self.event} {self.code} #{self.seq}"

    @property
    def is_removal(self):
        return self.event in (self.Kind.UNPUBLISHED, self.Kind.DELETED)
