"""Demo discussions for `seed_demo`: threads up to the full depth, a few held and
spam comments, and a moderator account. Deterministic, and added only once."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from blog.models import Post
from comments.models import MODERATORS_GROUP, BlogComment, CommentHistory, State, Verdict

READERS = [
    ("Priya Raman", "priya@example.net", "https://priya.example.net"),
    ("Jonas Weber", "jonas@example.org", ""),
    ("Amara Nwosu", "amara@example.com", ""),
    ("Luis Ortega", "luis@example.net", "https://ortega.example.org"),
    ("Hana Sato", "hana@example.com", ""),
    ("Fergus Doyle", "fergus@example.org", ""),
]
OPENERS = [
    "This matches what I saw in my last two jobs.",
    "I'd push back a little on the second point.",
    "Thank you for writing this series; it has helped me prepare for interviews.",
    "How would this work in a team that is fully remote?",
    "The part about ownership is the one most managers skip.",
    "I tried this last quarter and it took longer than expected, but it worked.",
]
REPLIES = [
    "Good question. In my experience it depends on how much trust is already there.",
    "Agreed, and it is worth writing down before the next review.",
    "I had the opposite experience, but the reasoning still holds.",
    "See the earlier part of the series for more on this: https://example.com/notes",
    "Same here.\nIt took a few months before anyone noticed the difference.",
]


def seed_comments(rng: random.Random):
    """Add discussions to the demo posts if there are no comments yet."""
    if BlogComment.objects.exists():
        return 0
    posts = list(Post.objects.published().order_by("published_at"))[-80:]
    content_type = ContentType.objects.get_for_model(Post)
    # Some posts stay silent, most get a few comments, two get long discussions.
    sizes = [rng.choice([0, 0, 2, 3, 5, 8]) for _ in posts]
    if len(posts) >= 2:
        sizes[-1], sizes[-2] = 60, 55
    created = 0
    for post, size in zip(posts, sizes, strict=True):
        when = post.published_at + timedelta(hours=2)
        thread_parents = []
        for index in range(size):
            name, email, url = rng.choice(READERS)
            parent = None
            if thread_parents and rng.random() < 0.6:
                candidate = rng.choice(thread_parents)
                parent = candidate if candidate.level < 4 else None
            when += timedelta(minutes=rng.randint(5, 600))
            comment = BlogComment(
                content_type=content_type,
                object_pk=str(post.pk),
                site_id=1,
                user_name=name,
                user_email=email,
                user_url=url,
                comment=rng.choice(REPLIES if parent else OPENERS),
                submit_date=min(when, timezone.now()),
                ip_address=f"198.51.100.{rng.randint(1, 250)}",
                parent_id=parent.pk if parent else 0,
                state=State.PUBLIC,
                verdict=Verdict.HAM,
                reason="passed screening",
            )
            comment.save()
            thread_parents.append(comment)
            created += 1
            if index == 0 and size >= 50:
                thread_parents.extend(deep_thread(comment, content_type, post, when))
    created += seed_queue(posts[-1], content_type)
    return created


def deep_thread(top, content_type, post, when):
    """A reply chain down to the deepest level the site allows."""
    chain, parent = [], top
    for depth, name in enumerate(["Jonas Weber", "Priya Raman", "Amara Nwosu", "Luis Ortega"]):
        parent = BlogComment(
            content_type=content_type, object_pk=str(post.pk), site_id=1,
            user_name=name, user_email=f"{name.split()[0].lower()}@example.org",
            comment=f"Level {depth + 2} of this conversation: still on topic.",
            submit_date=when, ip_address="198.51.100.7", parent_id=parent.pk,
            state=State.PUBLIC, verdict=Verdict.HAM, reason="passed screening",
        )  # fmt: skip
        parent.save()
        chain.append(parent)
    return chain


def seed_queue(post, content_type):
    """A few comments waiting for the moderators: held and spam."""
    rows = [
        ("New Reader", "new@example.com", "First time here: how do I follow the series?",
         State.HELD, "policy: first comment from this commenter", Verdict.HAM, ""),
        ("Link Lover", "links@example.com",
         "Great! https://a.example https://b.example https://c.example",
         State.HELD, "policy: 3 links (more than 2)", Verdict.HAM, ""),
        ("akismet-guaranteed-spam", "spam@example.com", "Cheap watches, click here",
         State.SPAM, "Offline checker: spam", Verdict.SPAM, ""),
        ("Bulk Seller", "bulk@example.com", "Buy followers now",
         State.SPAM, "Akismet: blatant spam", Verdict.DISCARD, "discard"),
    ]  # fmt: skip
    for name, email, text, state, reason, verdict, pro_tip in rows:
        comment = BlogComment(
            content_type=content_type, object_pk=str(post.pk), site_id=1,
            user_name=name, user_email=email, comment=text, submit_date=timezone.now(),
            ip_address="203.0.113.9", state=state, reason=reason, verdict=verdict,
            pro_tip=pro_tip, blatant=verdict == Verdict.DISCARD,
        )  # fmt: skip
        comment.save()
        CommentHistory.objects.create(
            comment=comment, action="screened", to_state=state, note=reason
        )
    return len(rows)


def seed_moderator(password):
    """A moderator account: reviews comments, cannot edit posts."""
    user, created = get_user_model().objects.get_or_create(
        username="moderator",
        defaults={"email": "moderator@example.com", "is_staff": True, "first_name": "Mo"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user, created
