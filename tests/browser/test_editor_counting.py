"""CountingPage counts what it does on a real page in chromium."""

import pytest

from bench.editor_journey import CountingPage

pytestmark = pytest.mark.browser

FORM = """<!DOCTYPE html><title>form</title>
<label>Title <input id="title"></label>
<label><input type="checkbox" id="careers"> Careers</label>
<button id="pick" onclick="document.getElementById('file').click()">Select Files</button>
<input type="file" id="file" hidden>"""


def test_counting_page_counts_clicks_keys_and_fields(page, tmp_path):
    picture = tmp_path / "p.txt"
    picture.write_text("x")
    page.set_content(FORM)
    author = CountingPage(page)
    author.type_into(page.locator("#title"), "Hi\nthere", "title")
    author.press("Control+A")
    author.tick(page.get_by_label("Careers"), "category")
    author.choose_file(page.locator("#pick"), picture, "file")
    assert page.locator("#title").input_value() == "Hithere"  # Enter in an input adds nothing
    assert page.locator("#careers").is_checked()
    assert page.locator("#file").evaluate("input => input.files[0].name") == "p.txt"
    tally = author.tally
    assert (tally.clicks, tally.keystrokes, tally.fields) == (4, 10, 3)
