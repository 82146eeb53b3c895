"""Series (ordered parts) and guides (numbered postings across volumes).

The numbering rules live here and in the database: part numbers are unique in a
series and posting numbers unique in a guide (constraints), new ones are the next
free number, and a number set by hand may fill a gap but never open one.
Readers only ever see published posts; an unpublished part or posting keeps its
number hidden until it is published, so nothing is renumbered when it appears.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from blog.extensions import with_post_annotations
from blog.models import Post, published_q
from blog.sanitizer import sanitize_html
from core.content_version import bump_content_version
from core.text import BidiFreeFields

# Numbers are moved out of the way by this much while renumbering, so the unique
# constraints hold at every step without deferring them.
RENUMBER_OFFSET = 1_000_000


def next_free_number(queryset):
    return (queryset.aggregate(top=Max("number"))["top"] or 0) + 1


def check_number(queryset, number, what, label):
    """A hand-set number may fill a gap but not duplicate one nor open a gap."""
    taken = queryset.filter(number=number).first()
    if taken is not None:
        raise ValidationError(
            {"number": f"{what} {number} is already “{label(taken)}”. Choose a free number."}
        )
    top = queryset.aggregate(top=Max("number"))["top"] or 0
    if number > top + 1:
        raise ValidationError(
            {"number": f"{what} numbers run on without gaps: the next free number is {top + 1}."}
        )


def gaps(numbers):
    """The missing numbers in a sorted run starting at 1."""
    present = set(numbers)
    return [n for n in range(1, max(present, default=0) + 1) if n not in present]


class SeriesQuerySet(models.QuerySet):
    def with_public_stats(self):
        """Published part counts and date spans, in the same query."""
        public = published_q("parts__post__")
        return self.annotate(
            part_count=Count("parts", filter=public),
            first_date=Min("parts__post__published_at", filter=public),
            last_date=Max("parts__post__published_at", filter=public),
        )


class Series(BidiFreeFields, models.Model):
    bidi_free_fields = ("title",)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, help_text="HTML; sanitised on save.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("series:series_detail", kwargs={"slug": self.slug})

    def public_parts(self):
        parts = self.parts.filter(published_q("post__")).select_related("post").order_by("number")
        return with_post_annotations(parts, outer="post_id")

    def next_number(self):
        return next_free_number(self.parts.all())

    def number_gaps(self):
        return gaps(self.parts.values_list("number", flat=True))

    def pending_parts(self, before=None):
        """The parts after the last public one (drafts and scheduled posts), in
        order; with `before`, only those numbered below it."""
        parts = self.parts.all() if before is None else self.parts.filter(number__lt=before)
        last_public = parts.filter(published_q("post__")).aggregate(top=Max("number"))["top"]
        return parts.filter(number__gt=last_public or 0).select_related("post").order_by("number")

    @transaction.atomic
    def renumber_by_publication(self):
        """Number the parts 1, 2, 3… in publication order (unpublished ones last)."""
        parts = list(
            self.parts.select_related("post").order_by(
                F("post__published_at").asc(nulls_last=True), "number"
            )
        )
        self.parts.update(number=F("number") + RENUMBER_OFFSET)
        for number, part in enumerate(parts, start=1):
            SeriesPart.objects.filter(pk=part.pk).update(number=number)
        bump_content_version()  # updates bypass the signals that usually do this
        return len(parts)


class SeriesPart(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    post = models.OneToOneField(
        Post,
        on_delete=models.CASCADE,
        related_name="series_part",
        help_text="A post belongs to one series at most.",
    )
    number = models.PositiveIntegerField(
        "part number", blank=True, help_text="Left empty, the next free number is used."
    )

    class Meta:
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                name="series_part_number_unique",
                violation_error_message="This series already has a part with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="series_part_number_positive",
                violation_error_message="Part numbers start at 1.",
            ),
        ]

    def __str__(self):
        return f"Part {self.number} of {self.series}"

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = self.series.next_number()
        is_new = self._state.adding
        super().save(*args, **kwargs)
        if is_new:
            # Guides that include the whole series list the new part too.
            for link in self.series.guide_links.select_related("guide"):
                link.guide.append([self.post])

    @property
    def short_title(self):
        """The post's title without the series name and part number it often starts
        with ("Leading from the middle 3: Saying no", "Part 3: Saying no" → "Saying
        no"), for lists that say "Part 3" already."""
        series = re.escape(self.series.title)
        prefix = rf"(?:{series}\W*)?(?:part\s*)?{self.number}(?::|\s*[.\-–—](?=\s))\s*"
        title = self.post.title
        match = re.match(prefix, title, flags=re.IGNORECASE)
        return title[match.end() :] if match and title[match.end() :].strip() else title

    def numbering_note(self):
        """What the number means for the author: "This post becomes Part 31 of “X”;
        Part 30 is scheduled for 5 December." (parts not yet public before it)."""
        note = f"This post becomes Part {self.number} of “{self.series}”"
        pending = list(self.series.pending_parts(before=self.number).exclude(pk=self.pk))
        shown = [f"Part {part.number} {part_state(part.post)}" for part in pending[:5]]
        if len(pending) > 5:
            shown.append(f"{len(pending) - 5} more before it are not public yet")
        return f"{note}; {', '.join(shown)}." if shown else f"{note}."

    def clean(self):
        if self.number and self.series_id:
            others = self.series.parts.exclude(pk=self.pk)
            check_number(others, self.number, "Part", lambda part: part.post.title)


def part_state(post, sentence=True):
    """ "is published", "is scheduled for 5 December" or "is a draft" (without
    `sentence`: "published", "scheduled for 5 December", "draft")."""
    if post.is_public:
        state = "published"
    elif post.is_scheduled:
        state = f"scheduled for {friendly_date(post.published_at)}"
    else:
        return "is a draft" if sentence else "draft"
    return f"is {state}" if sentence else state


def friendly_date(moment):
    """5 December (this year), 5 December 2027 (another year), in the blog's time zone."""
    local = timezone.localtime(moment)
    same_year = local.year == timezone.localtime().year
    return date_format(local, "j F" if same_year else "j F Y")


class Guide(BidiFreeFields, models.Model):
    bidi_free_fields = ("title",)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    introduction = models.TextField(blank=True, help_text="HTML; sanitised on save.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.introduction = sanitize_html(self.introduction)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("series:guide_detail", kwargs={"slug": self.slug})

    def next_number(self):
        return next_free_number(self.postings.all())

    def number_gaps(self):
        return gaps(self.postings.values_list("number", flat=True))

    def add_posts(self, posts):
        """List posts not yet in this guide, numbered on in publication order."""
        return self.append(
            sorted(posts, key=lambda p: (p.published_at is None, p.published_at or 0, p.pk))
        )

    def add_series(self, series):
        """List every part of a series in part order, and keep listing new parts."""
        GuideSeries.objects.get_or_create(guide=self, series=series)
        parts = series.parts.select_related("post").order_by("number")
        return self.append([part.post for part in parts])

    @transaction.atomic
    def append(self, posts):
        """Give the posts not yet listed the next numbers, in the order given."""
        listed = set(self.postings.values_list("post_id", flat=True))
        start = self.next_number()
        new = [post for post in posts if post.pk not in listed]
        postings = [Posting(guide=self, post=post, number=start + i) for i, post in enumerate(new)]
        created = Posting.objects.bulk_create(postings)
        bump_content_version()  # bulk_create bypasses the signals that usually do this
        return created


class GuideSeries(models.Model):
    """A whole series listed in a guide: its parts, present and future, become postings."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="series_links")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="guide_links")

    class Meta:
        verbose_name = "series in this guide"
        verbose_name_plural = "series in this guide"
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "series"],
                name="guide_series_unique",
                violation_error_message="This series is already listed in this guide.",
            ),
        ]

    def __str__(self):
        return f"{self.series} in {self.guide}"


class GuideVolume(BidiFreeFields, models.Model):
    """A page of a guide: postings from `first_number` up to the next volume's first."""

    bidi_free_fields = ("title",)

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="volumes")
    number = models.PositiveIntegerField("volume number")
    first_number = models.PositiveIntegerField(
        "first posting number", help_text="Volume 1 starts at 1; each volume runs on from the last."
    )
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["guide", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"],
                name="guide_volume_number_unique",
                violation_error_message="This guide already has a volume with this number.",
            ),
            models.UniqueConstraint(
                fields=["guide", "first_number"],
                name="guide_volume_start_unique",
                violation_error_message="Another volume of this guide starts at this posting.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(first_number__gte=1),
                name="guide_volume_positive",
                violation_error_message="Volume and posting numbers start at 1.",
            ),
            models.CheckConstraint(
                condition=~Q(number=1) | Q(first_number=1),
                name="guide_volume_one_starts_at_one",
                violation_error_message="Volume 1 starts at posting 1.",
            ),
        ]

    def __str__(self):
        return f"{self.guide} – {self.number}"

    def get_absolute_url(self):
        if self.number == 1:
            return self.guide.get_absolute_url()
        return reverse(
            "series:guide_volume", kwargs={"slug": self.guide.slug, "volume": self.number}
        )

    def clean(self):
        if self.number == 1 and self.first_number != 1:
            raise ValidationError({"first_number": "Volume 1 starts at posting 1."})
        if not self.guide_id:
            return
        siblings = self.guide.volumes.exclude(pk=self.pk)
        before = siblings.filter(number__lt=self.number).aggregate(m=Max("first_number"))["m"]
        after = siblings.filter(number__gt=self.number).aggregate(m=Min("first_number"))["m"]
        if (before is not None and self.first_number <= before) or (
            after is not None and self.first_number >= after
        ):
            raise ValidationError(
                {"first_number": "Volumes run in order: each starts after the one before."}
            )


class PostingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published_q("post__"))


class Posting(models.Model):
    """A post listed in a guide, with a number that runs on across volumes."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="postings")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="postings")
    number = models.PositiveIntegerField(
        "posting number", blank=True, help_text="Left empty, the next free number is used."
    )

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["guide", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"],
                name="posting_number_unique",
                violation_error_message="This guide already has a posting with this number.",
            ),
            models.UniqueConstraint(
                fields=["guide", "post"],
                name="posting_post_once_per_guide",
                violation_error_message="This post is already listed in this guide.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="posting_number_positive",
                violation_error_message="Posting numbers start at 1.",
            ),
        ]

    def __str__(self):
        return f"Posting {self.number} in {self.guide}"

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = self.guide.next_number()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its place in the directory; the view finds the volume."""
        return reverse(
            "series:guide_posting", kwargs={"slug": self.guide.slug, "number": self.number}
        )

    def clean(self):
        if not self.guide_id:
            return
        others = self.guide.postings.exclude(pk=self.pk)
        if self.post_id and others.filter(post_id=self.post_id).exists():
            raise ValidationError({"post": "This post is already listed in this guide."})
        if self.number:
            check_number(others, self.number, "Posting", lambda posting: posting.post.title)


# Following by email lives in its own module; imported here so Django finds it.
from .subscriptions import Announcement, Notice, Subscription  # noqa: E402, F401
