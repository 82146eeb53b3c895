from django.apps import AppConfig
from django.db.models.signals import post_save


class SeriesConfig(AppConfig):
    name = "series"
    verbose_name = "Series and guides"

    def ready(self):
        from blog import extensions
        from core.content_version import bump_on_change

        from .admin import (
            PostPostingInline,
            PostSeriesInline,
            post_part_annotations,
            post_part_column,
        )
        from .models import Guide, GuideSeries, GuideVolume, Posting, Series, SeriesPart
        from .post_page import post_page_context

        bump_on_change(Series, SeriesPart, Guide, GuideSeries, GuideVolume, Posting)
        extensions.add_to_slot("nav", "series/includes/nav_links.html")
        extensions.add_post_context(post_page_context)
        extensions.add_to_slot("post_after_title", "series/includes/post_badge.html")
        extensions.add_to_slot("post_after_body", "series/includes/post_series.html")
        extensions.add_post_admin_inline(PostSeriesInline)
        extensions.add_post_admin_inline(PostPostingInline)
        extensions.add_post_admin_column(post_part_column, post_part_annotations())

        # Following by email: the forms, the notice when a post goes live, and the
        # subscriptions in the moderators' personal data tools.
        from blog.models import Post

        from . import follow_privacy
        from .follow_signals import announce_when_live

        extensions.add_to_slot("post_after_body", "series/includes/follow_part.html")
        extensions.add_to_slot("home_end", "series/includes/follow_home.html")
        post_save.connect(announce_when_live, sender=Post, dispatch_uid="series.announce")
        extensions.add_personal_data("subscriptions", follow_privacy.export, follow_privacy.erase)
