"""The public JSON shapes of articles, categories, tags and languages; they shape data and decide nothing."""

from datetime import UTC

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Category, Tag
from media.serializers import ImageSerializer


class ImageShapeMixin:
    """Images through media's ImageSerializer, built once per response (building one costs more than using it)."""

    def image_data(self, image, caption="", credit=""):
        """An image's public shape, with the caption and credit it has where it is shown (else its own)."""
        serializer = self.root.__dict__.get("_image_serializer")
        if serializer is None:
            serializer = self.root._image_serializer = ImageSerializer(context=self.context)
        data = serializer.to_representation(image)
        if caption:
            data["caption"] = caption
        if credit:
            data["credit"] = credit
        return data


@extend_schema_field(OpenApiTypes.URI)
class ArticleURLField(serializers.Field):
    """The absolute URL of an article's detail, reversed once per response rather than once per article."""

    def __init__(self, **kwargs):
        kwargs.update(source="code", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, code):
        prefix = self.root.__dict__.get("_article_url_prefix")
        if prefix is None:
            placeholder = "ART0000000000AAA000"
            url = reverse("api:article-detail", kwargs={"code": placeholder})
            request = self.context.get("request")
            url = request.build_absolute_uri(url) if request is not None else url
            prefix = self.root._article_url_prefix = url.removesuffix(f"{placeholder}/")
        return f"{prefix}{code}/"


class FieldSelectionMixin:
    """Drops the fields not named in context["fields"] (the `?fields=` parameter, already validated)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = self.context.get("fields")
        if wanted:
            for name in set(self.fields) - set(wanted):
                self.fields.pop(name)


# Articles use plain Serializers with every field declared: a ModelSerializer introspects the model again on
# every response, which cost more than serializing a page of 20.
class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field(OpenApiTypes.URI)
class AuthorURLField(serializers.Field):
    """The absolute URL of an author's detail."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "slug")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, slug):
        url = reverse("api:author-detail", kwargs={"slug": slug})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class BylineSerializer(serializers.Serializer):
    """An author of an article, from its byline."""

    slug = serializers.CharField(read_only=True, source="author.slug")
    name = serializers.CharField(read_only=True, source="author.name")
    url = AuthorURLField(source="author.slug", help_text="Absolute URL of the author's detail.")


class BylineDetailSerializer(ImageShapeMixin, BylineSerializer):
    role = serializers.CharField(read_only=True, source="author.role")
    photo = serializers.SerializerMethodField(help_text="The author's photo, or null.")

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_photo(self, byline):
        return None if byline.author.photo is None else self.image_data(byline.author.photo)


class ArticleListSerializer(FieldSelectionMixin, ImageShapeMixin, serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Public code, e.g. ART2411111106IYO003.")
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField(help_text="Tag slugs.")
    authors = serializers.SerializerMethodField(help_text="The bylines, in order.")
    credit_line = serializers.CharField(read_only=True, help_text="Free text beside the bylines, or empty.")
    language = serializers.CharField(read_only=True, help_text="BCP 47 tag, lower case.")
    published_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)
    updated_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)
    modified_at = serializers.SerializerMethodField(
        help_text="The public update time: the latest correction or update, else the publication time."
    )
    origin_url = serializers.CharField(read_only=True, help_text="Canonical URL of the original, or empty.")
    image = serializers.SerializerMethodField(help_text="The cover image, or null.")
    url = ArticleURLField(help_text="Absolute URL of the article's detail.")

    @classmethod
    def field_names(cls):
        return list(cls._declared_fields)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, article):
        return sorted(article.tag_slugs.split(",")) if article.tag_slugs else []

    @extend_schema_field(BylineSerializer(many=True))
    def get_authors(self, article):
        return BylineSerializer(article.bylines.all(), many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified_at(self, article):
        field = serializers.DateTimeField(default_timezone=UTC)
        moment = article.modified_at or article.published_at
        return None if moment is None else field.to_representation(moment)

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, article):
        if article.cover_image is None:
            return None
        return self.image_data(article.cover_image, article.cover_caption, article.cover_credit)


class TranslationSerializer(serializers.Serializer):
    language = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    url = ArticleURLField()


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text="correction, update, clarification or editors_note.")
    text = serializers.CharField(read_only=True, help_text="The note in Markdown.")
    html = serializers.CharField(read_only=True, source="text_html", help_text="The note as sanitised HTML.")
    at = serializers.DateTimeField(read_only=True, source="created_at", default_timezone=UTC)


class ArticleDetailSerializer(ArticleListSerializer):
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML rendered from the Markdown.")
    body_markdown = serializers.CharField(read_only=True)
    images = serializers.SerializerMethodField(help_text="Inline images in the order they appear.")
    translations = TranslationSerializer(
        many=True, read_only=True, source="public_translations",
        help_text="The other published articles of the same translation group.",
    )
    corrections = CorrectionSerializer(
        many=True, read_only=True, source="corrections.all", help_text="Corrections and updates, oldest first."
    )

    @extend_schema_field(BylineDetailSerializer(many=True))
    def get_authors(self, article):
        """The bylines with roles and photos."""
        return BylineDetailSerializer(article.bylines.all(), many=True, context=self.context).data

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, article):
        return [self.image_data(item.image, item.caption, item.credit) for item in article.inline_images.all()]


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
        read_only_fields = fields


class TagSerializer(serializers.ModelSerializer):
    article_count = ArticleCountField(help_text="Published articles with this tag.")

    class Meta:
        model = Tag
        fields = ["slug", "name", "article_count"]
        read_only_fields = fields


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField(source="language", read_only=True, help_text="BCP 47 tag, lower case.")
    article_count = serializers.IntegerField(read_only=True)
