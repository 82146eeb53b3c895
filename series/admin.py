"""Authoring series and guides. Numbers are proposed (the next free one when left
empty) and checked by the models; renumbering is an explicit action."""

from django.contrib import admin, messages
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from blog.admin import OptionalInlineFormSet
from blog.models import published_q
from core.admin_input import BadInputSafeAdminMixin
from core.ids import MAX_BIGINT, parse_id

from .models import Guide, GuideSeries, GuideVolume, Posting, Series, SeriesPart, part_state
from .subscriptions import Subscription


class SeriesPartInline(admin.TabularInline):
    model = SeriesPart
    extra = 1
    autocomplete_fields = ["post"]
    fields = ["number", "post"]
    ordering = ["number"]


class NumberGapsMixin:
    """Series and guides both report the holes in their numbering."""

    readonly_fields = ["gaps"]

    @admin.display(description="gaps in numbering")
    def gaps(self, obj):
        missing = obj.number_gaps() if obj.pk else []
        return ", ".join(map(str, missing)) if missing else "none"


@admin.register(Series)
class SeriesAdmin(BadInputSafeAdminMixin, NumberGapsMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "part_total", "follower_total", "gaps"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SeriesPartInline]
    actions = ["renumber"]

    def get_queryset(self, request):
        followers = Subscription.objects.filter(series=OuterRef("pk")).confirmed()
        return (
            super()
            .get_queryset(request)
            .annotate(
                part_total=Count("parts"),
                follower_total=Subquery(
                    followers.order_by().values("series").annotate(n=Count("pk")).values("n")
                ),
            )
            # An aggregate drops Meta.ordering: order again, or pages shift (autocomplete).
            .order_by("title")
        )

    @admin.display(description="parts", ordering="part_total")
    def part_total(self, obj):
        return obj.part_total

    @admin.display(description="followers", ordering="follower_total")
    def follower_total(self, obj):
        count = obj.follower_total or 0
        url = reverse("admin:series_subscription_changelist") + f"?follows={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.action(description="Renumber parts 1, 2, 3… in publication order")
    def renumber(self, request, queryset):
        for series in queryset:
            count = series.renumber_by_publication()
            self.message_user(request, f"“{series}”: {count} parts renumbered.", messages.SUCCESS)


class GuideVolumeInline(admin.TabularInline):
    model = GuideVolume
    extra = 1
    fields = ["number", "first_number", "title"]


class GuideSeriesInline(admin.TabularInline):
    model = GuideSeries
    extra = 1
    autocomplete_fields = ["series"]
    verbose_name = "whole series listed in this guide (its parts become postings)"


