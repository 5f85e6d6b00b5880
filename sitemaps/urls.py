"""Routes of the sitemaps and robots.txt, at the site's root."""

from django.urls import path

from sitemaps import views

app_name = "sitemaps"

urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="index"),
    path("sitemap-news.xml", views.news, name="news"),
    path("sitemaps/categories-<int:page>.xml", views.categories, name="categories"),
    path("sitemaps/authors-<int:page>.xml", views.authors, name="authors"),
    path("sitemaps/articles-<int:year>-<int:month>-<int:page>.xml", views.articles, name="articles"),
    path("robots.txt", views.robots_txt, name="robots"),
]
