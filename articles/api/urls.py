"""Routes of the public content API, mounted at /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api import views
from articles.api.imports import ImportView
from authors.api.views import AuthorViewSet
from changes.api import ChangesView

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("tags", views.TagViewSet, basename="tag")
router.register("languages", views.LanguageViewSet, basename="language")
router.register("authors", AuthorViewSet, basename="author")

urlpatterns = [
    path("imports/", ImportView.as_view(), name="imports"),
    path("changes/", ChangesView.as_view(), name="changes"),
    *router.urls,
]
