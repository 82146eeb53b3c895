"""Re-check held comments whose spam check failed. Safe to run from cron: each
comment is locked while it is checked, and one that moved on is not touched again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from comments.models import BlogComment, CommentHistory, State
from comments.screening import recheck
from comments.spam import get_spam_checker


class Command(BaseCommand):
    help = "Re-run the spam check on comments held as 'spam check pending'."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many per run.")

    def handle(self, *args, limit, **options):
        checker = get_spam_checker()
        pending = BlogComment.objects.filter(state=State.HELD, needs_recheck=True)
        ids = list(pending.order_by("submit_date").values_list("pk", flat=True)[:limit])
        moved = failed = 0
        for pk in ids:
            with transaction.atomic():
                comment = (
                    pending.select_related(None).select_for_update(skip_locked=True)
                    .filter(pk=pk).first()
                )  # fmt: skip
                if comment is None:
                    continue  # another run has it, or it moved on meanwhile
                if not recheck(comment, checker):
                    failed += 1
                    comment.save(update_fields=["verdict", "screening", "spam_check_params"])
                    continue
                comment.save()
                CommentHistory.objects.create(
                    comment=comment, action="rechecked", from_state=State.HELD,
                    to_state=comment.state, note=comment.reason,
                )  # fmt: skip
                moved += 1
        self.stdout.write(f"Rechecked {len(ids)}: {moved} moved on, {failed} still pending.")
