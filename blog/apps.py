from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from core.content_version import bump_on_change

        from . import converters  # noqa: F401  (registers the "id" path converter)
        from .models import Category, Page, Post, Tag

        bump_on_change(Post, Page, Category, Tag)
