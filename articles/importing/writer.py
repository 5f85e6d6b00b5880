"""Write parsed posts in batches: idempotent upserts keyed by `import_key`, bulk queries, each file whole or not."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from articles import policy, revisions, sitelinks, workflow
from articles.codes import generate_code
from articles.models import SEARCH_WORD_FIELDS, Article, ArticleImage, Category, Tag, slug_base
from authors.bylines import authors_by_slug
from authors.models import Byline, TranslatorCredit
from media.models import Image
from newsroom.bulk import insert_rows

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"

# Article.CONTENT_FIELDS no front-matter key carries (so the exporter leaves them out too): a cover's caption and
# credit. tests/articles/test_content_fields.py imports every other content field, new and again.
NOT_IMPORTED = ("cover_caption", "cover_credit")
# Fields an import sets on an existing article: its content (the tags, many-to-many, are written apart) and what
# the import derives from it (the code stays: links to it keep working).
UPDATE_FIELDS = [
    *(name for name in Article.CONTENT_FIELDS
      if name not in NOT_IMPORTED and not Article._meta.get_field(name).many_to_many),
    "body_html", "status", "import_key", "source_checksum", "version", "updated_at", "slug", *SEARCH_WORD_FIELDS,
    "translation_group", "source_path",
]


@dataclass
class FileResult:
    path: str
    outcome: str
    code: str = ""
    error: str = ""
    warnings: list = field(default_factory=list)

    def as_dict(self):
        data = {"file": self.path, "result": self.outcome}
        if self.code:
            data["code"] = self.code
        if self.error:
            data["error"] = self.error
        if self.warnings:
            data["warnings"] = self.warnings
        return data


@dataclass
class _Written:
    """One article a batch creates or updates: what its tags, inline images and audit entry need."""

    post: object
    outcome: str
    article_id: int | None  # None until the new article's row is inserted
    code: str
    translation_group: object
    before: tuple | None  # (status, published_at) of an existing article
    to_status: str
    values: dict  # the article's columns as written, {attname: value}: its revision's snapshot


class BatchWriter:
    """Upserts batches of `ParsedPost`s for one import run and remembers which file claimed which identity."""

    def __init__(self, *, actor=None, dry_run=False, status_override=False):
        self.actor = actor or policy.IMPORTER
        self.status_override = status_override  # an explicit --status applies to updates too
        self.dry_run = dry_run
        self._claims = {}  # code or import_key -> path of the first file in this run that claimed it
        self._files = sitelinks.FileIndex()  # the run's files by their import paths -> their articles' codes

    def write(self, posts):
        """Write one batch; return a FileResult per post, in order."""
        results, pending = {}, []
        for index, post in enumerate(posts):
            clash = self._claim(post)
            if clash:
                results[index] = FileResult(post.path, FAILED, error=clash)
            else:
                pending.append((index, post))

        existing = self._existing([post for _, post in pending])
        plan = []
        for index, post in pending:
            article = existing.get(("key", post.import_key)) or (post.code and existing.get(("code", post.code)))
            if article and article.source_checksum == post.checksum and article.import_key == post.import_key:
                results[index] = FileResult(post.path, UNCHANGED, code=article.code)
                self._files.add(post.relative_path, article.code)
            else:
                plan.append((index, post, article))

        if self.dry_run:
            for index, post, article in plan:
                results[index] = FileResult(post.path, UPDATED if article else CREATED, code=post.code or "")
        elif plan:
            written = self._write_plan(plan)
            results.update(written)
            for index, post, _ in plan:
                if written[index].outcome != FAILED:
                    self._files.add(post.relative_path, written[index].code)
        return [results[index] for index in range(len(posts))]

    def _claim(self, post):
        """Two files in one run may not claim the same code or identity: the second one fails."""
        keys = [post.import_key] + ([f"code:{post.code}"] if post.code else [])
        for key in keys:
            if key in self._claims:
                what = "code " + post.code if key.startswith("code:") else "identity " + key.partition(":")[2]
                line = post.code_line if key.startswith("code:") else 1
                return f"{post.path}:{line}: {what} is already claimed in this import by {self._claims[key]}"
        for key in keys:
            self._claims[key] = post.path
        return None

    def _existing(self, posts):
        keys = [post.import_key for post in posts]
        codes = [post.code for post in posts if post.code]
        found = {}
        if not posts:
            return found
        query = Q(import_key__any=keys) | Q(code__any=codes) if codes else Q(import_key__any=keys)
        for article in Article.objects.filter(query).only(
            "id", "code", "slug", "language", "status", "published_at", "version", "import_key", "source_checksum",
            "translation_group", *revisions.tracked_column_names(),  # the rest of a revision's snapshot
        ):
            if article.import_key:
                found[("key", article.import_key)] = article
            found[("code", article.code)] = article
        return found

    def _write_plan(self, plan):
        """All in one savepoint; if the database refuses the batch, retry file by file to isolate the culprit."""
        try:
            with transaction.atomic():
                return self._upsert(plan)
        except DatabaseError:
            pass
        results = {}
        for item in plan:
            index, post, _ = item
            try:
                with transaction.atomic():
                    # Re-read: the batch attempt was rolled back, so the pre-fetched article may be stale.
                    article = Article.objects.filter(pk=item[2].pk).first() if item[2] else None
                    results.update(self._upsert([(index, post, article)]))
            except DatabaseError as exc:
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                error = f"{post.path}:1: the database refused it: {message}"
                results[index] = FileResult(post.path, FAILED, error=error)
        return results

    def _upsert(self, plan):
        now = timezone.now()
        categories = self._get_or_create(
            Category, {post.category.slug: post.category for _, post, _ in plan if post.category}
        )
        tags = self._get_or_create(Tag, {tag.slug: tag for _, post, _ in plan for tag in post.tags})
        authors = authors_by_slug({ref.slug: ref for _, post, _ in plan for ref in post.authors + post.translators})
        images = self._images(plan)

        needs_slug = [(post, article) for _, post, article in plan if not article or article.language != post.language]
        slugs = allocate_slugs([(post.language, post.title) for post, _ in needs_slug])
        slug_for = {id(post): slug for (post, _), slug in zip(needs_slug, slugs, strict=True)}
        codes = self._new_codes([post for _, post, article in plan if not article])
        linked = self._linked_html(plan, codes, slug_for, categories)

        # New articles go in as rows (no model instances: a fifth of the import's CPU went into building them);
        # existing ones are updated through their instances.
        creates, updates, written, results = [], [], [], {}
        for index, post, article in plan:
            values = {
                "title": post.title, "description": post.description, "body_markdown": post.body_markdown,
                "body_html": linked[id(post)][0] if id(post) in linked else post.body_html,
                "origin_url": post.origin_url, "language": post.language,
                "layout": post.layout, "published_at": post.published_at, "extra": post.extra,
                "category_id": categories[post.category.slug].pk if post.category else None,
                "cover_image_id": images[post.cover.url] if post.cover else None,
                "import_key": post.import_key, "source_checksum": post.checksum, "credit_line": post.credit_line,
                "source_path": post.relative_path, "translation_group": post.translation_group,
                **dict(zip(SEARCH_WORD_FIELDS, post.search_words, strict=True)),
            }
            if article is None:
                code = codes[id(post)]
                creates.append({**values, "code": code, "slug": slug_for[id(post)], "version": 1,
                                "status": post.status})
                written.append(_Written(post, CREATED, None, code, post.translation_group, None, post.status,
                                        creates[-1]))
            else:
                before = (article.status, article.published_at)
                for name, value in values.items():
                    setattr(article, name, value)
                article.version += 1
                article.updated_at = now
                article.slug = slug_for.get(id(post), article.slug)
                if self.status_override:
                    # After the first import the workflow owns the status: re-importing a changed file updates the
                    # content in place but never republishes what an editor archived or unpublishes what they
                    # approved.
                    article.status = post.status
                updates.append(article)
                written.append(_Written(post, UPDATED, article.pk, article.code, article.translation_group, before,
                                        article.status, {**article.__dict__, "version": article.version}))
            results[index] = FileResult(post.path, written[-1].outcome, code=written[-1].code,
                                        warnings=linked[id(post)][1] if id(post) in linked else [])

        new_ids = iter(insert_rows(Article, creates))
        for change in written:
            if change.article_id is None:
                change.article_id = next(new_ids)
        if updates:
            Article.objects.bulk_update(updates, UPDATE_FIELDS)
            updated_ids = [article.pk for article in updates]
            Article.tags.through.objects.filter(article_id__any=updated_ids).delete()
            ArticleImage.objects.filter(article_id__any=updated_ids).delete()
            Byline.objects.filter(article_id__any=updated_ids).delete()
            TranslatorCredit.objects.filter(article_id__any=updated_ids).delete()

        insert_rows(Article.tags.through, (
            {"article_id": change.article_id, "tag_id": tags[tag.slug].pk}
            for change in written for tag in change.post.tags
        ))
        # With their article's status and time as just written: the triggers (authors migration 0008) then find
        # nothing to correct.
        insert_rows(Byline, (
            {"article_id": change.article_id, "author_id": authors[ref.slug], "position": position,
             "article_status": change.values["status"], "article_published_at": change.values["published_at"]}
            for change in written for position, ref in enumerate(change.post.authors)
        ))
        insert_rows(TranslatorCredit, (
            {"article_id": change.article_id, "author_id": authors[ref.slug], "position": position}
            for change in written for position, ref in enumerate(change.post.translators)
        ))
        insert_rows(ArticleImage, (
            {"article_id": change.article_id, "image_id": images[ref.url], "position": position,
             "caption": ref.caption, "credit": ref.credit}
            for change in written for position, ref in enumerate(change.post.images)
        ))
        workflow.record_bulk([
            workflow.BulkChange(
                pk=change.article_id, code=change.code, language=change.post.language,
                translation_group=change.translation_group, status=change.to_status,
                published_at=change.post.published_at, before=change.before,
                comment=f"{change.outcome} from {change.post.path}", version=change.values["version"],
                snapshot=revisions.snapshot_of(change.values, [tags[tag.slug].pk for tag in change.post.tags],
                                               change.to_status),
            )
            for change in written
        ], by=self.actor, action="import", now=now)
        return results

    def _linked_html(self, plan, codes, slug_for, categories):
        """{id(post): (body HTML, warnings)} for the posts that link to other posts (`{% link %}`): each link to the
        URL of the article its target file became, in this batch, earlier in the run or before it; a link whose
        target is none of these loses its <a>, with a warning line for the file."""
        linking = [post for _, post, _ in plan if post.site_links]
        if not linking:
            return {}
        in_batch = {}  # code -> an unsaved Article with what its URL needs: the batch's rows are not written yet
        for _, post, article in plan:
            code = article.code if article else codes[id(post)]
            in_batch[code] = Article(
                code=code, slug=slug_for.get(id(post)) or article.slug, language=post.language,
                published_at=post.published_at, category=categories[post.category.slug] if post.category else None,
            )
            self._files.add(post.relative_path, code)
        targets = {id(link): self._files.find(link, post.relative_path) for post in linking for link in post.site_links}
        earlier = {
            article.code: article
            for article in Article.objects.filter(code__any=[code for code in targets.values() if code]).select_related(
                "category").only("code", "slug", "language", "published_at", "category__slug")
        }
        found = {link_id: in_batch.get(code) or earlier.get(code) for link_id, code in targets.items()}
        missing = [link for post in linking for link in post.site_links if found[id(link)] is None]
        stored = sitelinks.stored_index(missing) if missing else None
        linked = {}
        for post in linking:
            articles = [found[id(link)] or stored.find(link, post.relative_path) for link in post.site_links]
            html = sitelinks.fill(post.body_html, [sitelinks.public_url(article) for article in articles])
            lost = [link for link, article in zip(post.site_links, articles, strict=True) if article is None]
            warnings = []
            if lost:
                more = f" and {len(lost) - 1} more" if len(lost) > 1 else ""
                warnings.append(
                    f"{post.path}:{lost[0].line}: {{% {lost[0].kind} {lost[0].target} %}}{more} named no post of this "
                    "import or article imported before: the link was removed (its text stays)"
                )
            linked[id(post)] = (html, warnings)
        return linked

    @staticmethod
    def _get_or_create(model, refs):
        """Categories or tags by slug: one query, one bulk insert for the new ones."""
        if not refs:
            return {}
        found = {obj.slug: obj for obj in model.objects.filter(slug__any=list(refs))}
        # A racing import that inserts the same slug first makes this insert fail: the batch is then retried
        # file by file and finds the row.
        found.update((obj.slug, obj) for obj in model.objects.bulk_create(
            model(slug=slug, name=ref.name) for slug, ref in refs.items() if slug not in found
        ))
        return found

    @staticmethod
    def _images(plan):
        """Image ids by URL for every cover and inline image of the batch: ours, or remote ones created on first use."""
        return Image.objects.ids_by_url(
            ref for _, post, _ in plan for ref in ([post.cover] if post.cover else []) + post.images
        )

    @staticmethod
    def _new_codes(posts):
        """The file's code, else a fresh one; fresh codes are checked against each other and the database."""
        codes = {id(post): post.code for post in posts if post.code}
        fresh = [post for post in posts if not post.code]
        while fresh:
            candidates = {id(post): generate_code(post.published_at) for post in fresh}
            clashing = set(Article.objects.filter(code__any=list(candidates.values())).values_list("code", flat=True))
            clashing |= set(codes.values())
            seen, retry = set(), []
            for post in fresh:
                code = candidates[id(post)]
                if code in clashing or code in seen:
                    retry.append(post)
                else:
                    seen.add(code)
                    codes[id(post)] = code
            fresh = retry
        return codes


def allocate_slugs(items):
    """Unique slugs for (language, title) pairs, the way `Article.unique_slug` makes them, with two queries."""
    bases = [(language, slug_base(title)) for language, title in items]
    if not bases:
        return []
    taken = set(
        Article.objects.filter(language__any=list({language for language, _ in bases}),
                                slug__any=list({base for _, base in bases}))
        .values_list("language", "slug")
    )
    # Only bases already in use need the wider prefix query for their -2, -3... siblings.
    crowded = {(language, base) for language, base in bases if (language, base) in taken}
    if crowded:
        query = Q()
        for language, base in crowded:
            query |= Q(language=language, slug__startswith=base)
        taken |= set(Article.objects.filter(query).values_list("language", "slug"))
    slugs, counters = [], defaultdict(int)
    for language, base in bases:
        slug, n = base, max(counters[(language, base)], 1)
        if n > 1:
            slug = f"{base}-{n}"
        while (language, slug) in taken:
            n += 1
            slug = f"{base}-{n}"
        counters[(language, base)] = n
        taken.add((language, slug))
        slugs.append(slug)
    return slugs
