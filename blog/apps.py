from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from core.content_version import bump_on_change

        from . import converters  # noqa: F401  (registers the "id" path converter)
        from .models import AuthorProfile, Category, Image, Page, Post, Tag

        # An author's name and an image's alt text show on pages too.
        bump_on_change(Post, Page, Category, Tag, AuthorProfile, Image)
