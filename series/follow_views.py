"""Following by email: the form's POST, the confirmation link, one-click
unsubscribe (RFC 8058) and the page that manages an address's subscriptions.

The form's POST: origin check → form → honeypot → limits per client and per
address → a pending subscription → confirmation mail after the commit → a "check
your inbox" page that says the same whatever the address's history.
"""

from django.conf import settings
from django.db import transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.client_address import client_ip
from core.ids import MAX_BIGINT, parse_id
from core.origin import from_another_site

from .follow_forms import FollowForm
from .follow_limits import address_within_limit, ip_within_limit
from .follow_links import (
    BadLink,
    email_to_manage,
    manage_url,
    subscription_to_confirm,
    subscription_to_unsubscribe,
)
from .follow_mail import queue_confirmation
from .subscriptions import Subscription


@csrf_exempt  # checked below: by token when logged in, by origin otherwise
@require_POST
def follow(request):
    if refusal := csrf_refusal(request):
        return refusal
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "series/follow/form_error.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:  # the honeypot: a bot, told what everyone is told
        return redirect("series:follow_check_inbox")
    ip, email = client_ip(request), form.cleaned_data["email"]
    if not ip_within_limit(ip):
        return render(request, "series/follow/limited.html", status=429)
    with transaction.atomic():
        subscription = Subscription.objects.ask(email, form.cleaned_data["series"], ip)
        # Over the address's limit the page is the same, but no more mail goes to it.
        if address_within_limit(email):
            queue_confirmation(subscription)
    return redirect("series:follow_check_inbox")


def csrf_refusal(request):
    """As for comments: logged-in readers send Django's CSRF token (their pages are
    never cached); anonymous forms must come from this site."""
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    if from_another_site(request):
        return render(request, "series/follow/forbidden.html", status=403)
    return None


def check_inbox(request):
    return render(request, "series/follow/check_inbox.html")


def bad_link(request):
    context = {"days": settings.FOLLOW_CONFIRM_DAYS}
    return render(request, "series/follow/bad_link.html", context, status=400)


@never_cache
def confirm(request, token):
    try:
        pk = subscription_to_confirm(token)
    except BadLink:
        return bad_link(request)
    subscription = Subscription.objects.select_related("series").filter(pk=pk).first()
    if subscription is not None:
        subscription.confirm()
    context = {
        "subscription": subscription,
        "manage_url": manage_url(subscription.email) if subscription else None,
    }
    return render(request, "series/follow/confirmed.html", context)


@csrf_exempt  # the signed link is the authority; mail providers POST without cookies
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button. POST (that button, or a mail program's RFC 8058
    one-click request): unsubscribed at once."""
    try:
        pk = subscription_to_unsubscribe(token)
    except BadLink:
        return bad_link(request)
    subscription = Subscription.objects.select_related("series").filter(pk=pk).first()
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "series/follow/unsubscribed.html", {"subscription": subscription})
    return render(request, "series/follow/unsubscribe.html", {"subscription": subscription})


@csrf_exempt  # the signed link is the authority
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        email = email_to_manage(token)
    except BadLink:
        return bad_link(request)
    subscriptions = Subscription.objects.of(email).select_related("series")
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        removed = subscriptions if remove == "all" else subscriptions.filter(pk=_id(remove))
        count = removed.count()
        removed.delete()
        url = reverse("series:follow_manage", kwargs={"token": token})
        return redirect(f"{url}?removed={count}")
    context = {
        "email": email,
        "subscriptions": list(subscriptions),
        "removed": parse_id(request.GET.get("removed"), minimum=0),
    }
    return render(request, "series/follow/manage.html", context)


def _id(value):
    return parse_id(value, maximum=MAX_BIGINT) or 0
