"""Fill an empty database with a living demo blog; safe to run again.

Every part is deterministic and added only when missing, so a second run adds
nothing: posts and pages (`demo.posts`), a series and a guide (`demo.series`),
discussions and the moderators' queue (`demo.comments`), likes (`demo.likes`) and
the demo logins.
"""

import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from blog.models import Post
from demo.comments import seed_comments, seed_moderator
from demo.likes import seed_likes
from demo.posts import SERIES_TITLE, seed_posts
from demo.series import seed_series_and_guide

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"


class Command(BaseCommand):
    help = "Create demo content (authors, categories, tags, posts, pages) if the blog is empty."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = seed_posts()
            seed_series_and_guide(SERIES_TITLE)
            comments = seed_comments(random.Random(1508))
            seed_likes(random.Random(1508))
        self.stdout.write(
            f"Demo content: {created} posts and {comments} comments created; "
            f"{Post.objects.count()} posts in the blog."
        )
        self.report_logins()

    def report_logins(self):
        """Create the demo admin and moderator once, and print their logins on every run."""
        User = get_user_model()
        known = CREDENTIALS_FILE.read_text().strip() if CREDENTIALS_FILE.exists() else ""
        known = known or secrets.token_urlsafe(12)
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
        )
        if created:
            admin.set_password(known)
            admin.save(update_fields=["password"])
        moderator, _ = seed_moderator(known)
        CREDENTIALS_FILE.write_text(known + "\n")
        for user, role in ((admin, "admin"), (moderator, "moderator")):
            if user.check_password(known):
                message = f"Demo {role}: /admin/ user '{user.username}', password '{known}'"
            else:
                message = (
                    f"Demo {role}: user '{user.username}' exists; its password was left alone."
                )
            self.stdout.write(self.style.SUCCESS(message))
