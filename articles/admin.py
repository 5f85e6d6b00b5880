"""Admin screens for articles, categories and tags."""

from django.contrib import admin

from articles.models import Article, Category, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "status", "category", "language", "published_at", "updated_at"]
    list_filter = ["status", "category", "language"]
    search_fields = ["title", "code", "body_markdown"]
    date_hierarchy = "published_at"
    readonly_fields = ["code", "body_html", "extra", "created_at", "updated_at"]
    autocomplete_fields = ["category", "tags"]
