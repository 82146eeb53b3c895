"""The benchmark's blog: thousands of posts over fifteen years, a hundred thousand
comments, a long post with a long discussion, a deep discussion, a long series and a
guide volume of a thousand postings. Built once in one transaction and recognised
afterwards by its slugs and counts."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Category, Post, Status, Tag
from blog.sanitizer import html_to_text
from comments.models import BlogComment, State
from demo.comments import OPENERS, READERS, REPLIES
from demo.posts import (
    CATEGORIES,
    TAGS,
    TITLE_OPENERS,
    TITLE_TOPICS,
    body,
)
from series.models import Guide, GuideVolume, Series, SeriesPart

from .discussions import Draft, insert_comments

AUTHOR_USERNAME = "bench-author"
LONG_POST_SLUG = "bench-long-discussion"
DEEP_POST_SLUG = "bench-deep-discussion"
# Benchmark comment POSTs go to this post, so they change no page that is measured.
TARGET_POST_SLUG = "bench-comment-target"
SERIES_SLUG = "bench-series"
GUIDE_SLUG = "bench-guide"
# A category with a sub-category: its page lists the posts of both.
CATEGORY_SLUG = slugify(CATEGORIES[0][0])
# The long post's threads: a comment and three replies, each under the one before.
LONG_THREAD_LENGTH = 4
FILLER_CHUNK = 10_000


@dataclass(frozen=True)
class Shape:
    posts: int = 10_000
    years: int = 15
    comments: int = 100_000
    long_post_words: int = 1_500
    long_threads: int = 50
    deep_comments: int = 500
    series_parts: int = 300
    guide_postings: int = 1_000
    held: int = 25

    @property
    def long_comments(self):
        return self.long_threads * LONG_THREAD_LENGTH

    @property
    def filler_comments(self):
        """Top-level comments spread over the other posts, the held ones among them."""
        return self.comments - self.long_comments - self.deep_comments

    def problems(self):
        found = []
        if self.filler_comments < self.held:
            found.append("--comments must cover the long and deep discussions and the held ones")
        if self.guide_postings < self.series_parts:
            found.append("--guide-postings must be at least --series-parts (the guide lists it)")
        if self.posts < self.guide_postings + 3:
            found.append("--posts must exceed --guide-postings by the three special posts")
        return found

    def expected_summary(self):
        return {
            "posts": self.posts,
            "comments": self.comments,
            "long_post_comments": self.long_comments,
            "long_post_depth": LONG_THREAD_LENGTH,
            "deep_post_comments": self.deep_comments,
            "deep_post_depth": settings.COMMENTS_MAX_DEPTH,
            "series_parts": self.series_parts,
            "guide_postings": self.guide_postings,
        }


def summary():
    """The benchmark dataset's shape as found in the database, or None if absent."""
    guide = Guide.objects.filter(slug=GUIDE_SLUG).first()
    if guide is None:
        return None
    posts = {post.slug: post for post in Post.objects.filter(slug__in=special_slugs())}

    def comments_on(slug):
        return BlogComment.objects.for_object(posts[slug])

    def depth_on(slug):
        return max(comments_on(slug).values_list("level", flat=True), default=-1) + 1

    return {
        "posts": Post.objects.published().count(),
        "comments": BlogComment.objects.exclude(pk__in=comments_on(TARGET_POST_SLUG)).count(),
        "long_post_comments": comments_on(LONG_POST_SLUG).count(),
        "long_post_depth": depth_on(LONG_POST_SLUG),
        "deep_post_comments": comments_on(DEEP_POST_SLUG).count(),
        "deep_post_depth": depth_on(DEEP_POST_SLUG),
        "series_parts": SeriesPart.objects.filter(series__slug=SERIES_SLUG).count(),
        "guide_postings": guide.postings.count(),
    }


def matches(found, shape):
    """Whether a dataset found in the database is the one `shape` asks for. More posts
    are fine: bench_search tops the same database up to its own count."""
    expected = shape.expected_summary()
    return found["posts"] >= expected.pop("posts") and all(
        found[key] == value for key, value in expected.items()
    )


