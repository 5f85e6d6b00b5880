"""Who may do what to which article: the one place the admin, the API and the importer ask."""

from dataclasses import dataclass

from articles.models import Article

WRITER = "Writer"
EDITOR = "Editor"
ADMIN = "Admin"  # a superuser; there is no Admin group

Status = Article.Status

# Fields a writer may change on an article they may edit (what the admin's form edits and a revision tracks): the
# story's, Article.CONTENT_FIELDS, and its slug; editors and admins may also change EDITOR_FIELDS. Everything else
# (code, status, version, body_html, translation_group...) is never edited through a form, nor `extra` (the front
# matter the importer kept, shown as it came): status moves only through articles.workflow.
EDITOR_FIELDS = ("published_at", "author")
NOT_EDITED = ("extra",)
CONTENT_FIELDS = ("slug", *(name for name in Article.CONTENT_FIELDS if name not in (*EDITOR_FIELDS, *NOT_EDITED)))

WRITER_TRANSITIONS = frozenset({"submit"})


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor (the importer, the scheduler) trusted with every transition."""

    name: str

    is_authenticated = True
    is_active = True

    def __str__(self):
        return f"system:{self.name}"


IMPORTER = SystemActor("importer")
SCHEDULER = SystemActor("scheduler")


def is_system(actor):
    return isinstance(actor, SystemActor)


def role_of(user):
    """ADMIN, EDITOR, WRITER, or None for anyone without a newsroom role (including anonymous users)."""
    if is_system(user):
        return ADMIN
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    # Cached on the user object: the admin asks many questions per request.
    cached = getattr(user, "_newsroom_role", False)
    if cached is not False:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    role = EDITOR if EDITOR in groups else WRITER if WRITER in groups else None
    user._newsroom_role = role
    return role


def is_editor(user):
    """Editors and admins act on every article."""
    return role_of(user) in (EDITOR, ADMIN)


def _owns(user, article):
    return article.author_id is not None and article.author_id == getattr(user, "pk", None)


def visible_articles(user, queryset=None):
    """The articles this user may open in the admin: all for editors, their own for writers, none otherwise."""
    queryset = Article.objects.all() if queryset is None else queryset
    role = role_of(user)
    if role in (EDITOR, ADMIN):
        return queryset
    if role == WRITER:
        return queryset.filter(author=user)
    return queryset.none()


def can_view(user, article):
    """May open the article, its revisions, diffs, audit history and preview link."""
    role = role_of(user)
    return role in (EDITOR, ADMIN) or (role == WRITER and _owns(user, article))


def can_create(user):
    return role_of(user) is not None


def can_edit(user, article):
    """Editors edit every article; writers edit their own drafts (which includes articles returned to them)."""
    role = role_of(user)
    if role in (EDITOR, ADMIN):
        return True
    return role == WRITER and _owns(user, article) and article.status == Status.DRAFT


def editable_fields(user, article=None):
    """The model fields this user may change on `article` (or on a new article when None)."""
    if article is not None and not can_edit(user, article):
        return ()
    if not can_create(user):
        return ()
    return CONTENT_FIELDS + EDITOR_FIELDS if is_editor(user) else CONTENT_FIELDS


def can_transition(user, article, action):
    """May perform workflow `action` on `article` (whether the article's state allows it is workflow's question)."""
    role = role_of(user)
    if role in (EDITOR, ADMIN):
        return True
    return role == WRITER and _owns(user, article) and action in WRITER_TRANSITIONS


def refusal_reason(user, article, action):
    """A sentence saying why `can_transition` said no, for the audit log and the user."""
    role = role_of(user)
    if role is None:
        return "Only writers, editors and admins take part in the editorial workflow."
    if role == WRITER and not _owns(user, article):
        return "Writers may act only on their own articles."
    return f"Writers may not {action.replace('_', ' ')}; an editor must."


def can_see_history(user, article):
    """Revisions, diffs and the audit history follow the article: whoever may open it may read them."""
    return can_view(user, article)


def can_issue_preview(user, article):
    """A preview token shows the unpublished article to anyone holding the link: only its readers may make one."""
    return can_view(user, article)


def can_restore_revision(user, article):
    return can_edit(user, article)


def can_add_translation(user, article):
    return can_view(user, article) and can_create(user)


def can_delete(user, article=None):
    """Deleting would erase the audit trail: only admins may, and editors archive instead."""
    return role_of(user) == ADMIN and not is_system(user)


def can_import(user):
    """The importer, editors and admins, or an account granted the dedicated import permission (e.g. a bot).

    Staff alone is not enough: writers are staff, and an import can publish.
    """
    if is_system(user) or is_editor(user):
        return True
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.has_perm("articles.import_articles"))
