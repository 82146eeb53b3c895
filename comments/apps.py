from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments and moderation"

    def ready(self):
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from . import moderation  # noqa: F401  (registers the moderator for posts)
        from .models import BlogComment
        from .permissions import ensure_moderators_group

        # xtd hides every reply when a comment stops being public. Here replies
        # stay in place under a "comment removed" placeholder instead.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=BlogComment._meta.label)
        post_migrate.connect(ensure_moderators_group, sender=self)
