from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .sites import sync_site_with_settings

        post_migrate.connect(sync_site_with_settings, sender=self)
