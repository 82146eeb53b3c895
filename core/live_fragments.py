"""Parts of many pages that change on their own (the recent comments in the sidebar).

A template writes only a placeholder (`{% live_fragment "recent-comments" %}`); the
page cache middleware fills it in as the page leaves, cached or not, from the
fragment's own cache entry, kept under the versions of the keys it shows. So an
approved comment re-renders that one small fragment, not every page that carries it.
"""

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


def fillable(response):
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def present(response):
    """The names of the fragments whose placeholders the response holds."""
    if not fillable(response) or b"<!--live:" not in response.content:
        return []
    return [f.name for f in _fragments.values() if f.placeholder.encode() in response.content]


def cache_keys(names):
    """What filling `names` reads from the cache, to join another get_many."""
    keys = []
    for name in names:
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
    return rendered


def fill(response, names, found=None):
    """Put each named fragment's HTML in place of its placeholder."""
    if not names:
        return response
    if found is None:
        found = cache.get_many(cache_keys(names))
    content = response.content
    for name in names:
        fragment = _fragments[name]
        content = content.replace(
            fragment.placeholder.encode(), html(fragment, found).encode(response.charset)
        )
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    return response
