"""Delete blatant spam (Akismet's discard verdict) older than
COMMENTS_BLATANT_SPAM_DAYS, and erase IP addresses older than
COMMENTS_IP_RETENTION_DAYS. The worker does this daily (comments/tasks.py); the
command does it now."""

from django.conf import settings
from django.core.management.base import BaseCommand

from comments.maintenance import purge_expired


class Command(BaseCommand):
    help = "Purge blatant spam older than COMMENTS_BLATANT_SPAM_DAYS days."

    def handle(self, *args, **options):
        result = purge_expired()
        days, keep = settings.COMMENTS_BLATANT_SPAM_DAYS, settings.COMMENTS_IP_RETENTION_DAYS
        self.stdout.write(f"Purged {result.purged} blatant spam comments older than {days} days.")
        self.stdout.write(
            f"Erased the IP addresses of {result.forgotten} comments older than {keep} days."
        )
