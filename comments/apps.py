from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments and moderation"

    def ready(self):
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from blog import extensions
        from blog.models import Page, Post
        from core import live_fragments

        from . import (
            moderation,  # noqa: F401  (registers the moderator for posts and pages)
            visibility,
        )
        from .models import BlocklistEntry, BlogComment
        from .permissions import ensure_moderators_group
        from .screening import forget_blocklist

        # xtd hides every reply when a comment stops being public. Here replies
        # stay in place under a "comment removed" placeholder instead.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=BlogComment._meta.label)
        post_migrate.connect(ensure_moderators_group, sender=self)
        # Screening reads the blocklist from the cache; a change clears it.
        post_save.connect(forget_blocklist, sender=BlocklistEntry, dispatch_uid="blocklist-save")
        post_delete.connect(forget_blocklist, sender=BlocklistEntry, dispatch_uid="blocklist-del")

        # Only a comment that readers see (or saw) makes cached pages stale.
        visibility.connect(BlogComment)
        # Listings of posts show their public comment counts.
        extensions.add_post_annotation(
            "comment_count",
            lambda outer: BlogComment.objects.count_subquery(Post, outer=outer),
            page_keys=lambda post_id: [visibility.discussion_key(post_id)],
        )
        # …as WordPress words them: "Leave a comment", "1 comment", "5 comments".
        extensions.add_to_slot("listing_comments", "comments/includes/listing_comments.html")
        # The admin's post list shows public and held counts (no query per post).
        from .admin import (
            comment_annotations,
            held_comments_panel,
            page_comments_column,
            post_comment_annotations,
            post_comments_column,
        )

        extensions.add_post_admin_column(post_comments_column, post_comment_annotations())
        extensions.add_page_admin_column(page_comments_column, comment_annotations(Page))
        extensions.add_dashboard_panel(held_comments_panel)
        extensions.add_to_slot("post_head", "comments/includes/post_feed_links.html")
        # Filled in as each page leaves, so an approval re-renders it, not every page.
        live_fragments.register(
            "recent-comments",
            ("content", visibility.COMMENTS),
            "comments/includes/recent_comments.html",
        )
        extensions.add_to_slot("sidebar", "comments/includes/recent_comments_slot.html")
        extensions.add_to_slot("post_end", "comments/includes/post_comments.html")
        # The comment box's sign-in offer and sign-out link, filled by readers/.
        extensions.add_slot("comment_form_sign_in", "comments/form.html, for anonymous readers")
        extensions.add_slot("comment_form_signed_in", "comments/form.html, after 'Logged in as'")
        # Pages take comments as posts do (their moderator: comments/moderation.py).
        extensions.add_to_slot("page_head", "comments/includes/page_feed_links.html")
        extensions.add_to_slot("page_end", "comments/includes/page_comments.html")