@admin.register(Guide)
class GuideAdmin(BadInputSafeAdminMixin, NumberGapsMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "posting_total", "gaps"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GuideVolumeInline, GuideSeriesInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(posting_total=Count("postings"))

    @admin.display(description="postings", ordering="posting_total")
    def posting_total(self, obj):
        return obj.posting_total

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Series newly listed in the guide bring their parts as postings.
        guide = form.instance
        for link in guide.series_links.select_related("series"):
            added = guide.add_series(link.series)
            if added:
                self.message_user(
                    request, f"{len(added)} parts of “{link.series}” listed as postings."
                )


@admin.register(Posting)
class PostingAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    list_display = ["number", "post", "guide"]
    list_display_links = ["number", "post"]
    list_filter = ["guide"]
    list_select_related = ["post", "guide"]
    search_fields = ["post__title"]
    autocomplete_fields = ["post"]
    ordering = ["guide", "number"]


@admin.display(description="series")
def post_part_column(post):
    """The post list's series column (added in SeriesConfig.ready)."""
    if post.desk_part_number is None:
        return ""
    return format_html(
        '<a class="desk-nowrap" href="{}" title="Part {} of “{}”">Part {}</a>'
        '<br><small class="desk-muted">“{}”</small>',
        reverse("admin:series_series_change", args=[post.desk_series_id]),
        post.desk_part_number,
        post.desk_series_title,
        post.desk_part_number,
        post.desk_series_title,
    )


def post_part_annotations():
    def part_field(field):
        def expression_for(outer):
            parts = SeriesPart.objects.filter(post_id=OuterRef(outer))
            return Subquery(parts.values(field)[:1])

        return expression_for

    return {
        "desk_part_number": part_field("number"),
        "desk_series_id": part_field("series_id"),
        "desk_series_title": part_field("series__title"),
    }


class SeriesPartFormSet(OptionalInlineFormSet):
    """The post's series part; when its number was left empty, the author is told
    which number it took and which parts before it are not public yet."""

    request = None  # set per request by PostSeriesInline.get_formset

    def save(self, commit=True):
        saved = super().save(commit)
        if self.is_bound and self.request is not None:
            for form in self.forms:
                part = form.instance
                if form in self.deleted_forms or not form.has_changed() or part.pk is None:
                    continue
                if form.cleaned_data.get("number") is None:
                    messages.success(self.request, part.numbering_note())
        return saved


def parts_overview(series_id=None):
    """Each series (or the one given) with its last public part, the parts after it
    (drafts and scheduled posts) and its next free number: two queries in all."""
    series_list = Series.objects.annotate(top=Max("parts__number")).order_by("title")
    if series_id is not None:
        series_list = series_list.filter(pk=series_id)
    series_list = list(series_list)
    last_public = (
        SeriesPart.objects.filter(published_q("post__"), series=OuterRef("series"))
        .order_by("-number")
        .values("number")[:1]
    )
    parts = (
        SeriesPart.objects.filter(series__in=series_list)
        .filter(number__gte=Coalesce(Subquery(last_public), 0))
        .select_related("post")
        .order_by("series_id", "number")
    )
    by_series = {}
    for part in parts:
        part.state = part_state(part.post, sentence=False)
        by_series.setdefault(part.series_id, []).append(part)
    for series in series_list:
        series.tail = by_series.get(series.pk, [])
        series.next_free = (series.top or 0) + 1
    return series_list


class PostSeriesInline(admin.StackedInline):
    """On the post form (added in SeriesConfig.ready)."""

    model = SeriesPart
    formset = SeriesPartFormSet
    fk_name = "post"
    # One empty form, so a post joins a series without JavaScript too.
    extra = 1
    max_num = 1
    autocomplete_fields = ["series"]
    fields = ["series", "number", "parts_so_far"]
    readonly_fields = ["parts_so_far"]
    verbose_name = "series part"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request  # a new class on every call: nothing is shared
        self._overviews = {}
        return formset

    @admin.display(description="parts so far")
    def parts_so_far(self, part):
        """The series' order around this post, read-only: the last public part, the
        ones not yet public, and the next free number (or every series, before one
        is chosen). Computed once per page, whatever the number of parts."""
        series_id = part.series_id if part and part.series_id else None
        overviews = getattr(self, "_overviews", {})
        if series_id not in overviews:
            overviews[series_id] = parts_overview(series_id)
        return render_to_string(
            "series/admin/parts_so_far.html",
            {
                "series_list": overviews[series_id],
                "chosen": series_id is not None,
                "post_id": part.post_id if part else None,
            },
        )


class PostPostingInline(admin.TabularInline):
    """On the post form (added in SeriesConfig.ready)."""

    model = Posting
    formset = OptionalInlineFormSet
    extra = 0
    autocomplete_fields = ["guide"]
    fields = ["guide", "number"]
    verbose_name = "listing in a guide"


class ConfirmedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("confirmed", "Confirmed"), ("pending", "Waiting for confirmation")]

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "pending":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class FollowsFilter(admin.SimpleListFilter):
    """A series that has followers, or "All new posts" (subscriptions with no series)."""

    title = "follows"
    parameter_name = "follows"
    ALL_POSTS = "all-posts"

    def lookups(self, request, model_admin):
        followed = Series.objects.filter(subscriptions__isnull=False).distinct().order_by("title")
        return [(self.ALL_POSTS, "All new posts"), *((s.pk, s.title) for s in followed)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL_POSTS:
            return queryset.filter(series__isnull=True)
        if (series_id := parse_id(value, maximum=MAX_BIGINT)) is not None:
            return queryset.filter(series_id=series_id)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    """Who follows what. Staff see and remove subscriptions; readers make them
    (double opt-in), so there is no adding here."""

    list_display = ["email", "follows", "state", "asked", "sent_total"]
    list_filter = [ConfirmedFilter, FollowsFilter]
    search_fields = ["email"]
    list_select_related = ["series"]
    readonly_fields = ["email", "series", "created_at", "confirmed_at", "ip_address"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_sent_count()

    @admin.display(description="follows", ordering="series__title")
    def follows(self, obj):
        return obj.series.title if obj.series_id else "All new posts"

    @admin.display(description="state", ordering="confirmed_at")
    def state(self, obj):
        return "confirmed" if obj.confirmed_at else "waiting"

    @admin.display(description="asked", ordering="created_at")
    def asked(self, obj):
        return f"{obj.created_at:%Y-%m-%d}"

    @admin.display(description="mails", ordering="sent_count")
    def sent_total(self, obj):
        return obj.sent_count

    def changelist_view(self, request, extra_context=None):
        # Followers per series above the list: confirmed and waiting, one query.
        counts = (
            Subscription.objects.values("series__title")
            .annotate(
                confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
                pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
            )
            .order_by("series__title")
        )
        extra_context = {**(extra_context or {}), "follower_counts": list(counts)}
        return super().changelist_view(request, extra_context)
