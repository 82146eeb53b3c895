"""Re-check held comments whose spam check failed, now. The worker does this every
10 minutes on its own (comments/tasks.py); this command is for an operator who
wants it done at once: it ignores each comment's backoff."""

from django.core.management.base import BaseCommand

from comments.maintenance import recheck_pending


class Command(BaseCommand):
    help = "Re-run the spam check on comments held as 'spam check pending'."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many per run.")

    def handle(self, *args, limit, **options):
        result = recheck_pending(limit, respect_backoff=False)
        self.stdout.write(
            f"Rechecked {result.checked}: {result.moved} moved on, {result.failed} still pending."
        )
