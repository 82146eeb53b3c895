"""Parts of many pages that change on their own (the recent comments in the sidebar).

A template writes only a placeholder (`{% live_fragment "recent-comments" %}`); the
page cache middleware fills it in as the page leaves, cached or not, from the
fragment's own cache entry, kept under the versions of the keys it shows. So an
approved comment re-renders that one small fragment, not every page that carries it.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .content_version import cache_key, combine, tokens


@dataclass(frozen=True)
class LiveFragment:
    name: str
    keys: tuple
    template_name: str

    @property
    def placeholder(self):
        return f"<!--live:{self.name}-->"

    @property
    def html_key(self):
        return f"live:{self.name}"


_fragments = {}


def register(name, keys, template_name):
    """`template_name` renders the fragment with no request; `keys` are the
    content-version keys whose changes it shows."""
    _fragments[name] = LiveFragment(name, tuple(keys), template_name)


def placeholder(name):
    if name not in _fragments:
        raise ValueError(f"No live fragment {name!r}; registered: {', '.join(_fragments)}.")
    return mark_safe(_fragments[name].placeholder)  # noqa: S308 (a fixed HTML comment)


PLACEHOLDER = re.compile(rb"<!--live:([a-z0-9-]+)-->")


def split(response):
    """The response's content cut at its placeholders: [bytes, name, bytes, name, …,
    bytes], or None when it has none (or is not HTML). Done once per stored page, so a
    hit joins pieces instead of searching the whole page."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return None
    content = response.content
    if b"<!--live:" not in content:
        return None
    pieces = PLACEHOLDER.split(content)
    for i in range(1, len(pieces), 2):
        name = pieces[i].decode()
        # An unknown name stays in the page as the comment it is.
        pieces[i] = name if name in _fragments else b"<!--live:" + pieces[i] + b"-->"
    return pieces


def names_in(pieces):
    return [piece for piece in pieces[1::2] if isinstance(piece, str)] if pieces else []


def cache_keys(names):
    """What filling `names` reads from the cache, to join another get_many."""
    keys = []
    for name in dict.fromkeys(names):
        fragment = _fragments[name]
        keys += [cache_key(key) for key in fragment.keys] + [fragment.html_key]
    return keys


def html(fragment, found):
    """The fragment's HTML for the current versions: from the cache, else rendered."""
    current = [found.get(cache_key(key)) for key in fragment.keys]
    if None in current:
        created = tokens(fragment.keys)
        current = [created[key] for key in fragment.keys]
    token = combine(current)
    stored = found.get(fragment.html_key)
    if stored and stored[0] == token:
        return stored[1]
    # Versions were read before the data: a change meanwhile leaves this entry stale.
    rendered = render_to_string(fragment.template_name).strip()
    cache.set(fragment.html_key, (token, rendered), settings.PAGE_CACHE_SECONDS)
    found[fragment.html_key] = (token, rendered)
    return rendered


def assemble(response, pieces, found=None):
    """Give `response` the content of `pieces` with each fragment's current HTML."""
    if found is None:
        found = cache.get_many(cache_keys(names_in(pieces)))
    charset = response.charset
    content = b"".join(
        piece if isinstance(piece, bytes) else html(_fragments[piece], found).encode(charset)
        for piece in pieces
    )
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    return response


def fill(response):
    """Put each fragment's HTML in place of its placeholder (a page not from the cache)."""
    pieces = split(response)
    return assemble(response, pieces) if pieces else response
