"""The numeric WordPress ids of terms and authors, kept so that old links which name
them (`?cat=3`, `?tag_id=4`, `?author=2`) still find where they live now. Terms and
authors are identified by slug and login; these ids ride beside that identity."""

from core.ids import MAX_BIGINT, parse_id

from .models import ImportedItem


def remember(identities, wp_type, wp_id, obj):
    """Record `obj` under its old numeric id; a missing or malformed id is left out
    (old links can't name it either)."""
    number = parse_id(wp_id, maximum=MAX_BIGINT)
    if number is None or obj is None:
        return
    identities.record(wp_type, str(number), obj)


def remember_term(identities, term, obj):
    remember(identities, ImportedItem.Type.TERM_ID, term.wp_id, obj)


def remember_author(identities, author, user):
    remember(identities, ImportedItem.Type.AUTHOR_ID, author.wp_id, user)
