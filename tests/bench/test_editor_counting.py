"""The helpers that count an author's clicks and keystrokes (bench/editor_journey.py).
The WordPress journey itself needs Debian's packages and is not part of the suite."""

from bench.editor_journey import Tally, chord_keys, keystrokes_for


def test_typing_counts_one_key_per_character_and_enter_for_a_newline():
    assert keystrokes_for("") == 0
    assert keystrokes_for("Hello, world") == 12
    assert keystrokes_for("one\ntwo") == 7
    assert keystrokes_for("one\r\ntwo") == 7  # one Enter, not two keys
    assert keystrokes_for("café ✓") == 6


def test_a_shortcut_counts_each_of_its_keys():
    assert chord_keys("Enter") == 1
    assert chord_keys("Control+V") == 2
    assert chord_keys("Control+Shift+V") == 3


def test_a_field_counts_once_however_often_it_is_touched():
    tally = Tally()
    tally.step("title")
    tally.click()
    tally.keys(5)
    tally.touch("title")
    tally.step("title again")
    tally.click(2)
    tally.keys(3)
    tally.touch("title")
    tally.touch("category")
    tally.stop()
    assert (tally.clicks, tally.keystrokes, tally.fields) == (3, 8, 2)
    assert [(s.clicks, s.keys, s.fields) for s in tally.steps] == [(1, 5, 1), (2, 3, 1)]
    assert tally.seconds >= 0


def test_the_table_lists_each_step_and_the_totals():
    tally = Tally()
    tally.step("new post")
    tally.click()
    tally.step("series", note="WordPress has none")
    tally.stop()
    lines = tally.table().splitlines()
    assert lines[0].split() == ["step", "clicks", "keystrokes", "fields"]
    assert lines[2].split() == ["new", "post", "1", "0", "0"]
    assert lines[3].endswith("WordPress has none")
    assert lines[-1].split()[:4] == ["total", "1", "0", "0"]
    assert lines[-1].endswith(" s")
