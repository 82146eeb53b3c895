"""Demo posts and pages for `seed_demo`: authors, nested categories, tags, six years
of posts (one draft, one scheduled, the later ones parts of a series), About and Privacy.

The text is generated from original placeholder phrases with a fixed random
seed, so every run produces the same blog and a second run adds nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Category, Page, Post, Status, Tag

AUTHORS = [
    ("mara", "Mara", "Lindqvist"),
    ("tobias", "Tobias", "Okafor"),
    ("ines", "Inês", "Carvalho"),
]

# (name, parent name or None, description)
CATEGORIES = [
    ("Career development", None, "Growing in a job, and growing out of one."),
    ("Job search", "Career development", "Finding the next role, from first letter to offer."),
    ("Management and leadership", None, "Leading teams and organisations as a working member."),
    ("Strategy", None, "Long-term thinking for businesses large and small."),
    ("Technology", None, "How tools change the way we work."),
    ("Startups", "Strategy", "Building something new with little money and less time."),
    ("Notes", None, "Short observations between the long series."),
]

TAGS = [
    "interviews", "networking", "resumes", "negotiation", "teams", "hiring",
    "remote work", "planning", "risk", "innovation", "communication", "mentoring",
    "decision making", "learning", "automation", "open source",
]  # fmt: skip

SUBJECTS = [
    "a new manager", "a hiring committee", "a small team", "a founder",
    "an experienced engineer", "a job seeker", "a board", "a mentor",
    "a department head", "an early-stage business",
]  # fmt: skip
VERBS = [
    "weighs", "revisits", "learns from", "plans around", "quietly ignores",
    "writes down", "argues about", "builds on", "tests", "measures",
]  # fmt: skip
OBJECTS = [
    "the cost of a missed deadline", "the value a person brings to a role",
    "what the last reorganisation taught", "the difference between busy and effective",
    "a risk that nobody owns", "the questions worth asking in an interview",
    "a process that outgrew its purpose", "the trust a team extends to its lead",
    "the long view of a career", "the small habits that compound over years",
]  # fmt: skip
CLOSERS = [
    "and that is where most of the real work begins.",
    "which is rarely as simple as it first appears.",
    "and I will come back to this in a later posting.",
    "even when the short-term pressure says otherwise.",
    "and the results tend to show within a year.",
    "because nobody else in the room is going to do it.",
]  # fmt: skip
TITLE_OPENERS = [
    "Thinking about", "Notes on", "Why we underrate", "Learning from",
    "A second look at", "Working through", "What I got wrong about", "Making room for",
]  # fmt: skip
TITLE_TOPICS = [
    "informal networks", "the first ninety days", "saying no", "hiring for potential",
    "meetings that decide things", "unpopular decisions", "career pivots",
    "technical debt", "building a reputation", "quiet leadership", "feedback loops",
    "the interview as a conversation", "growing a team", "business continuity",
    "writing things down", "the value proposition of an employee",
]  # fmt: skip

PRIVACY_TEXT = """
<h2>What we store when you comment</h2>
<p>The name, email address and website you give, your comment, the time, your IP
address and your browser's user agent. Your email address is never shown; it is used
for follow-up mail if you ask for it, and to recognise you as a returning commenter.</p>
<h2>Spam filtering with Akismet</h2>
<p>This site uses Akismet to reduce spam. Your comment and the data above are sent to
Akismet, a service of Automattic, to be checked; see Automattic's privacy policy.</p>
<h2>How long we keep it</h2>
<p>Comments stay as long as the post they belong to. IP addresses and browser details
are erased after 90 days. Comments that Akismet marks as blatant spam are deleted
after 15 days.</p>
<h2>Your rights</h2>
<p>Write to us and we will send you everything we store about your email address, or
erase it: your comments anonymised, or deleted.</p>
"""

POST_COUNT = 360
# From this index on, every second post is a part of the demo series; the last
# post (scheduled) is its next part.
SERIES_FROM = 300
SERIES_TITLE = "Leading from the middle"


def unique_slug(slug, used):
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def sentence(rng):
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)}, {rng.choice(CLOSERS)}"
    )


def paragraph(rng):
    return "<p>" + " ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + "</p>"


def body(rng):
    parts = [paragraph(rng) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.5:
        items = "".join(f"<li>{sentence(rng)}</li>" for _ in range(rng.randint(3, 5)))
        parts.append(f"<ul>{items}</ul>")
    if rng.random() < 0.4:
        parts.append(f"<h2>{rng.choice(TITLE_TOPICS).capitalize()}</h2>")
        parts.append(f"<blockquote><p>{sentence(rng)}</p></blockquote>")
    parts.extend(paragraph(rng) for _ in range(rng.randint(1, 3)))
    return "\n".join(parts)


def seed_posts():
    """Create the authors, categories, tags, pages and posts that are missing; return
    how many posts were created."""
    rng = random.Random(20131108)
    authors = [seed_author(*row) for row in AUTHORS]
    all_categories = seed_categories()
    tags = [Tag.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in TAGS]
    seed_pages(authors[0])

    now = timezone.now()
    start = now - timedelta(days=365 * 6)
    step = (now - start) / POST_COUNT
    created, used_slugs, part = 0, set(), 0
    for index in range(POST_COUNT):
        title = f"{rng.choice(TITLE_OPENERS)} {rng.choice(TITLE_TOPICS)}"
        in_series = index >= SERIES_FROM and (index % 2 == 0 or index == POST_COUNT - 1)
        if in_series and index != POST_COUNT - 2:
            part += 1
            title = f"{SERIES_TITLE} {part}: {rng.choice(TITLE_TOPICS)}"
        slug = unique_slug(slugify(title), used_slugs)
        published_at = start + step * index + timedelta(hours=rng.randint(7, 20))
        status = Status.PUBLISHED
        if index == POST_COUNT - 1:  # one scheduled for next week
            published_at = now + timedelta(days=7)
        elif index == POST_COUNT - 2:  # and one draft
            status, published_at = Status.DRAFT, None
        # Draw everything before looking the post up, so that a second run
        # walks the same random sequence and finds the same slugs.
        fields = {
            "title": title,
            "author": rng.choice(authors),
            "body": body(rng),
            "status": status,
            "published_at": published_at,
        }
        post_categories = rng.sample(all_categories, rng.choice([1, 1, 2, 3]))
        post_tags = rng.sample(tags, rng.randint(0, 4))
        post, was_created = Post.objects.get_or_create(slug=slug, defaults=fields)
        if was_created:
            created += 1
            post.categories.set(post_categories)
            post.tags.set(post_tags)
    return created


def seed_author(username, first, last):
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            "is_staff": True,
        },
    )
    return user


def seed_categories():
    by_name = {}
    for name, parent, description in CATEGORIES:
        by_name[name], _ = Category.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "parent": by_name.get(parent),
                "description": description,
            },
        )
    return list(by_name.values())


def seed_pages(author):
    Page.objects.get_or_create(
        slug="about",
        defaults={
            "title": "About",
            "status": Status.PUBLISHED,
            "menu_order": 1,
            "body": (
                "<p>This blog publishes long, numbered series on careers, management and "
                "technology, and keeps guide directories that index every posting.</p>"
                f"<p>It is written by {author.get_full_name()} and friends.</p>"
            ),
        },
    )
    Page.objects.get_or_create(
        slug="privacy",
        defaults={
            "title": "Privacy",
            "status": Status.PUBLISHED,
            "menu_order": 2,
            "body": PRIVACY_TEXT,
        },
    )
