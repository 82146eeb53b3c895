"""The XSS suite: every payload as a comment's name, website and text, and as a
post body, is stored harmlessly and shown as text."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from blog.sanitizer import sanitize_html
from comments.models import BlogComment
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db
RUNNABLE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta",
                 "link", "form", "input", "body", "frame", "applet", "template"}  # fmt: skip


class ActiveMarkup(HTMLParser):
    """Finds markup a browser would act on: elements that run or load things, event
    handlers, and javascript:/data: URLs. Escaped text is, rightly, not markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in RUNNABLE_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:text", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def active_markup(html):
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitised_post_bodies_keep_nothing_that_runs(payload):
    assert active_markup(sanitize_html(payload)) == []


def main_of(html):
    return html.split("<main")[1].split("</main>")[0]


def test_comments_full_of_payloads_render_as_text():
    post = PostFactory()
    for payload in PAYLOADS:
        CommentFactory(post=post, comment=payload, user_name=payload[:50], user_url=payload[:200])
    html = main_of(Client().get(post.get_absolute_url()).content.decode())
    comments = html.split('id="comments"')[1]
    assert active_markup(comments.split('<div class="comment-respond"')[0]) == []


@pytest.mark.parametrize("payload", PAYLOADS[::9])
def test_payloads_through_the_comment_form_are_stored_as_text(payload):
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    response = Client().post(POST_URL, comment_data(post, comment=payload, name=payload[:50]))
    assert response.status_code == 302  # accepted: markup in a comment is just text
    stored = BlogComment.objects.latest("pk")
    assert stored.comment == payload  # kept as typed: plain text, escaped when shown
    assert active_markup(stored.comment_html) == []
    page = main_of(Client().get(post.get_absolute_url()).content.decode())
    comments = page.split('id="comments"')[1]  # the page's own forms (Like) come before
    assert active_markup(comments.split('<div class="comment-respond"')[0]) == []