def special_slugs():
    return [LONG_POST_SLUG, DEEP_POST_SLUG, TARGET_POST_SLUG]


@transaction.atomic
def build(shape, say=print):
    """Create the whole dataset; run on a database that does not hold it yet."""
    rng = random.Random(20251127)
    author, _ = get_user_model().objects.get_or_create(username=AUTHOR_USERNAME)
    categories, tags = taxonomy()
    special = add_special_posts(shape, author, categories, rng)
    missing = max(shape.posts - Post.objects.published().count(), 0)
    add_posts(missing, author, rng, years=shape.years)
    say(f"posts: {missing:,} added")
    file_posts(categories, tags, rng)
    Post.objects.filter(search_vector__isnull=True).update_search_vectors()
    say("posts: categories, tags and search index")
    others = list(
        Post.objects.published()
        .exclude(slug__in=special_slugs())
        .order_by("published_at", "pk")
        .only("pk", "published_at")
    )
    series, standalone = add_series(shape, others)
    add_guide(shape, series, standalone)
    say(f"series of {shape.series_parts} parts and guide of {shape.guide_postings} postings")
    insert_comments(long_discussion(shape, special[LONG_POST_SLUG], rng))
    insert_comments(deep_discussion(shape, special[DEEP_POST_SLUG], rng))
    say(f"discussions: {shape.long_comments} and {shape.deep_comments} comments")
    for chunk in filler_comments(shape, others, rng):
        insert_comments(chunk)
    say(f"comments: {shape.filler_comments:,} more over the other posts")


