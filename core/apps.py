from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Site plumbing that every app may use and that uses none of them: health
    check, error pages, the page cache and its content version, the Site record."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.apps import apps

        from .site_record import sync_site_with_settings

        # Right after the sites framework has its table.
        post_migrate.connect(sync_site_with_settings, sender=apps.get_app_config("sites"))
