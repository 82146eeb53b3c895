"""/likes/<post id>/: GET tells a reader's script the live count and whether this
reader likes the post; POST likes or unlikes it (a plain form without JavaScript,
answered with a redirect back to the post; the script asks for JSON instead).

POST: origin or CSRF check → action → who (account or browser cookie) → limit per
client address for anonymous readers → the like, saved or deleted → the answer."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from blog.models import Post
from core.cache_limits import within_limit
from core.client_address import client_ip
from core.ids import MAX_BIGINT, parse_id
from core.origin import forged

from .freshness import catch_up
from .models import Like
from .post_likes import PostLikes, sign_in_url
from .readers import reader_of, remember

DONE = {
    ("like", True): "You like this post.",
    ("like", False): "You already like this post.",
    ("unlike", True): "You no longer like this post.",
    ("unlike", False): "You did not like this post.",
}


@csrf_exempt  # checked in forged(): by token when signed in, by origin otherwise
@require_http_methods(["GET", "HEAD", "POST"])
def post_likes(request, post_pk):
    pk = parse_id(post_pk, maximum=MAX_BIGINT)
    if pk is None:
        raise Http404("No such post.")
    posts = Post.objects.published().only("title", "slug", "published_at", "created_at")
    post = get_object_or_404(posts, pk=pk)
    if request.method == "POST":
        return change(request, post)
    catch_up(post.pk)
    response = JsonResponse(PostLikes.of(post, reader_of(request)).as_json())
    # This reader's own answer: never shared; revalidated (by ETag) on each page view.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def change(request, post):
    if forged(request):
        return refuse(request, post, 403, "This form was sent from another site.")
    action = request.POST.get("action")
    if action not in ("like", "unlike"):
        return refuse(request, post, 400, "Choose Like or Unlike.")
    reader = reader_of(request, create=action == "like")
    if reader is None and not settings.LIKES_ANONYMOUS:
        return sign_in(request, post)
    if reader is not None and reader.is_anonymous:
        address = client_ip(request) or "unknown"
        if not within_limit(f"likes:ip:{address}", settings.LIKES_RATE_LIMIT, 3600):
            message = "Too many likes from your network in the last hour. Please try again later."
            return refuse(request, post, 429, message)
    # None: a browser that never liked anything unlikes; there is nothing to undo.
    changed = reader is not None and toggle(post, reader, action)
    return remember(answer(request, post, reader, DONE[action, changed]), reader)


def toggle(post, reader, action):
    """Whether anything changed (a second like from the same reader changes nothing)."""
    if action == "like":
        return Like.objects.get_or_create(post=post, **reader.lookup)[1]
    return Like.objects.filter(post=post).by(reader).delete()[0] > 0


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def answer(request, post, reader, message):
    if wants_json(request):
        return JsonResponse({**PostLikes.of(post, reader).as_json(), "message": message})
    messages.success(request, message)
    return redirect(post.get_absolute_url() + "#likes")


def refuse(request, post, status, message):
    if wants_json(request):
        return JsonResponse({"message": message}, status=status)
    context = {"post": post, "message": message}
    return render(request, "likes/refused.html", context, status=status)


def sign_in(request, post):
    """Anonymous likes are off: an invitation to sign in, not an error page."""
    url = sign_in_url(post)
    message = "Sign in to like posts."
    if wants_json(request):
        return JsonResponse({"message": message, "sign_in": url}, status=403)
    context = {"post": post, "message": message, "sign_in": url}
    return render(request, "likes/refused.html", context)
