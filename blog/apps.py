from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import converters  # noqa: F401  (registers the "id" path converter)
        from .sites import sync_site_with_settings

        post_migrate.connect(sync_site_with_settings, sender=self)

        from comments.models import BlogComment
        from series.models import Guide, GuideVolume, Posting, Series, SeriesPart

        from .cache import connect_invalidation
        from .models import Category, Page, Post, Tag

        connect_invalidation(
            Post, Page, Category, Tag, BlogComment,
            Series, SeriesPart, Guide, GuideVolume, Posting,
        )  # fmt: skip
