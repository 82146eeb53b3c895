"""What an import did: counts per kind, every problem with its item, the series
recognised and the attachments to copy by hand."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped")
# The order kinds are listed in; any other kind (a skipped post type) follows.
KINDS = ("authors", "categories", "tags", "posts", "pages", "comments", "attachments",
         "series parts")  # fmt: skip


@dataclass
class Problem:
    kind: str
    wp_id: str
    title: str
    message: str

    def __str__(self):
        title = f" “{self.title}”" if self.title else ""
        return f"item {self.kind} {self.wp_id}{title}: {self.message}"


@dataclass
class Report:
    site: str = ""
    wxr_version: str = ""
    dry_run: bool = False
    counts: defaultdict = field(default_factory=lambda: defaultdict(Counter))
    problems: list[Problem] = field(default_factory=list)
    series: dict = field(default_factory=dict)  # series title → part numbers
    attachments: list[str] = field(default_factory=list)
    error: str = ""
    counted: set = field(default_factory=set)

    def checkpoint(self):
        """What to go back to if the next item is rolled back."""
        counts = {kind: Counter(outcomes) for kind, outcomes in self.counts.items()}
        series = {title: len(numbers) for title, numbers in self.series.items()}
        return counts, series, len(self.problems), len(self.attachments), set(self.counted)

    def roll_back_to(self, checkpoint):
        counts, series, problems, attachments, counted = checkpoint
        self.counts = defaultdict(Counter, counts)
        self.series = {title: self.series[title][:n] for title, n in series.items()}
        del self.problems[problems:], self.attachments[attachments:]
        self.counted = counted

    def count(self, kind, outcome, n=1, key=None):
        """Count `n` of a kind; with a key, only the first time that key is counted."""
        if key is not None:
            if (kind, key) in self.counted:
                return
            self.counted.add((kind, key))
        self.counts[kind][outcome] += n

    def problem(self, kind, wp_id, title, message):
        self.problems.append(Problem(kind, str(wp_id), title, message))

    def part_filed(self, series_title, number):
        self.series.setdefault(series_title, []).append(number)

    def render(self):
        lines = [f"Imported from {self.site or 'an unnamed site'} (WXR {self.wxr_version or '?'})"]
        if self.dry_run:
            lines[0] = f"{lines[0]} — dry run: nothing written"
        kinds = [k for k in KINDS if k in self.counts]
        kinds += sorted(k for k in self.counts if k not in KINDS)
        if kinds:
            width = max(len(kind) for kind in kinds)
            lines.append(f"{'':{width}}  " + "  ".join(f"{o:>9}" for o in OUTCOMES))
            for kind in kinds:
                row = "  ".join(f"{self.counts[kind][o]:>9}" for o in OUTCOMES)
                lines.append(f"{kind:{width}}  {row}")
        if self.series:
            lines.append(f"Series recognised ({len(self.series)}):")
            for title, numbers in sorted(self.series.items()):
                lines.append(f"  “{title}”: part {number_ranges(numbers)}")
        if self.problems:
            lines.append(f"Problems ({len(self.problems)}):")
            lines += [f"  {problem}" for problem in self.problems]
        if self.attachments:
            lines.append(
                f"Attachments to copy ({len(self.attachments)}; content still links "
                "to these addresses):"
            )
            lines += [f"  {url}" for url in self.attachments]
        if self.error:
            lines.append(f"Stopped: {self.error}")
        if self.dry_run:
            lines.append("dry run: nothing written")
        return "\n".join(lines)


def number_ranges(numbers):
    """1, 2, 3, 5, 7, 8 → "1-3, 5, 7-8"."""
    runs = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
