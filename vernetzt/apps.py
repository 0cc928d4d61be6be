from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, with the site that declares the register's rule for its pages."""

    default_site = "vernetzt.admin.AdminSite"
