"""The feed of a listing or a post, named as WordPress names feeds (`rss2`, `rss`,
`rdf`, `atom`, `comments-rss2`, `comments-atom`). This blog has RSS at
`<address>feed/` and Atom at `<address>feed/atom/`; RSS 0.92 and RDF readers take
RSS 2.0."""

from django.urls import Resolver404, resolve, reverse


def is_atom(kind):
    return (kind or "").strip().lower() in ("atom", "comments-atom")


def site_feed(kind):
    """The site's feed; for `comments-rss2` and `comments-atom`, of every comment."""
    if (kind or "").strip().lower().startswith("comments-"):
        return reverse("comments:site_atom" if is_atom(kind) else "comments:site_feed")
    return reverse("blog:posts_atom" if is_atom(kind) else "blog:posts_feed")


def feed_of(address, kind):
    """The feed at `address` (a path of this site), if this site has one there."""
    if not (address.startswith("/") and address.endswith("/")) or address.startswith("//"):
        return None  # an attachment's file, or an address with a query
    candidate = address + ("feed/atom/" if is_atom(kind) else "feed/")
    try:
        match = resolve(candidate)
    except Resolver404:
        return None
    return candidate if match.url_name.endswith(("_feed", "_atom")) else None
