"""What a post's like box shows: the count, "N readers like this", and whether
this reader likes it — the latter only where the page is the reader's own."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse

from core.page_cache import depends_on, is_shareable_request

from .freshness import likes_key, shown_count
from .models import Like
from .readers import reader_of


def likes_text(count, liked):
    """WordPress.com's "N bloggers like this", for readers."""
    if liked:
        others = count - 1
        if others <= 0:
            return "You like this."
        if others == 1:
            return "You and one other reader like this."
        return f"You and {intcomma(others)} other readers like this."
    if count <= 0:
        return ""
    if count == 1:
        return "One reader likes this."
    return f"{intcomma(count)} readers like this."


def sign_in_url(post):
    return f"{settings.LOGIN_URL}?{urlencode({'next': post.get_absolute_url()})}"


@dataclass
class PostLikes:
    post: object
    count: int
    liked: bool
    can_like: bool  # False: anonymous likes are off and the reader is not signed in

    @classmethod
    def of(cls, post, reader, *, live=True):
        """`reader` None: nobody in particular (a shared page, or a browser that never
        liked). `live` False: the count as cached pages show it (likes/freshness.py)."""
        liked = reader is not None and Like.objects.filter(post=post).by(reader).exists()
        can_like = reader is not None or settings.LIKES_ANONYMOUS
        count_now = Like.objects.filter(post=post).count
        count = count_now() if live else shown_count(post.pk, count_now)
        return cls(post, count, liked, can_like)

    @property
    def text(self):
        return likes_text(self.count, self.liked)

    @property
    def url(self):
        return reverse("likes:post", args=[self.post.pk])

    @property
    def sign_in_url(self):
        return sign_in_url(self.post)

    def as_json(self):
        return {
            "count": self.count,
            "liked": self.liked,
            "text": self.text,
            "can_like": self.can_like,
            "sign_in": None if self.can_like else self.sign_in_url,
        }


def is_own_page(request):
    """Whether the page is rendered for this reader alone (never shared), so it may
    say what they like."""
    return request.user.is_authenticated or not (
        settings.PAGE_CACHE and is_shareable_request(request)
    )


def post_likes_context(post, request):
    """The post page's like box (a provider in blog/extensions.py)."""
    if not post.is_public:
        return {}
    depends_on(likes_key(post.pk))
    reader = reader_of(request) if is_own_page(request) else None
    # A reader's own like goes with the live count ("You and 3 others"), else the cached one.
    return {"likes": PostLikes.of(post, reader, live=reader is not None)}
