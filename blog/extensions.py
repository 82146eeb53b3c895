"""Where other apps plug into the blog, so that the blog imports none of them.

`series` and `comments` depend on `blog`, never the reverse. They add what they
show on the blog's pages from their own `AppConfig.ready()`:

- templates in named **slots** of the blog's templates (`{% slot "post_end" %}`),
  rendered with the page's context; an app may declare slots in its own templates
  (`add_slot`) for the apps above it;
- **post context**: values a post's page needs for those templates (the series
  navigation), computed once per page by the post view;
- **post annotations**: columns added to every listing of posts (comment counts),
  as expressions on a post id, so they cost no query of their own; with the
  content-version keys each listed post's value follows, so that a cached listing
  is stale when a count it prints changes (`core/page_cache.py`);
- **post admin inlines**: formsets on the post's admin page (series part, guides);
- **post admin columns**: columns of the admin's list of posts (series part, comment
  counts), with the annotations they read, so the list costs no query per row;
  **page admin columns** likewise for the list of pages (comment counts);
- **dashboard panels**: boxes on the admin's front page (held comments), each
  deciding from the request whether its user may see it;
- **personal data**: what an app stores about a person's email address, for the
  moderators' export and erase tools (comments' privacy page lists subscriptions
  that series stores, though neither imports the other).

With nothing registered the blog still works: the slots are empty.
"""

from collections import defaultdict

from django.db.models.query import ModelIterable

from core.page_cache import depends_on

# Slot names and where the blog's templates render them.
SLOTS = {
    "post_head": "blog/post_detail.html, inside <head>",
    "nav": "base.html, the main navigation after Home",
    "sidebar": "includes/sidebar.html, after the recent posts (cached)",
    "post_after_title": "blog/post_detail.html, under the post's title",
    "post_after_body": "blog/post_detail.html, after the post's body",
    "post_end": "blog/post_detail.html, after related posts",
    "listing_comments": "includes/posted_in.html, after a listed post's date (context: post, "
    "comment_count from the listing's annotation, None where there is none)",
    "home_end": "blog/post_list.html, after the home page's posts",
    "page_head": "blog/page_detail.html, inside <head>",
    "page_end": "blog/page_detail.html, after the page's body",
}

_slot_templates = defaultdict(list)
_post_context_providers = []
_post_annotations = {}
_post_annotation_keys = {}
_post_admin_inlines = []
_post_admin_columns = []
_post_admin_annotations = {}
_page_admin_columns = []
_page_admin_annotations = {}
_dashboard_panels = []
_personal_data = {}


def _add_once(items, item):
    if item not in items:
        items.append(item)


def add_slot(slot, where):
    """A slot in another app's template (`where` says which), for apps above it to
    fill: the comment form's, declared by comments, filled by the sign-in app."""
    SLOTS.setdefault(slot, where)


def add_to_slot(slot, template_name):
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r}; the blog has {', '.join(SLOTS)}.")
    _add_once(_slot_templates[slot], template_name)


def slot_templates(slot):
    return tuple(_slot_templates[slot])


def add_post_context(provider):
    """`provider(post, request)` returns a dict for the post's page (may be empty)."""
    _add_once(_post_context_providers, provider)


def post_context(post, request):
    context = {}
    for provider in _post_context_providers:
        context.update(provider(post, request))
    return context


def add_post_annotation(name, expression_for, page_keys=None):
    """`expression_for(outer)`: an expression on the post id in the field `outer`;
    `page_keys(post_id)`: the content-version keys whose bump changes its value."""
    _post_annotations[name] = expression_for
    if page_keys:
        _post_annotation_keys[name] = page_keys


def post_annotations(outer="pk"):
    """Every registered annotation, for a query whose post id is in `outer`."""
    return {name: expression_for(outer) for name, expression_for in _post_annotations.items()}


def with_post_annotations(queryset, outer="pk"):
    """`queryset` with every registered annotation; as its rows are read, it tells
    the page cache which keys the annotated values follow."""
    iterable = type("ListedRows", (ListedRows,), {"outer": outer})
    queryset = queryset.annotate(**post_annotations(outer))
    queryset._iterable_class = iterable  # kept by later filters and slices
    return queryset


class ListedRows(ModelIterable):
    outer = "pk"

    def __iter__(self):
        for row in super().__iter__():
            depends_on(*annotation_page_keys(getattr(row, self.outer)))
            yield row


def annotation_page_keys(post_id):
    """The keys a listed post's annotations follow (see `add_post_annotation`)."""
    return [key for page_keys in _post_annotation_keys.values() for key in page_keys(post_id)]


def add_post_admin_inline(inline):
    _add_once(_post_admin_inlines, inline)


def post_admin_inlines():
    return tuple(_post_admin_inlines)


def add_post_admin_column(column, annotations=None):
    """`column(post)` gives a cell of the admin's post list (decorate it with
    `admin.display` for its heading); `annotations` maps names to
    `expression_for(outer)`, added to the list's one query for the column to read."""
    _add_once(_post_admin_columns, column)
    _post_admin_annotations.update(annotations or {})


def post_admin_columns():
    return tuple(_post_admin_columns)


def post_admin_annotations(outer="pk"):
    return {name: expression_for(outer) for name, expression_for in _post_admin_annotations.items()}


def add_page_admin_column(column, annotations=None):
    """As `add_post_admin_column`, for the admin's list of pages."""
    _add_once(_page_admin_columns, column)
    _page_admin_annotations.update(annotations or {})


def page_admin_columns():
    return tuple(_page_admin_columns)


def page_admin_annotations(outer="pk"):
    return {name: expression_for(outer) for name, expression_for in _page_admin_annotations.items()}


def add_dashboard_panel(panel):
    """`panel(request)` returns `(template_name, context)` for a box on the admin's
    front page, or None when this user may not see it. It runs a fixed number of
    queries, whatever the number of rows."""
    _add_once(_dashboard_panels, panel)


def dashboard_panels():
    return tuple(_dashboard_panels)


def add_personal_data(name, export, erase):
    """`export(email)` returns JSON-ready data stored about that address (a list);
    `erase(email)` deletes it and returns how many records went."""
    _personal_data[name] = (export, erase)


def personal_data_sources():
    return dict(_personal_data)
