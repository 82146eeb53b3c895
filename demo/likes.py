"""Likes on the newest demo posts, from anonymous browsers (deterministic tokens),
so `make run` shows "N readers like this"; safe to run again."""

import hashlib

from blog.models import Post
from likes.models import Like


def seed_likes(rng, newest=20, most=12):
    likes = [
        Like(post=post, browser_hash=hashlib.sha256(f"demo:{post.slug}:{n}".encode()).hexdigest())
        for post in Post.objects.published().order_by("-published_at")[:newest]
        for n in range(rng.randint(0, most))
    ]
    # Unique per post and browser: a second run adds nothing.
    return len(Like.objects.bulk_create(likes, ignore_conflicts=True))
