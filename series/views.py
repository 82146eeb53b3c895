"""Reader pages for series and guides; each costs a fixed number of queries."""

from functools import partial

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from blog.models import published_q
from blog.sanitizer import html_to_text
from blog.views import feed_links
from core.content_version import CONTENT, version

from .directory import group_postings, volume_ranges
from .models import Guide, GuideVolume, Posting, Series


class SeriesListView(ListView):
    template_name = "series/series_list.html"
    context_object_name = "series_list"

    def get_queryset(self):
        return Series.objects.with_public_stats().filter(part_count__gt=0)


def contents_version():
    """The key of a series' cached table of contents, which shows comment counts."""
    return version(CONTENT, "comments")


class SeriesDetailView(DetailView):
    template_name = "series/series_detail.html"
    context_object_name = "series"
    queryset = Series.objects.all()

    def get_context_data(self, **kwargs):
        series = self.object
        return super().get_context_data(
            parts=series.public_parts(),  # lazy: the template caches what it shows
            contents_version=contents_version,
            page_title=series.title,
            page_description=html_to_text(series.description),
            feeds=feed_links("series:series", series.title, slug=series.slug),
            **kwargs,
        )


class GuideListView(ListView):
    template_name = "series/guide_list.html"
    context_object_name = "guides"

    def get_queryset(self):
        return Guide.objects.annotate(
            posting_count=Count("postings", filter=published_q("postings__post__"), distinct=True),
            volume_count=Count("volumes", distinct=True),
        ).filter(posting_count__gt=0)


class GuideVolumeView(TemplateView):
    """One volume of a guide's directory: /guides/<slug>/ is volume 1."""

    template_name = "series/guide_detail.html"

    def get(self, request, *args, **kwargs):
        if kwargs.get("volume") == 1:  # volume 1 lives at the guide's own address
            return redirect("series:guide_detail", slug=kwargs["slug"], permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, slug, volume=1, **kwargs):
        guide = get_object_or_404(Guide, slug=slug)
        volumes = list(guide.volumes.all()) or [GuideVolume(guide=guide, number=1, first_number=1)]
        public_numbers = list(
            Posting.objects.public()
            .filter(guide=guide)
            .order_by("number")
            .values_list("number", flat=True)
        )
        summaries = volume_ranges(volumes, public_numbers)
        current = next((s for s in summaries if s.volume.number == int(volume)), None)
        if current is None:
            raise Http404("No such volume.")
        index = summaries.index(current)
        end = summaries[index + 1].volume.first_number if index + 1 < len(summaries) else None
        postings = (
            Posting.objects.public()
            .filter(guide=guide, number__gte=current.volume.first_number)
            .select_related("post", "post__series_part__series")
            .order_by("number")
        )
        if end is not None:
            postings = postings.filter(number__lt=end)
        return super().get_context_data(
            guide=guide,
            volume=current,
            volumes=summaries,
            previous_volume=summaries[index - 1] if index > 0 else None,
            next_volume=summaries[index + 1] if end is not None else None,
            # Called only when the template's cached copy is missing or stale.
            groups=partial(group_postings, postings),
            page_title=f"{guide.title} – {current.label}" if len(summaries) > 1 else guide.title,
            page_description=html_to_text(guide.introduction),
            feeds=feed_links("series:guide", guide.title, slug=guide.slug),
            **kwargs,
        )


def posting_redirect(request, slug, number):
    """/guides/<slug>/posting/<n>/: a stable link to a posting's place in its volume."""
    posting = get_object_or_404(Posting.objects.public(), guide__slug=slug, number=number)
    volume = (
        GuideVolume.objects.filter(guide=posting.guide_id, first_number__lte=number)
        .order_by("-first_number")
        .first()
    )
    url = volume.get_absolute_url() if volume else posting.guide.get_absolute_url()
    return redirect(f"{url}#posting-{number}")
