"""A reader's like of a post: by a signed-in reader (their account) or by an
anonymous browser (a random token kept in its cookie, stored here hashed only)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LikeQuerySet(models.QuerySet):
    def by(self, reader):
        return self.filter(**reader.lookup)

    def of_email(self, email):
        """Likes of the signed-in readers with this email address (anonymous likes
        name nobody)."""
        email = (email or "").strip()
        return self.filter(user__email__iexact=email) if email else self.none()


class Like(models.Model):
    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # sha256 of the browser's random token (likes/readers.py): the cookie alone
    # can name this like; the database cannot give the cookie back. NULL, not "",
    # for a signed-in reader's like: no browser, as the constraints below read it.
    browser_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created = models.DateTimeField(default=timezone.now)

    objects = LikeQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(user__isnull=False),
                name="like_once_per_reader",
            ),
            models.UniqueConstraint(
                fields=["post", "browser_hash"],
                condition=Q(browser_hash__isnull=False),
                name="like_once_per_browser",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, browser_hash__isnull=True)
                | Q(user__isnull=True, browser_hash__isnull=False),
                name="like_by_reader_or_browser",
                violation_error_message="A like is by a signed-in reader or by a browser.",
            ),
        ]
        indexes = [models.Index(fields=["created"], name="like_created_idx")]

    def __str__(self):
        return f"{self.by_whom} likes {self.post}"

    @property
    def by_whom(self):
        return self.user.get_username() if self.user_id else "an anonymous reader"
