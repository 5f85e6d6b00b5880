"""Revision snapshots of an article's editable fields, readable diffs between them, restore, optimistic locking."""

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.dateparse import parse_datetime

from articles import audit, policy
from articles.models import Article, Category, Revision, Tag
from changes import log as changes

# The editable fields (see articles.policy), in the order a diff lists them.
TRACKED_FIELDS = policy.CONTENT_FIELDS + policy.EDITOR_FIELDS
TEXT_FIELDS = ("title", "description")  # shown as before/after
BODY_FIELD = "body_markdown"  # shown as a line diff


class StaleVersion(Exception):
    """A form based on an older version tried to overwrite a newer one."""

    def __init__(self, article, base_version, current_version):
        super().__init__(
            f"This article was changed by someone else while you were editing it (you started from version "
            f"{base_version}; it is now at version {current_version}). Your changes were not saved."
        )
        self.article = article
        self.base_version = base_version
        self.current_version = current_version


def snapshot(article):
    """The tracked fields as JSON-ready values: foreign keys as ids, tags as sorted ids, times in ISO 8601."""
    tag_ids = article.tags.values_list("pk", flat=True) if article.pk else []
    values = {field.attname: getattr(article, field.attname) for field in _tracked_columns()}
    return snapshot_of(values, tag_ids, article.status)


def snapshot_of(values, tag_ids, status):
    """snapshot() of an article given as {attname: value} (the importer's rows); a missing column is its default."""
    data = {}
    for name in TRACKED_FIELDS:
        model_field = Article._meta.get_field(name)
        if model_field.many_to_many:
            data[name] = sorted(tag_ids)
            continue
        value = values[model_field.attname] if model_field.attname in values else model_field.get_default()
        data[name] = value.isoformat() if isinstance(value, datetime) else value
    data["status"] = status  # for the reader of a revision; restore never touches status
    return data


def _tracked_columns():
    return [field for field in map(Article._meta.get_field, TRACKED_FIELDS) if not field.many_to_many]


def tracked_column_names():
    """The tracked fields stored in the article's own row (tags aside): what a snapshot reads of it."""
    return [field.name for field in _tracked_columns()]


def record(article, *, by):
    """Store a revision of the article as it is now, at its current version."""
    author = by if by is not None and not policy.is_system(by) and by.is_authenticated else None
    return Revision.objects.create(article=article, version=article.version, data=snapshot(article), author=author)


def check_version(article_pk, base_version):
    """Lock the article row and raise StaleVersion unless it is still at `base_version`.

    Call inside the transaction that will save: the row lock makes the second of two concurrent saves wait and
    then see the version the first one wrote.
    """
    article = Article.objects.select_for_update().get(pk=article_pk)
    if base_version is None or article.version != base_version:
        raise StaleVersion(article, base_version, article.version)
    return article


def saved_by(article_pk, version):
    """Who saved `version` of the article: the user, or None for an import, a script or the scheduler."""
    revision = (
        Revision.objects.filter(article_id=article_pk, version=version, autosave=False)
        .select_related("author").order_by("-id").first()
    )
    return revision.author if revision else None


def revision_at(article, version):
    """The revision that describes `article` at `version` (the latest one stored at or before it)."""
    return article.revisions.filter(version__lte=version, autosave=False).order_by("-version", "-id").first()


# What an autosave keeps: the words an editor types, the part a lost tab or crash would cost.
AUTOSAVED_FIELDS = ("title", "description", "body_markdown")


