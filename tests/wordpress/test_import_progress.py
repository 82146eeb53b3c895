"""A long import shows how far it has got: a plain line per thousand items when
standard error is not a terminal, a bar rewritten in place when it is."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.wordpress.wxr_files import comment, item, wxr
from wordpress.parser import Item, Term
from wordpress.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def items(n, comments=2):
    return [Item(wp_id=str(i), post_type="post", comments=[object()] * comments) for i in range(n)]


def test_a_log_line_per_thousand_items_when_not_on_a_terminal():
    out, clock = StringIO(), Clock()
    progress = Progress(out, tty=False, clock=clock)

    progress(Term(taxonomy="category", slug="news", name="News"))  # not an item
    for record in items(2500):
        clock.now += 0.01
        progress(record)
    progress.done()

    lines = out.getvalue().splitlines()
    assert lines == [
        "Importing: 1,000 items, 2,000 comments (0% of the file, 10 s)",
        "Importing: 2,000 items, 4,000 comments (0% of the file, 20 s)",
        "Imported 2,500 items, 5,000 comments in 25 s",
    ]
    assert "\r" not in out.getvalue()


def test_media_are_counted_in_the_lines():
    out = StringIO()
    progress = Progress(out, tty=False, every=2, clock=Clock())
    progress.media_done(total=3)
    progress.media_done()
    progress.done()
    assert out.getvalue().splitlines() == [
        "Importing: 0 items, 0 comments, 2/3 media (0% of the file, 0 s)",
        "Imported 0 items, 0 comments, 2/3 media in 0 s",
    ]


def test_on_a_terminal_one_line_is_redrawn_at_most_five_times_a_second():
    class Source:
        bytes_read = 0

    out, clock, source = StringIO(), Clock(), Source()
    progress = Progress(out, source, total_bytes=1000, tty=True, clock=clock)
    for n, record in enumerate(items(10), 1):
        clock.now += 0.125  # exact in binary: no rounding at the 0.2 s boundary
        source.bytes_read = 100 * n
        progress(record)
    progress.done()

    text = out.getvalue()
    assert "\n" not in text[:-1] and text.endswith("\n")  # one line, redrawn
    draws = text.split("\r")[1:-1]
    assert len(draws) == 5  # 10 items over 1.25 s: every other one drawn
    assert draws[-1].startswith("Importing [#####################...]  90%  9 items, 18 comments")
    assert text.split("\r")[-1].startswith("Imported 10 items, 20 comments in 1 s")


@pytest.mark.django_db
def test_the_command_logs_progress_on_standard_error_and_keeps_the_summary_on_output(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr(item(1, comments=comment(1)), item(2)), encoding="utf-8")
    out, err = StringIO(), StringIO()

    call_command("import_wxr", str(path), stdout=out, stderr=err)

    assert err.getvalue().startswith("Imported 2 items, 1 comments in ")
    assert "Imported" not in out.getvalue().split("\n", 1)[1]  # the summary, untouched
