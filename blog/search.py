"""Search over published posts.

On Postgres: the stored, weighted search vector (title > excerpt > body) with
`websearch` syntax ("quoted phrases", -negation, or), ranked, with highlighted
snippets. On SQLite: every word must appear in the title or text, newest first.
Any input gives a page of results or none, never an error.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.template.defaultfilters import pluralize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Post

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Markers no post text contains, turned into <mark> after escaping the snippet.
START, STOP = "\x02", "\x03"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw):
    return " ".join(CONTROL.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def search_posts(raw_query):
    """Published posts matching the query, best first, each with a `snippet` and
    `total`, the number of matches (a window over the same query, not a COUNT)."""
    query = clean_query(raw_query)
    if not query:
        return Post.objects.none()
    found = full_text_search(query) if connection.vendor == "postgresql" else simple_search(query)
    return found.annotate(total=Window(Count("pk")))


def full_text_search(query):
    config = settings.SEARCH_CONFIG
    search = SearchQuery(query, search_type="websearch", config=config)
    return (
        Post.objects.published()
        .filter(search_vector=search)
        .annotate(
            rank=SearchRank(F("search_vector"), search),
            headline=SearchHeadline(
                "body_text",
                search,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at")
        .defer("body", "search_vector")
    )


def simple_search(query):
    words = query.split()[:MAX_WORDS]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(body_text__icontains=word)
    return Post.objects.published().filter(condition).defer("body")


def snippet(post, query):
    """The highlighted snippet of a result, escaped, with matches in <mark>."""
    text = getattr(post, "headline", None)
    if text is None:
        text = simple_headline(post.body_text, clean_query(query).split()[:MAX_WORDS])
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our markers became tags)


def simple_headline(text, words, width=240):
    """Around the first match, the words marked: the SQLite stand-in for ts_headline."""
    lowered = text.lower()
    hits = [lowered.find(w.lower()) for w in words if w and lowered.find(w.lower()) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    excerpt = text[start : start + width]
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        excerpt = re.sub(
            re.escape(word), lambda m: f"{START}{m.group(0)}{STOP}", excerpt, flags=re.I
        )
    return ("… " if start else "") + excerpt + ("…" if start + width < len(text) else "")


def result_count(page):
    """How many posts matched: every row carries the total; an empty first page is 0,
    an empty later page (past the end) does not know."""
    if page.object_list:
        return page.object_list[0].total
    return 0 if page.number == 1 else None


def results_heading(count, query):
    if count is None:
        return f"Search results for “{query}”"
    if count == 0:
        return f"No results for “{query}”"
    return f"{count} result{pluralize(count)} for “{query}”"
