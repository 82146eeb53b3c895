"""Items of one file that share a WordPress id.

Exports joined from two sites, or edited by hand, can repeat `wp:post_id`. An
item's identity is its (type, id, guid), so items with the same id and different
guids become separate objects; the summary names every one of them, as WordPress's
own importer would have kept them all. The same item given twice (same guid) is
one object: the later copy wins, and the summary says so.
"""

from .content import plain_text

DUPLICATE = "duplicate id in the file"


class SeenIds:
    def __init__(self, report):
        self.report = report
        self.seen = {}  # (post type, wp id) → {guid: title}

    def check(self, item):
        """Note the item; report it (and the first of its id) when the id repeats."""
        kind, title = item.post_type, plain_text(item.title)
        guids = self.seen.setdefault((kind, item.wp_id), {})
        if item.guid in guids:
            self.report.problem(
                kind, item.wp_id, title, "the same item (same guid) is twice in the file; "
                "the later copy is kept",
            )  # fmt: skip
            return
        if len(guids) == 1:
            # The first item of this id learns it is one of several only now.
            ((first_guid, first_title),) = guids.items()
            self.report.problem(kind, item.wp_id, first_title, self.message(first_guid))
        if guids:
            self.report.problem(kind, item.wp_id, title, self.message(item.guid))
        guids[item.guid] = title

    def message(self, guid):
        return f"{DUPLICATE} (guid {guid or 'empty'}); imported as an object of its own"
