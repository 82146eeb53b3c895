"""How far a long import has got: a bar rewritten in place on a terminal, a plain
log line per thousand items otherwise (cron, CI, `| tee`), so a 10,000-post import
never looks hung. The summary at the end stays on standard output; this goes to
standard error."""

import time

from django.core.management.base import OutputWrapper

from .parser import Item

LOG_EVERY = 1000  # items between two log lines when not on a terminal
REDRAW = 0.2  # seconds between two redraws of the bar
BAR_WIDTH = 24


class Progress:
    def __init__(self, stream, source=None, total_bytes=0, tty=False, every=LOG_EVERY,
                 clock=time.monotonic):  # fmt: skip
        self.stream, self.source, self.total = stream, source, max(total_bytes, 1)
        self.tty, self.every, self.clock = tty, every, clock
        self.items = self.comments = self.media = self.media_total = 0
        self.started = clock()
        self.shown = None

    def __call__(self, record=None):
        """One record read and imported (authors and terms count as neither)."""
        if record is not None and not isinstance(record, Item):
            return self.redraw()
        self.items += 1
        self.comments += len(record.comments) if record is not None else 0
        if self.tty:
            self.redraw()
        elif self.items % self.every == 0:
            self.write(f"{self.line()}\n")

    def media_done(self, n=1, total=None):
        """For the media step: `n` more files handled (of `total`, when known)."""
        self.media += n
        if total is not None:
            self.media_total = total
        if self.tty:
            self.redraw()
        elif self.media % self.every == 0:
            self.write(f"{self.line()}\n")

    def done(self):
        if self.tty:
            self.write(f"\r{self.line(final=True)}\033[K\n")
        else:
            self.write(f"{self.line(final=True)}\n")

    def redraw(self):
        now = self.clock()
        if not self.tty or (self.shown is not None and now - self.shown < REDRAW):
            return
        self.shown = now
        self.write(f"\r{self.line()}\033[K")

    def percent(self):
        read = getattr(self.source, "bytes_read", 0)
        return min(100, 100 * read // self.total)

    def line(self, final=False):
        counts = f"{self.items:,} items, {self.comments:,} comments"
        if self.media or self.media_total:
            of = f"/{self.media_total:,}" if self.media_total else ""
            counts += f", {self.media:,}{of} media"
        elapsed = f"{self.clock() - self.started:,.0f} s"
        if final:
            return f"Imported {counts} in {elapsed}"
        percent = self.percent()
        if self.tty:
            filled = BAR_WIDTH * percent // 100
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            return f"Importing [{bar}] {percent:3d}%  {counts}  {elapsed}"
        return f"Importing: {counts} ({percent}% of the file, {elapsed})"

    def write(self, text):
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")  # it would end "\r" lines with a newline
        else:
            self.stream.write(text)
        self.stream.flush()
