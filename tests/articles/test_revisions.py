from datetime import timedelta

import pytest
from django.utils import timezone

from articles import revisions
from articles.models import Article, Category, Tag

pytestmark = pytest.mark.django_db


def edit(article, by, **changes):
    """Change fields the way the admin does: save (bumping the version), then record a revision."""
    tags = changes.pop("tags", None)
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    if tags is not None:
        article.tags.set(tags)
    return revisions.record(article, by=by)


def test_every_save_bumps_the_version(writer_article):
    assert writer_article.version == 1
    writer_article.save()
    writer_article.save(update_fields=["title"])
    assert Article.objects.get(pk=writer_article.pk).version == 3


def test_snapshot_holds_the_editable_fields_as_json(writer, writer_article):
    tag = Tag.objects.create(name="Trade", slug="trade")
    revision = edit(writer_article, writer, tags=[tag], published_at=timezone.now())
    data = revision.data
    assert data["title"] == "Rice prices climb" and data["tags"] == [tag.pk]
    assert data["category"] == writer_article.category_id
    assert isinstance(data["published_at"], str) and "code" not in data and "body_html" not in data
    assert revision.version == writer_article.version and revision.author == writer


def test_diff_shows_title_description_and_body_lines(writer, writer_article):
    first = revisions.record(writer_article, by=writer)
    second = edit(
        writer_article, writer, title="Rice prices soar", description="Farmers see big gains.",
        body_markdown="First line.\n\nSecond line, revised.\n\nThird line.",
    )
    changes = {c.name: c for c in revisions.diff(first, second)}
    assert set(changes) == {"title", "description", "body_markdown"}
    assert (changes["title"].before, changes["title"].after) == ("Rice prices climb", "Rice prices soar")
    lines = changes["body_markdown"].lines
    assert ("del", "Second line.") in lines
    assert ("add", "Second line, revised.") in lines and ("add", "Third line.") in lines
    assert ("same", "First line.") in lines


def test_diff_names_related_objects(writer, writer_article):
    first = revisions.record(writer_article, by=writer)
    politics = Category.objects.create(name="Politics", slug="politics")
    second = edit(writer_article, writer, category=politics, tags=[Tag.objects.create(name="Asia", slug="asia")])
    changes = {c.name: c for c in revisions.diff(first, second)}
    assert (changes["category"].before, changes["category"].after) == ("Business", "Politics")
    assert (changes["tags"].before, changes["tags"].after) == ("—", "Asia")


def test_identical_revisions_have_no_diff(writer, writer_article):
    first, second = revisions.record(writer_article, by=writer), revisions.record(writer_article, by=writer)
    assert revisions.diff(first, second) == []


def test_restore_creates_a_new_revision_and_keeps_history(writer, writer_article):
    original = revisions.record(writer_article, by=writer)
    edit(writer_article, writer, title="A worse headline", body_markdown="Gone.")
    count = writer_article.revisions.count()

    restored = revisions.restore(writer_article, original, by=writer)
    assert writer_article.title == "Rice prices climb" and writer_article.body_markdown == "First line.\n\nSecond line."
    assert restored.version == writer_article.version > original.version
    assert writer_article.revisions.count() == count + 1  # nothing deleted
    assert writer_article.revisions.filter(data__title="A worse headline").exists()
    entry = writer_article.audit_entries.get(action="restore")
    assert f"v{original.version}" in entry.comment


def test_restore_by_a_writer_leaves_the_editor_fields_alone(writer, editor, writer_article):
    old = revisions.record(writer_article, by=writer)
    when = timezone.now() + timedelta(days=3)
    edit(writer_article, editor, title="Edited", published_at=when)
    revisions.restore(writer_article, old, by=writer)
    assert writer_article.title == "Rice prices climb"
    assert writer_article.published_at == when  # writers may not change the publication time


def test_restore_keeps_the_slug_when_another_article_took_it(writer, writer_article, category):
    old = revisions.record(writer_article, by=writer)
    edit(writer_article, writer, slug="renamed")
    Article.objects.create(title="Usurper", slug=old.data["slug"], category=category, language="en")
    revisions.restore(writer_article, old, by=writer)
    assert writer_article.slug == "renamed"


def test_restore_refuses_a_revision_of_another_article(writer, writer_article, article):
    foreign = revisions.record(article, by=writer)
    with pytest.raises(ValueError, match="another article"):
        revisions.restore(writer_article, foreign, by=writer)


def test_check_version_refuses_a_stale_base(writer_article):
    assert revisions.check_version(writer_article.pk, writer_article.version).pk == writer_article.pk
    stale = writer_article.version
    writer_article.save()
    with pytest.raises(revisions.StaleVersion) as caught:
        revisions.check_version(writer_article.pk, stale)
    assert (caught.value.base_version, caught.value.current_version) == (stale, stale + 1)
    with pytest.raises(revisions.StaleVersion):
        revisions.check_version(writer_article.pk, None)


def test_revision_at_finds_the_latest_revision_up_to_a_version(writer, writer_article):
    v1 = revisions.record(writer_article, by=writer)
    writer_article.save()
    writer_article.save()
    v3 = revisions.record(writer_article, by=writer)
    assert revisions.revision_at(writer_article, 2) == v1
    assert revisions.revision_at(writer_article, 3) == v3
    assert revisions.revision_at(writer_article, 0) is None
