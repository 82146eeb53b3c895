"""The theme as a browser renders it: dark mode follows the system, print drops the
controls and keeps the series line, and deep threads stop indenting on a phone."""

import pytest

from series.models import SeriesPart
from tests.factories import CommentFactory, PostFactory, SeriesFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def background_lightness(page):
    """0-255: the mean of the body's background channels."""
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(part) for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_the_colours_follow_the_readers_system(live_server, browser, scheme, dark):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(
        live_server.url + PostFactory(body="<pre><code>x = 1</code></pre>").get_absolute_url()
    )
    assert (background_lightness(page) < 60) is dark
    code = page.evaluate("getComputedStyle(document.querySelector('pre')).backgroundColor")
    assert code != page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()


def test_print_keeps_the_text_and_the_series_line_without_the_controls(live_server, page):
    body = (
        '<p>See <a href="https://example.com/source">the source</a> and <a href="/x/">here</a>.</p>'
    )
    post = PostFactory(body=body)
    series = SeriesFactory(title="Long run")
    SeriesPart.objects.create(series=series, post=post, number=4)
    SeriesPart.objects.create(series=series, post=PostFactory(), number=5)
    CommentFactory(post=post, comment="A reply worth keeping")
    page.goto(live_server.url + post.get_absolute_url())
    assert page.locator(".series-nav").is_visible()  # on screen; not on paper
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".sidebar", ".comment-respond", ".reply", ".series-nav"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_text("Part 4 of Long run").is_visible()
    assert page.get_by_text("A reply worth keeping").is_visible()
    after = (
        "getComputedStyle(document.querySelector('.post-body a[href=\"{}\"]'), '::after').content"
    )
    assert (
        page.evaluate(after.format("https://example.com/source"))
        == '" (https://example.com/source)"'
    )
    assert page.evaluate(after.format("/x/")) in ("none", "normal")


def test_deep_threads_stop_indenting_on_a_phone_but_not_on_a_desktop(live_server, browser):
    post = PostFactory()
    parent = None
    for level in range(1, 6):
        parent = CommentFactory(post=post, parent=parent, comment=f"Level {level} here")
    lefts = {}
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + post.get_absolute_url())
        lefts[width] = [
            page.get_by_text(f"Level {level} here").bounding_box()["x"] for level in range(1, 6)
        ]
        context.close()
    phone, desktop = lefts[390], lefts[1280]
    assert phone[0] < phone[1] < phone[2] == phone[3] == phone[4]  # three steps at most
    assert desktop[0] < desktop[1] < desktop[2] < desktop[3] < desktop[4]
    assert phone[4] - phone[0] < 390 / 5  # the text keeps most of a phone screen
