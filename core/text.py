"""Short single-line text people type (names, titles): no bidirectional controls.

An override such as U+202E (RIGHT-TO-LEFT OVERRIDE) left at the end of a name
reverses whatever follows it on the page ("Recent comments" in the sidebar, the
comment's author line), so a commenter could make the site appear to say something
else. Letters of right-to-left scripts are untouched: only the invisible controls go.
"""

# The embeddings and overrides (U+202A-202E), the isolates (U+2066-2069), the marks
# (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_REMOVE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi(value):
    """`value` without bidirectional control characters (anything not a str as is)."""
    if not isinstance(value, str):
        return value
    return value.translate(_REMOVE)


class BidiFreeFields:
    """A model mixin: the fields named in `bidi_free_fields` lose their bidirectional
    controls when validated (so a form sees the result, "required" included) and
    when saved (so every path to the database does, the importer's too)."""

    bidi_free_fields = ()

    def strip_bidi_fields(self):
        for name in self.bidi_free_fields:
            setattr(self, name, strip_bidi(getattr(self, name)))

    def clean_fields(self, exclude=None):
        self.strip_bidi_fields()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self.strip_bidi_fields()
        super().save(*args, **kwargs)