def autosave(article_pk, base_version, values, *, by):
    """Keep `values` (of AUTOSAVED_FIELDS) as `by`'s autosaved draft of the article, one per person and version,
    without changing the article. Raises StaleVersion when someone else saved a newer version since
    `base_version` (their words are not to be buried under a draft of older ones); a newer version saved by `by`
    (another tab of theirs) is no conflict."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_pk)  # the same lock as a save (check_version)
        if base_version is None or article.version != base_version:
            saver = saved_by(article_pk, article.version)
            if base_version is None or saver is None or saver.pk != by.pk:
                raise StaleVersion(article, base_version, article.version)
        allowed = set(policy.editable_fields(by, article))
        data = snapshot(article)
        data.update({name: str(values[name]) for name in AUTOSAVED_FIELDS if name in values and name in allowed})
        revision, _ = Revision.objects.update_or_create(
            article=article, version=article.version, author=by, autosave=True, defaults={"data": data},
        )
    return revision


@dataclass
class FieldChange:
    name: str
    label: str
    before: str = ""
    after: str = ""
    lines: list = field(default_factory=list)  # (kind, text) with kind in "hunk", "add", "del", "same"


def diff(old, new):
    """The readable differences between two revisions (or snapshots), field by field; empty when equal."""
    before_data = old.data if isinstance(old, Revision) else old
    after_data = new.data if isinstance(new, Revision) else new
    changes = []
    for name in TRACKED_FIELDS:
        before, after = before_data.get(name), after_data.get(name)
        if before == after:
            continue
        change = FieldChange(name, str(Article._meta.get_field(name).verbose_name).capitalize())
        if name == BODY_FIELD:
            change.lines = line_diff(before or "", after or "")
        else:
            change.before, change.after = _display(name, before), _display(name, after)
        changes.append(change)
    return changes


def line_diff(before, after, context=3):
    """A unified line diff as (kind, text) pairs, without the file header lines."""
    lines = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "add", "-": "del"}.get(line[:1], "same")
        lines.append((kind, line[1:] if kind != "hunk" else line))
    return lines


def _display(name, value):
    """A human-readable rendering of a stored value: names for ids, local-free ISO times."""
    if value in (None, "", []):
        return "—"
    if name == "category":
        return str(Category.objects.filter(pk=value).first() or f"deleted category #{value}")
    if name == "tags":
        names = dict(Tag.objects.filter(pk__in=value).values_list("pk", "name"))
        return ", ".join(names.get(pk, f"#{pk}") for pk in value)
    if name == "author":
        user = get_user_model().objects.filter(pk=value).first()
        return user.get_username() if user else f"deleted user #{value}"
    if name == "cover_image":
        from media.models import Image

        return str(Image.objects.filter(pk=value).first() or f"deleted image #{value}")
    return str(value)


def restore(article, revision, *, by):
    """Bring back a revision's fields (those `by` may edit) as a new version; history is kept, never rewritten."""
    if revision.article_id != article.pk:
        raise ValueError("That revision belongs to another article.")
    allowed = set(policy.editable_fields(by, article)) & set(TRACKED_FIELDS)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        before, public_before = changes.state(locked), changes.public_snapshot(snapshot(locked))
        current_slug = locked.slug
        for name in allowed - {"tags"}:
            if name in revision.data:
                _assign(locked, name, revision.data[name])
        if Article.objects.filter(language=locked.language, slug=locked.slug).exclude(pk=locked.pk).exists():
            locked.slug = current_slug  # another article has taken the old slug since: keep the current one
        locked.save()
        if "tags" in allowed and "tags" in revision.data:
            locked.tags.set(Tag.objects.filter(pk__in=revision.data["tags"]))
        new_revision = record(locked, by=by)
        edited = changes.public_snapshot(new_revision.data) != public_before
        changes.record_change(locked, before, by=by, edited=edited)
        audit.record(
            locked, by=by, action="restore", from_status=locked.status, to_status=locked.status,
            comment=f"Restored revision v{revision.version} as v{locked.version}.",
        )
    article.refresh_from_db()
    return new_revision


def _assign(article, name, value):
    model_field = Article._meta.get_field(name)
    if model_field.is_relation:
        # A related row deleted since the revision was taken leaves the field empty rather than failing.
        exists = value is not None and model_field.related_model._default_manager.filter(pk=value).exists()
        setattr(article, model_field.attname, value if exists else None)
    elif isinstance(model_field, models.DateTimeField):
        setattr(article, name, parse_datetime(value) if value else None)
    else:
        setattr(article, name, value)