def analyze():
    """Fresh planner statistics and visibility maps after a bulk load, as autovacuum
    would give later (without them counts read whole tables, not index-only scans)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # VACUUM cannot run inside a transaction
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def taxonomy():
    by_name = {}
    for name, parent, description in CATEGORIES:
        by_name[name], _ = Category.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "parent": by_name.get(parent), "description": description},
        )
    tags = [Tag.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in TAGS]
    return list(by_name.values()), tags


def add_special_posts(shape, author, categories, rng):
    """The long post (about `long_post_words` words), the deep one and the POST target."""
    long_body = body(rng)
    while len(html_to_text(long_body).split()) < shape.long_post_words:
        long_body += "\n" + body(rng)
    now = timezone.now()
    rows = [
        (LONG_POST_SLUG, "A long read with a long discussion", long_body, 3),
        (DEEP_POST_SLUG, "A question that started a deep discussion", body(rng), 10),
        (TARGET_POST_SLUG, "Where the benchmark posts its comments", body(rng), 20),
    ]
    posts = {}
    for slug, title, html, days_ago in rows:
        post = Post.objects.create(
            slug=slug,
            title=title,
            author=author,
            body=html,
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=days_ago),
        )
        post.categories.set(categories[:2])
        posts[slug] = post
    return posts


def add_posts(count, author, rng, years=15):
    """`count` published posts spread over the last `years` years, in bulk. Their
    search vectors are left empty: fill them with update_search_vectors()."""
    if count <= 0:
        return
    start = timezone.now() - timedelta(days=365 * years)
    step = timedelta(days=365 * years) / count
    offset = Post.objects.count()
    for batch_start in range(0, count, 1000):
        batch = []
        for n in range(batch_start, min(batch_start + 1000, count)):
            html = body(rng)
            text = html_to_text(html)
            batch.append(
                Post(
                    title=f"{rng.choice(TITLE_OPENERS)} {rng.choice(TITLE_TOPICS)}",
                    slug=f"bench-{offset + n}",
                    author=author,
                    body=html,
                    body_text=text,
                    word_count=len(text.split()),
                    status=Status.PUBLISHED,
                    published_at=start + step * n,
                )
            )
        Post.objects.bulk_create(batch)


def file_posts(categories, tags, rng):
    """Categories and tags for every post without a category, in bulk."""
    in_categories, tagged = [], []
    for post_id in Post.objects.filter(categories__isnull=True).values_list("pk", flat=True):
        for category in rng.sample(categories, rng.choice([1, 1, 2, 3])):
            in_categories.append(Post.categories.through(post_id=post_id, category=category))
        for tag in rng.sample(tags, rng.randint(0, 4)):
            tagged.append(Post.tags.through(post_id=post_id, tag=tag))
    Post.categories.through.objects.bulk_create(in_categories, batch_size=5000)
    Post.tags.through.objects.bulk_create(tagged, batch_size=5000)


def add_series(shape, posts):
    """A series whose parts run through the years; returns it and the posts left out."""
    step = len(posts) // shape.series_parts
    members = posts[::step][: shape.series_parts]
    series = Series.objects.create(
        title="Leading from the middle",
        slug=SERIES_SLUG,
        description="<p>A long-running series, part by part.</p>",
    )
    SeriesPart.objects.bulk_create(
        SeriesPart(series=series, post=post, number=number)
        for number, post in enumerate(members, start=1)
    )
    member_ids = {post.pk for post in members}
    return series, [post for post in posts if post.pk not in member_ids]


def add_guide(shape, series, standalone):
    """One volume listing standalone posts, then the whole series as a group, then more."""
    wanted = shape.guide_postings - shape.series_parts
    chosen = standalone[:: max(len(standalone) // max(wanted, 1), 1)][:wanted]
    guide = Guide.objects.create(
        title="Guide to Careers and Leadership",
        slug=GUIDE_SLUG,
        introduction="<p>Every posting on careers and leadership, numbered in order.</p>",
    )
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    guide.add_posts(chosen[: wanted // 2])
    guide.add_series(series)
    guide.add_posts(chosen[wanted // 2 :])


def long_discussion(shape, post, rng):
    """`long_threads` threads, each a comment and replies nested LONG_THREAD_LENGTH deep."""
    drafts, when = [], post.published_at
    for _ in range(shape.long_threads):
        parent = None
        for _ in range(LONG_THREAD_LENGTH):
            when += timedelta(minutes=rng.randint(1, 90))
            drafts.append(reader_draft(post.pk, parent, when, rng))
            parent = len(drafts) - 1
    return drafts


def deep_discussion(shape, post, rng):
    """`deep_comments` comments in threads of varied shapes: the first a chain as deep as
    the site allows (COMMENTS_MAX_DEPTH), the others replying at random levels."""
    deepest = settings.COMMENTS_MAX_DEPTH
    drafts, when = [], post.published_at
    while len(drafts) < shape.deep_comments:
        first_thread = not drafts
        size = deepest if first_thread else rng.randint(1, 12)
        levels = {}  # this thread's comments: index in drafts -> level
        for _ in range(min(size, shape.deep_comments - len(drafts))):
            when += timedelta(minutes=rng.randint(1, 30))
            open_to_replies = [index for index, level in levels.items() if level < deepest - 1]
            if not open_to_replies:
                parent = None
            elif first_thread:
                parent = len(drafts) - 1
            else:
                parent = rng.choice(open_to_replies)
            drafts.append(reader_draft(post.pk, parent, when, rng))
            levels[len(drafts) - 1] = 0 if parent is None else levels[parent] + 1
    return drafts


def filler_comments(shape, posts, rng):
    """Top-level comments spread at random over `posts`, in chunks; a few held."""
    now, count = timezone.now(), shape.filler_comments
    for start in range(0, count, FILLER_CHUNK):
        chunk = []
        for n in range(start, min(start + FILLER_CHUNK, count)):
            post = rng.choice(posts)
            when = min(post.published_at + timedelta(minutes=rng.randint(5, 60 * 24 * 30)), now)
            draft = reader_draft(post.pk, None, when, rng)
            if n < shape.held:
                draft.state = State.HELD
            chunk.append(draft)
        yield chunk


def reader_draft(post_id, parent, when, rng):
    name, email, url = rng.choice(READERS)
    text = rng.choice(OPENERS if parent is None else REPLIES)
    return Draft(post_id, parent, text, when, name, email, url)
