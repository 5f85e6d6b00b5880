"""The public JSON shapes of authors; they shape data and decide nothing."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers import ArticleCountField, AuthorURLField
from authors.models import Author
from media.serializers import ImageSerializer


class AuthorSerializer(serializers.ModelSerializer):
    photo = ImageSerializer(read_only=True, allow_null=True, help_text="The author's photo, or null.")
    article_count = ArticleCountField(help_text="Published articles with this author's byline.")
    url = AuthorURLField(help_text="Absolute URL of the author's detail.")

    class Meta:
        model = Author
        fields = ["slug", "name", "role", "photo", "article_count", "url"]
        read_only_fields = fields


class AuthorDetailSerializer(AuthorSerializer):
    bio_html = serializers.CharField(read_only=True, help_text="Sanitised HTML rendered from the Markdown bio.")
    links = serializers.ListField(
        child=serializers.URLField(), read_only=True, help_text="Website first, then social profiles."
    )
    articles = serializers.SerializerMethodField(help_text="The author's published articles, newest first.")

    class Meta(AuthorSerializer.Meta):
        fields = [*AuthorSerializer.Meta.fields, "bio_html", "links", "articles"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_articles(self, author):
        url = f"{reverse('api:article-list')}?author={author.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
