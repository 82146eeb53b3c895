"""A guide volume as readers see it: numbered postings, with the parts of a series
gathered into a group with their part and posting ranges."""

from dataclasses import dataclass, field


@dataclass
class Group:
    series: object | None
    postings: list = field(default_factory=list)

    @property
    def part_range(self):
        numbers = [p.post.series_part.number for p in self.postings]
        return f"{min(numbers)}–{max(numbers)}" if len(numbers) > 1 else str(numbers[0])

    @property
    def posting_range(self):
        first, last = self.postings[0].number, self.postings[-1].number
        return f"{first}–{last}" if first != last else str(first)


def group_postings(postings):
    """Consecutive postings of one series form a group; other postings stand alone."""
    groups = []
    for posting in postings:
        part = getattr(posting.post, "series_part", None)
        series = part.series if part else None
        if series and groups and groups[-1].series == series:
            groups[-1].postings.append(posting)
        else:
            groups.append(Group(series=series, postings=[posting]))
    return groups


@dataclass
class VolumeSummary:
    volume: object
    first: int | None
    last: int | None

    @property
    def name(self):
        return f"Volume {self.volume.number}"

    @property
    def label(self):
        """ "Volume 2, postings 311-331" (with an en dash), as the writer cites a volume."""
        if self.first is None:
            return self.name
        if self.first == self.last:
            return f"{self.name}, posting {self.first}"
        return f"{self.name}, postings {self.first}–{self.last}"


def volume_ranges(volumes, public_numbers):
    """Each volume's first and last published posting number, from one sorted list."""
    summaries = []
    for index, volume in enumerate(volumes):
        end = volumes[index + 1].first_number if index + 1 < len(volumes) else None
        inside = [
            n for n in public_numbers if n >= volume.first_number and (end is None or n < end)
        ]
        summaries.append(
            VolumeSummary(volume, inside[0] if inside else None, inside[-1] if inside else None)
        )
    return summaries
