from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def like_changed(sender, instance, **kwargs):
    from .freshness import note_change

    note_change(instance.post_id)


class LikesConfig(AppConfig):
    name = "likes"
    verbose_name = "Likes"

    def ready(self):
        from blog import extensions

        from . import privacy
        from .models import Like
        from .post_likes import post_likes_context

        # Every like or unlike, however made (views, erase, admin, cascades), reaches
        # the cached pages, at most every LIKES_REFRESH_SECONDS (likes/freshness.py).
        post_save.connect(like_changed, sender=Like, dispatch_uid="likes-save")
        post_delete.connect(like_changed, sender=Like, dispatch_uid="likes-delete")
        extensions.add_post_context(post_likes_context)
        extensions.add_to_slot("post_head", "likes/includes/script.html")
        extensions.add_to_slot("post_after_body", "likes/includes/post_likes.html")
        extensions.add_personal_data("likes", privacy.export, privacy.erase)
