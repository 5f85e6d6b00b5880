"""The public JSON shapes of articles, categories, tags and languages; they shape data and decide nothing.

The article shapes are row serializers (newsroom.shapes): each field names the `.values()` column it reads, and
the one declaration is the OpenAPI schema, the `?fields=` vocabulary and the generated row-to-JSON code.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Category, Tag
from authors.rows import AUTHOR_IS_PUBLIC, BYLINES, TRANSLATORS
from media.serializers import ImageSerializer
from newsroom.shapes import CommaSeparatedField, DetailURLField, RowMethodField, RowSerializer, column, utc_iso


class ArticleURLField(DetailURLField):
    view_name, lookup, placeholder = "api:article-detail", "code", "ART0000000000AAA000"


class AuthorURLField(DetailURLField):
    view_name, lookup, placeholder = "api:author-detail", "slug", "author-slug-placeholder"


class PublicAuthorURLField(AuthorURLField):
    """The absolute URL of an author's detail where they have one (the row's AUTHOR_IS_PUBLIC), else null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def row_columns(self, path):
        return (column(path, self.source), column(path, AUTHOR_IS_PUBLIC))

    def row_expression(self, emitter, var, path, items):
        url = super().row_expression(emitter, var, path, items)
        return f"({url} if {var}[{column(path, AUTHOR_IS_PUBLIC)!r}] else None)"


class CategoryRefSerializer(RowSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class BylineSerializer(RowSerializer):
    """An author of an article, from its byline."""

    slug = serializers.CharField(read_only=True, source="author__slug")
    name = serializers.CharField(read_only=True, source="author__name")
    url = AuthorURLField(source="author__slug", help_text="Absolute URL of the author's detail.")


class TranslatorSerializer(BylineSerializer):
    """A translator of an article, from its translator credit: not one of its authors, so perhaps not public."""

    url = PublicAuthorURLField(
        source="author__slug",
        help_text="Absolute URL of the author's detail, or null when they have none (no published article signed).",
    )


class BylineDetailSerializer(BylineSerializer):
    role = serializers.CharField(read_only=True, source="author__role")
    photo = ImageSerializer(
        source="author__photo", read_only=True, allow_null=True, help_text="The author's photo, or null."
    )


class ArticleListSerializer(RowSerializer):
    """An article; `?fields=` names the fields to return (all of them by default)."""

    code = serializers.CharField(read_only=True, help_text="Public code, e.g. ART2411111106IYO003.")
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    tags = CommaSeparatedField(source="tag_slugs", help_text="Tag slugs.")
    authors = BylineSerializer(many=True, read_only=True, source=BYLINES, help_text="The bylines, in order.")
    translators = TranslatorSerializer(
        many=True, read_only=True, source=TRANSLATORS, help_text="The translators, in order; never among the authors."
    )
    credit_line = serializers.CharField(read_only=True, help_text="Free text beside the bylines, or empty.")
    language = serializers.CharField(read_only=True, help_text="BCP 47 tag, lower case.")
    published_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    modified_at = RowMethodField(
        ("modified_at", "published_at"),
        help_text="The public update time: the latest correction or update, else the publication time.",
    )
    origin_url = serializers.CharField(read_only=True, help_text="Canonical URL of the original, or empty.")
    image = ImageSerializer(
        source="cover_image", caption="cover_caption", credit="cover_credit", read_only=True, allow_null=True,
        help_text="The cover image, or null.",
    )
    url = ArticleURLField(help_text="Absolute URL of the article's detail.")

    @staticmethod
    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified_at(row, ctx):
        return utc_iso(row["modified_at"] or row["published_at"])


class TranslationSerializer(RowSerializer):
    language = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    url = ArticleURLField()


class CorrectionSerializer(RowSerializer):
    kind = serializers.CharField(read_only=True, help_text="correction, update, clarification or editors_note.")
    text = serializers.CharField(read_only=True, help_text="The note in Markdown.")
    html = serializers.CharField(read_only=True, source="text_html", help_text="The note as sanitised HTML.")
    at = serializers.DateTimeField(read_only=True, source="created_at")


# The lists are JSON arrays folded into the detail's row by the query (articles/api/rows.py).
class ArticleDetailSerializer(ArticleListSerializer):
    authors = BylineDetailSerializer(many=True, read_only=True, source=BYLINES, help_text="The bylines, in order.")
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML rendered from the Markdown.")
    body_markdown = serializers.CharField(read_only=True)
    images = ImageSerializer(
        many=True, read_only=True, source="inline_image_items", image="image", caption="caption", credit="credit",
        help_text="Inline images in the order they appear.",
    )
    translations = TranslationSerializer(
        many=True, read_only=True, source="translation_items",
        help_text="The other published articles of the same translation group.",
    )
    corrections = CorrectionSerializer(
        many=True, read_only=True, source="correction_items", help_text="Corrections and updates, oldest first."
    )


@extend_schema_field(OpenApiTypes.INT)
class ArticleCountField(serializers.Field):
    """The count the view computed for this object (context["article_counts"]: {pk: count})."""

    def __init__(self, **kwargs):
        kwargs.update(source="pk", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, pk):
        return self.context["article_counts"].get(pk, 0)


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    article_count = ArticleCountField(help_text="Published articles here and in children.")
    url = serializers.HyperlinkedIdentityField(view_name="api:category-detail", lookup_field="slug")

    class Meta:
        model = Category
        fields = ["slug", "name", "description", "parent", "article_count", "url"]
        read_only_fields = fields


class CategoryDetailSerializer(CategorySerializer):
    children = CategoryRefSerializer(many=True, read_only=True, help_text="Sub-categories.")

    class Meta(CategorySerializer.Meta):
        fields = [*CategorySerializer.Meta.fields, "children"]


class TagSerializer(serializers.ModelSerializer):
    article_count = ArticleCountField(help_text="Published articles with this tag.")

    class Meta:
        model = Tag
        fields = ["slug", "name", "article_count"]
        read_only_fields = fields


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField(source="language", read_only=True, help_text="BCP 47 tag, lower case.")
    article_count = serializers.IntegerField(read_only=True)
