"""What a reader's browser downloads for one page, Lighthouse-style: requests and
bytes by kind, from a cold cache. Text (HTML, CSS, JS, SVG) is counted gzipped, as
production serves it (WhiteNoise's compressed copies, the server's gzip), whatever
the local server sent; images and fonts as they are."""

import gzip
from collections import Counter

KINDS = {
    "document": "html",
    "stylesheet": "css",
    "script": "js",
    "image": "images",
    "font": "fonts",
}
FIELDS = ("requests", "total", "html", "css", "js", "images", "fonts", "other")
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")


def weigh(browser, url, width, color_scheme="light"):
    """Load url in a fresh context (nothing cached) and count what came."""
    viewport = {"width": width, "height": 900}
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)  # the favicon comes after the page is idle, or not at all
    figures = Counter(dict.fromkeys(FIELDS, 0))
    for response in responses:
        body = response.body() if response.status < 300 else b""
        content_type = response.headers.get("content-type", "")
        is_text = any(kind in content_type for kind in TEXT_TYPES)
        size = len(gzip.compress(body, 6)) if is_text else len(body)
        figures["requests"] += 1
        figures["total"] += size
        figures[KINDS.get(response.request.resource_type, "other")] += size
    context.close()
    return figures


def report_line(label, figures):
    return f"{label}: " + " ".join(
        f"{field}={figures[field]}" if field == "requests" else f"{field}={kib(figures[field])}"
        for field in FIELDS
    )


def kib(size):
    return f"{size / 1024:.1f}KiB"
