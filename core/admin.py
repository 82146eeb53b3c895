from django.contrib import admin
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.html import format_html

from .admin_input import BadInputSafeAdminMixin
from .models import OutgoingMail

Status = OutgoingMail.Status


@admin.register(OutgoingMail)
class OutgoingMailAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    """The outbox, for the operator: what went out, what waits and why. The site
    writes the mail; here it can only be read, or a waiting or failed one retried."""

    list_display = ("mail", "state")
    list_filter = ("status",)
    search_fields = ("subject", "to")
    actions = ["retry_now"]
    fields = (
        "subject", "from_email", "to", "cc", "bcc", "reply_to", "headers", "body",
        "status", "attempts", "last_error", "created_at", "next_attempt_at", "sent_at",
        "dedupe_key",
    )  # fmt: skip

    class Media:
        css = {"all": ["css/outbox-admin.css"]}

    @admin.display(description="mail", ordering="-created_at")
    def mail(self, mail):
        return format_html(
            "{}<br><small>to {}</small>", truncatechars(mail.subject, 70), ", ".join(mail.to)
        )

    @admin.display(description="state", ordering="status")
    def state(self, mail):
        local = timezone.localtime
        if mail.status == Status.SENT:
            return f"sent {local(mail.sent_at):%b %-d, %H:%M}"
        if mail.status == Status.FAILED:
            summary = f"failed after {mail.attempts} attempts"
        elif mail.attempts:
            summary = f"waiting: tried {mail.attempts}×, next {local(mail.next_attempt_at):%H:%M}"
        else:
            summary = "waiting to be sent"
        if not mail.last_error:
            return summary
        return format_html("{}<br><small>{}</small>", summary, truncatechars(mail.last_error, 90))

    @admin.action(description="Send the selected mails again now", permissions=["retry"])
    def retry_now(self, request, queryset):
        from .outbox import enqueue_sending

        count = queryset.exclude(status=Status.SENT).update(
            status=Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        enqueue_sending()
        self.message_user(request, f"{count} mails will be sent again (sent ones are left alone).")

    def has_retry_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
