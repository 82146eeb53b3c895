"""Paging without counting: fetch one row more than a page to know if another
follows. Search uses it, since counting every match costs as much as finding them."""

from dataclasses import dataclass

from core.ids import parse_id


@dataclass
class LookaheadPage:
    object_list: list
    number: int
    more: bool
    paginator = None  # no total: the template shows "Page N" alone

    def has_next(self):
        return self.more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.more or self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


MAX_PAGE = 1000  # deeper than anyone reads, and well inside every database's OFFSET


def lookahead_page(queryset, page_param, per_page):
    """The requested page (a bad or missing number means page 1)."""
    number = parse_id(page_param) or 1
    if number > MAX_PAGE:
        return LookaheadPage([], number, False)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return LookaheadPage(rows[:per_page], number, len(rows) > per_page)
