"""The admin site: the newsroom's name from settings, and the editor's desk as its front page."""

from django.conf import settings
from django.contrib import admin

from articles import desk, policy


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/desk.html"
    site_url = None  # no public site of our own to "view" (frontends are separate); `/` leads here

    # Read on each request, so a changed setting (or a test's override) shows at once.
    @property
    def site_header(self):
        return settings.NEWSROOM_SITE_NAME

    @property
    def site_title(self):
        return settings.NEWSROOM_SITE_NAME

    @property
    def index_title(self):
        return "Desk"

    def index(self, request, extra_context=None):
        context = {"queues": desk.queues_for(request.user), **(extra_context or {})}
        if policy.is_editor(request.user):
            context["failed_deliveries"] = desk.failed_deliveries()
        return super().index(request, context)
