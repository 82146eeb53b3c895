"""Reader views: thin, with the querying in the models' querysets."""

from datetime import MAXYEAR, MINYEAR
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from core.site_url import site_url

from .authors import display_name, profile_of
from .extensions import post_context
from .models import Category, Page, Post, Tag
from .pagination import lookahead_page
from .search import clean_query, result_count, results_heading, search_posts, snippet


def feed_links(name, title, **kwargs):
    """Autodiscovery links for a listing's RSS and Atom feeds (`name`: e.g. "blog:tag")."""
    return [
        (f"{title} (RSS)", reverse(f"{name}_feed", kwargs=kwargs), "application/rss+xml"),
        (f"{title} (Atom)", reverse(f"{name}_atom", kwargs=kwargs), "application/atom+xml"),
    ]


class PostListMixin:
    """A paginated list of published posts, newest first."""

    paginate_by = settings.POSTS_PER_PAGE
    template_name = "blog/post_list.html"
    context_object_name = "posts"
    heading = ""

    def get_queryset(self):
        return Post.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        heading = self.get_heading()
        return super().get_context_data(
            heading=heading, page_title=heading, feeds=self.get_feeds(), **kwargs
        )

    def get_heading(self):
        return self.heading

    def get_feeds(self):
        return []


class HomeView(PostListMixin, ListView):
    def get(self, request, *args, **kwargs):
        if "s" in request.GET:
            # WordPress's search form sends /?s=…; keep such links working.
            return redirect(f"{reverse('blog:search')}?{urlencode({'q': request.GET['s']})}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().order_by("-sticky", "-published_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_home=True, **kwargs)


class CategoryView(PostListMixin, ListView):
    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        # WordPress lists posts of sub-categories on a category's page too.
        return super().get_queryset().in_categories(self.category.descendant_ids())

    def get_heading(self):
        return f"Category: {self.category.name}"

    def get_feeds(self):
        return feed_links(
            "blog:category", f"Category {self.category.name}", slug=self.category.slug
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            description=self.category.description,
            page_description=self.category.description,
            **kwargs,
        )


class TagView(PostListMixin, ListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_heading(self):
        return f"Tag: {self.tag.name}"

    def get_feeds(self):
        return feed_links("blog:tag", f"Tag {self.tag.name}", slug=self.tag.slug)


class AuthorView(PostListMixin, ListView):
    def get_queryset(self):
        self.author = get_object_or_404(
            get_user_model().objects.select_related("profile"), username=self.kwargs["username"]
        )
        return super().get_queryset().filter(author=self.author)

    def get_heading(self):
        return display_name(self.author)

    def get_feeds(self):
        username = self.author.get_username()
        return feed_links("blog:author", f"Posts by {display_name(self.author)}", username=username)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = profile_of(self.author)
        context.update(
            author=self.author,
            author_profile=profile,
            page_title=f"Posts by {display_name(self.author)}",
            page_description=profile.bio if profile else "",
        )
        return context


class ArchiveMixin(PostListMixin):
    """What the year, month and day archives share."""

    date_field = "published_at"
    month_format = "%m"
    allow_empty = False
    make_object_list = True

    def get_dated_items(self):
        # Django steps one day, month or year past the date asked for (the next
        # archive, the end of the range): /9999/12/31/ has no next day to step to.
        if not MINYEAR < int(self.get_year()) < MAXYEAR:
            raise Http404("No archive for that year.")
        try:
            return super().get_dated_items()
        except OverflowError:
            raise Http404("No archive for that date.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if day := kwargs.get("day"):
            context["heading"] = f"Archive: {day.day} {day:%B %Y}"
        elif month := kwargs.get("month"):
            context["heading"] = f"Archive: {month:%B %Y}"
        else:
            context["heading"] = f"Archive: {kwargs['year']:%Y}"
        return context


class YearArchive(ArchiveMixin, YearArchiveView):
    pass


class MonthArchive(ArchiveMixin, MonthArchiveView):
    pass


class DayArchive(ArchiveMixin, DayArchiveView):
    pass


class PreviewMixin:
    """Whoever may edit posts (or pages) may look at drafts and scheduled items;
    such answers are never cached and never indexed. Being staff is not enough:
    a moderator is staff, and reviews comments only."""

    def visible_queryset(self, model):
        opts = model._meta
        if self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return model.objects.all()
        return model.objects.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PostDetailView(PreviewMixin, DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        queryset = (
            self.visible_queryset(Post)
            .select_related("author__profile", "featured_image")
            # Categories and tags are read by the article's cached blocks, only when missing.
            .defer("search_vector")  # search's alone, and as long as the body
        )
        return get_object_or_404(queryset, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.canonical_path()
        if request.path != canonical:
            # The slug is unique; a wrong date in the URL is an old or mistyped link.
            return redirect(canonical, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def canonical_path(self):
        """This page's one address (other apps' views below a post add to it)."""
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        post = self.object
        context = super().get_context_data(**kwargs)
        context["page_title"], context["page_description"] = post.title, post.summary
        context["og_type"] = "article"
        # The article's own cached blocks (its meta line, tags, JSON-LD): kept while
        # readers see it; a preview or draft renders them afresh (0: never stored).
        context["fragment_seconds"] = (
            300 if post.is_public and not context.get("unsaved_preview") else 0
        )
        if post.featured_image:
            card = post.featured_image.card
            context["og_image"] = {
                "url": site_url() + card["url"],
                "width": card["width"],
                "height": card["height"],
                "alt": post.featured_alt,
            }
        if post.is_public:
            # Lazy: the template caches these blocks, so their queries run once per change.
            context["previous_post"] = post.previous_published
            context["next_post"] = post.next_published
            # Even building its queryset costs: only when the cached block is missing.
            context["related_posts"] = SimpleLazyObject(post.related)
        # What other apps show on the page (series navigation, …): blog/extensions.py.
        context.update(post_context(post, self.request))
        return context


class PageDetailView(PreviewMixin, DetailView):
    template_name = "blog/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(self.visible_queryset(Page), slug=self.kwargs["slug"])


class SearchView(PostListMixin, ListView):
    """/search/?q=: full-text search on Postgres, a simple fallback elsewhere."""

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return (
            search_posts(self.query)
            .select_related("author__profile")
            .prefetch_related("categories")
        )

    def get_heading(self):
        return f"Search results for “{self.query}”" if self.query else "Search"

    def paginate_queryset(self, queryset, page_size):
        page = lookahead_page(queryset, self.request.GET.get("page"), page_size)
        return None, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, is_search=True, **kwargs)
        for post in context["posts"]:
            post.snippet = snippet(post, self.query)
        if self.query:
            context["result_count"] = result_count(context["page_obj"])
            context["heading"] = context["page_title"] = results_heading(
                context["result_count"], self.query
            )
        return context


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /comments/",
        "Disallow: /search/",
        f"Sitemap: {site_url()}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
