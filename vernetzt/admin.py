"""Django's admin site with its rule declared like every other view's: ``permissions.can_use_admin``.

The admin checks the rule itself for each of its pages (``AdminSite.admin_view``); this site asks the
register's predicate for it and marks every admin URL with it, so that the URL-wide permission test
sees the rule. Its login is the workspace's (``vernetzt.urls``), which asks for the second factor.
"""

from django.contrib import admin
from django.urls import URLResolver

from register import guards, permissions


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        return permissions.can_use_admin(request.user)

    # Signing in and out are open to everybody (the admin's login page is the workspace's).
    @guards.public
    def login(self, request, extra_context=None):
        return super().login(request, extra_context)

    @guards.public
    def logout(self, request, extra_context=None):
        return super().logout(request, extra_context)

    def get_urls(self):
        patterns = super().get_urls()
        declare(patterns)
        return patterns


def declare(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            declare(pattern.url_patterns)
        elif guards.rule_of(pattern.callback) is None:
            setattr(pattern.callback, guards.RULE, permissions.can_use_admin)
