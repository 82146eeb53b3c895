from django.contrib import admin
from django.utils import timezone

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, for the operator: what went out, what waits and why. Mail is
    written by the site only; here it can only be looked at, or retried now."""

    list_display = ("subject", "recipients", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "to")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    @admin.display(description="to")
    def recipients(self, mail):
        return ", ".join(mail.to)

    @admin.action(description="Retry the selected mails now")
    def retry_now(self, request, queryset):
        from .outbox import enqueue_sending

        count = queryset.exclude(status=OutgoingMail.Status.SENT).update(
            status=OutgoingMail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        enqueue_sending()
        self.message_user(request, f"{count} mails will be sent again.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method != "POST" or obj is None
