"""Delete blatant spam (Akismet's discard verdict) older than
COMMENTS_BLATANT_SPAM_DAYS, and erase IP addresses older than
COMMENTS_IP_RETENTION_DAYS. Safe to run from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from comments.models import BlogComment
from comments.privacy import forget_old_addresses


class Command(BaseCommand):
    help = "Purge blatant spam older than COMMENTS_BLATANT_SPAM_DAYS days."

    def handle(self, *args, **options):
        expired = BlogComment.objects.expired_blatant_spam().filter(nested_count=0)
        ids = list(expired.values_list("pk", flat=True))
        # Through the ORM, so the xtd and django_comments parent rows go too.
        BlogComment.objects.filter(pk__in=ids).delete()
        count = len(ids)
        days = settings.COMMENTS_BLATANT_SPAM_DAYS
        self.stdout.write(f"Purged {count} blatant spam comments older than {days} days.")
        forgotten = forget_old_addresses()
        keep = settings.COMMENTS_IP_RETENTION_DAYS
        self.stdout.write(
            f"Erased the IP addresses of {forgotten} comments older than {keep} days."
        )
