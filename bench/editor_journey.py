"""Counting an author's clicks and key presses through an editor, the way a person
would make them, with Playwright driving chromium.

The rules (`CountingPage` applies them; `Tally` keeps the score):
- a **click** is one press of the mouse button: on a link, a button, a checkbox, into
  a field to put the cursor there, or on the file to pick in the browser's file dialog;
- a **keystroke** is one key pressed: typing a text counts one per character (a
  newline is the Enter key), a shortcut counts each of its keys (Ctrl+V is two);
- a **field touched** is a distinct form field the author typed into, ticked or gave
  a file to, counted once however often it is touched again.
Waiting for pages and uploads costs nothing; reading costs nothing.
"""

import time
from dataclasses import dataclass, field


def keystrokes_for(text):
    """Keys pressed to type `text`: one per character, Enter for a newline."""
    return len(text.replace("\r\n", "\n"))


def chord_keys(shortcut):
    """Keys pressed for a shortcut such as "Control+Shift+V" (three)."""
    return len([key for key in shortcut.split("+") if key]) or (1 if shortcut == "+" else 0)


@dataclass
class Step:
    name: str
    clicks: int = 0
    keys: int = 0
    fields: int = 0
    note: str = ""


@dataclass
class Tally:
    steps: list = field(default_factory=list)
    touched: set = field(default_factory=set)
    started: float | None = None
    seconds: float = 0.0

    def step(self, name, note=""):
        """Start a named step; what follows counts towards it."""
        if self.started is None:
            self.started = time.perf_counter()
        self.steps.append(Step(name, note=note))
        return self.steps[-1]

    @property
    def current(self):
        return self.steps[-1] if self.steps else self.step("(unnamed)")

    def click(self, count=1):
        self.current.clicks += count

    def keys(self, count):
        self.current.keys += count

    def touch(self, field_name):
        if field_name not in self.touched:
            self.touched.add(field_name)
            self.current.fields += 1

    def stop(self):
        if self.started is not None:
            self.seconds = time.perf_counter() - self.started

    @property
    def clicks(self):
        return sum(step.clicks for step in self.steps)

    @property
    def keystrokes(self):
        return sum(step.keys for step in self.steps)

    @property
    def fields(self):
        return len(self.touched)

    def table(self):
        """The steps and their totals as a small plain-text table."""
        rows = [(s.name, str(s.clicks), str(s.keys), str(s.fields), s.note) for s in self.steps]
        rows.append(("total", str(self.clicks), str(self.keystrokes), str(self.fields),
                     f"{self.seconds:.1f} s"))  # fmt: skip
        header = ("step", "clicks", "keystrokes", "fields", "")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]

        def line(row):
            name, *numbers, note = row
            cells = [name.ljust(widths[0])]
            cells += [n.rjust(w) for n, w in zip(numbers, widths[1:], strict=True)]
            return "  ".join([*cells, note]).rstrip()

        rule = "-" * (sum(widths) + 2 * len(widths) + 10)
        return "\n".join([line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


class CountingPage:
    """Acts on a Playwright page and counts what a person would have done."""

    def __init__(self, page, tally=None):
        self.page = page
        self.tally = tally or Tally()

    def click(self, locator):
        locator.click()
        self.tally.click()

    def type_into(self, locator, text, field_name, click_first=True):
        """Click into a field (unless the cursor is there already) and type."""
        if click_first:
            self.click(locator)
        self.page.keyboard.type(text)
        self.tally.keys(keystrokes_for(text))
        self.tally.touch(field_name)

    def press(self, shortcut):
        self.page.keyboard.press(shortcut)
        self.tally.keys(chord_keys(shortcut))

    def tick(self, locator, field_name):
        self.click(locator)
        self.tally.touch(field_name)

    def choose(self, select, label, field_name):
        """Pick an option of a drop-down list: a click to open it, one on the option."""
        select.select_option(label=label)
        self.tally.click(2)
        self.tally.touch(field_name)

    def choose_file(self, opener, path, field_name):
        """Click what opens the file dialog, then the file in it: two clicks."""
        with self.page.expect_file_chooser() as chooser:
            self.click(opener)
        chooser.value.set_files(str(path))
        self.tally.click()  # picking the file in the dialog
        self.tally.touch(field_name)
