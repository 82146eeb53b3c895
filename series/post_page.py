"""What a post's page shows of its series and guides. The blog's post page has
slots for it (blog/extensions.py); `SeriesConfig.ready` fills them."""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from blog.models import published_q

from .models import Posting, SeriesPart


@dataclass
class SeriesNavigation:
    part: SeriesPart | None
    parts: list
    postings: list

    def _neighbour(self, step):
        if self.part is None:
            return None
        numbers = [p.number for p in self.parts]
        if self.part.number not in numbers:
            return None
        index = numbers.index(self.part.number) + step
        return self.parts[index] if 0 <= index < len(self.parts) else None

    @property
    def previous_part(self):
        return self._neighbour(-1)

    @property
    def next_part(self):
        return self._neighbour(+1)


def series_navigation(post):
    """The post's place in its series and its guides: three queries at most."""
    part = SeriesPart.objects.filter(post=post).select_related("series").first()
    parts = []
    if part is not None:
        parts = list(
            part.series.parts.filter(published_q("post__"))
            .select_related("post")
            .only(
                "number",
                "series_id",
                "post__title",
                "post__slug",
                "post__published_at",
                "post__created_at",
            )
            .order_by("number")
        )
    postings = list(
        Posting.objects.filter(post=post).select_related("guide").order_by("guide__title")
    )
    return SeriesNavigation(part=part, parts=parts, postings=postings)


def post_page_context(post, request):
    """For the post page's series templates; nothing while the post is unpublished.
    Lazy: the templates cache what they show per content version, so the queries run
    only when a cached copy is missing (a part's page lists every part of its series)."""
    if not post.is_public:
        return {}
    return {"series_nav": SimpleLazyObject(lambda: series_navigation(post))}
