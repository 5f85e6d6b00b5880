"""Django's admin, with Newsroom's site (newsroom.admin) as the default one that apps register with."""

from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
