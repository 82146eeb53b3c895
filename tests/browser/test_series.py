"""A reader follows a series part by part through its next links."""

import pytest

from series.models import SeriesPart
from tests.factories import SeriesFactory, bulk_posts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_reads_a_series_part_by_part(live_server, page):
    series = SeriesFactory(title="Offering value", slug="offering-value")
    for number, post in enumerate(bulk_posts(4, prefix="Offering value part"), start=1):
        SeriesPart.objects.create(series=series, post=post, number=number)

    page.goto(live_server.url + "/series/offering-value/")
    page.locator("#part-1 a").first.click()
    seen = []
    while True:
        page.wait_for_load_state()
        seen.append(page.locator("h1").inner_text())
        badge = page.locator(".series-badge").inner_text()
        assert badge == f"Part {len(seen)} of Offering value"
        next_link = page.locator(".series-steps a[rel=next]")
        if next_link.count() == 0:
            break
        next_link.click()
    assert seen == [f"Offering value part {n}" for n in range(1, 5)]
    # The table of contents opens and marks the part being read.
    page.locator(".series-toc summary").click()
    assert page.locator(".series-toc [aria-current=page]").inner_text() == "Offering value part 4"
    page.locator(".series-steps a[rel=prev]").click()
    assert page.locator("h1").inner_text() == "Offering value part 3"
    assert page.js_errors == []
