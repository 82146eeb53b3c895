from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator, URLValidator
from django.db import connection, models
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from PIL import Image as PillowImage
from PIL import ImageOps

from core.text import BidiFreeFields

from . import images as responsive
from .extensions import with_post_annotations
from .links import linked_post_ids, render_internal_links, strip_internal_links
from .sanitizer import html_to_text, sanitize_html

# What the editor offers; the sanitiser (not the editor) decides what is stored.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # "Browse…" in the figure dialog opens the image library's picker.
    "Figure": {"pickerUrl": reverse_lazy("admin:blog_image_picker")},
    "Caption": True,
    "Image": True,
    "Code": True,
    "CodeBlock": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "HTML": True,
    "History": True,
    # Enter in a figure's caption starts a paragraph after the figure (static/desk/).
    "FigureExit": True,
    # Upload by button, drop or paste (static/blog/editor/image-upload.js).
    "ImageUpload": {"uploadUrl": reverse_lazy("admin:blog_image_upload")},
}

EXCERPT_WORDS = 55
WORDS_PER_MINUTE = 230


class SearchIndex(GinIndex):
    """A GIN index on Postgres; an ordinary (unused) index on SQLite, which has no GIN."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Status(models.TextChoices):
    """A post's or page's `status`: what its author decided. Whether readers see it
    also depends on the time (a published post with a future time is scheduled).
    Comments have a `state` instead (public, held, spam): what screening and the
    moderators decided, with no time involved."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def published_q(prefix=""):
    """The one rule for what readers may see: published, and not scheduled for later.
    `prefix` reaches it through a relation, e.g. `published_q("posts__")`."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What readers may see (see `published_q`)."""
        return self.filter(published_q())


class PostQuerySet(PublishableQuerySet):
    def for_listing(self):
        """Everything a list of posts shows, in a fixed number of queries."""
        listing = self.select_related("author__profile", "featured_image").prefetch_related(
            "categories", "tags"
        )
        return with_post_annotations(listing)

    def in_categories(self, category_ids):
        """Posts filed in any of the categories, without a join that needs DISTINCT."""
        filed = Post.categories.through.objects.filter(category_id__in=category_ids)
        return self.filter(pk__in=filed.values("post_id"))

    def update_search_vectors(self):
        """Refresh the weighted search vector (title > excerpt > body) on Postgres."""
        if connection.vendor != "postgresql":
            return 0
        config = settings.SEARCH_CONFIG
        return self.update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("excerpt", weight="B", config=config)
            + SearchVector("body_text", weight="C", config=config)
        )

    def render_links(self, html):
        """Sanitised HTML with its `[[post:ID]]` links pointing at posts of this
        queryset (one query, whatever the number of links)."""
        ids = linked_post_ids(html)
        posts = self.filter(pk__in=ids).only("title", "slug", "published_at") if ids else ()
        return render_internal_links(html, {post.pk: post for post in posts})


class Category(BidiFreeFields, models.Model):
    bidi_free_fields = ("name",)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="category_not_own_parent",
                violation_error_message="A category cannot be inside itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A category cannot be inside itself."})
            ancestor = ancestor.parent

    def descendant_ids(self):
        """This category's id and those of every category below it, from one query."""
        children = {}
        for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = [], [self.pk]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.append(pk)
                todo.extend(children.get(pk, []))
        return found


class Tag(BidiFreeFields, models.Model):
    bidi_free_fields = ("name",)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Publishable(BidiFreeFields, models.Model):
    """What posts and pages share: a title, a sanitised HTML body and a state."""

    bidi_free_fields = ("title",)

    title = models.CharField(max_length=300)
    body = ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text=(
            "Published with no time: now. A future time schedules it (readers see it "
            "from then on); a past time backdates it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or "(untitled)"

    def save(self, *args, **kwargs):
        self.prepare_body()
        self.fill_publication_time()
        super().save(*args, **kwargs)

    def fill_publication_time(self):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def prepare_body(self):
        # Sanitise once, on save, so every reader path renders stored HTML as is;
        # uploaded images then get their srcset, size and lazy loading.
        self.body = prepare_html(self.body)

    def clean(self):
        super().clean()
        # As in WordPress: "Published" with no time means now. Set here, before the
        # constraint that a published post has a time is checked.
        self.fill_publication_time()
        missing = responsive.images_without_alt(self.body)
        if self.status == Status.PUBLISHED and missing:
            names = ", ".join(f"“{name}”" for name in missing)
            raise ValidationError(
                {
                    "body": "Describe every image before publishing (its alternative text, "
                    f"for readers who cannot see it). Missing for: {names}. Select the image "
                    "and use the figure button to add it, or save as a draft for now."
                }
            )

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and not self.is_public


class Post(Publishable):
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    excerpt = models.TextField(
        blank=True, help_text="Shown on listings; left empty, the start of the body is used."
    )
    comments_open = models.BooleanField(default=True)
    # Derived on save: the body as plain text, its length, and (on Postgres) the
    # weighted full-text vector that search uses.
    body_text = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    sticky = models.BooleanField(default=False, help_text="Listed first on the home page.")
    featured_image = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in",
        help_text="Shown above the post, on listings and when the post is shared.",
    )
    featured_image_alt = models.CharField(
        "featured image's alternative text",
        max_length=300,
        blank=True,
        help_text="Left empty, the image's own alternative text is used.",
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="post_published_has_time",
                violation_error_message="A published post needs a publication time.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="post_status_published_idx"),
            # The home page's order: its first page is read off the index, not sorted.
            models.Index(fields=["-sticky", "-published_at", "-id"], name="post_home_order_idx"),
            SearchIndex(fields=["search_vector"], name="post_search_vector_idx"),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Post.objects.filter(pk=self.pk).update_search_vectors()

    def get_absolute_url(self):
        return reverse("blog:post", kwargs=self.url_kwargs())

    def url_kwargs(self):
        """The permalink's parts: the local publication date and the slug."""
        day = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return {
            "year": f"{day.year:04d}",
            "month": f"{day.month:02d}",
            "day": f"{day.day:02d}",
            "slug": self.slug,
        }

    def prepare_body(self):
        super().prepare_body()
        self.body_text = strip_internal_links(html_to_text(self.body))
        self.word_count = len(self.body_text.split())

    @property
    def featured_alt(self):
        if self.featured_image is None:
            return ""
        return self.featured_image_alt or self.featured_image.alt

    @property
    def summary(self):
        """The author's excerpt, or the first words of the body as plain text."""
        return self.excerpt or Truncator(self.body_text).words(EXCERPT_WORDS, "…")

    @property
    def reading_minutes(self):
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def related(self, limit=5):
        """Published posts sharing the most categories and tags, in one query."""
        categories = self.categories.values("pk")
        tags = self.tags.values("pk")
        shared = Q(categories__in=categories) | Q(tags__in=tags)
        return (
            Post.objects.published()
            .exclude(pk=self.pk)
            .filter(shared)
            .annotate(
                score=Count("categories", filter=Q(categories__in=categories), distinct=True)
                + Count("tags", filter=Q(tags__in=tags), distinct=True)
            )
            .order_by("-score", "-published_at")
            .only("title", "slug", "published_at")[:limit]
        )

    def previous_published(self):
        return (
            Post.objects.published()
            .filter(
                Q(published_at__lt=self.published_at)
                | Q(published_at=self.published_at, pk__lt=self.pk)
            )
            .order_by("-published_at", "-pk")
            .only("title", "slug", "published_at")
            .first()
        )

    def next_published(self):
        return (
            Post.objects.published()
            .filter(
                Q(published_at__gt=self.published_at)
                | Q(published_at=self.published_at, pk__gt=self.pk)
            )
            .order_by("published_at", "pk")
            .only("title", "slug", "published_at")
            .first()
        )


# Paths a page slug must not take, because the URLconf routes them elsewhere first.
RESERVED_PAGE_SLUGS = {
    "admin", "category", "tag", "author", "series", "guides", "search", "feed",
    "media", "static", "sitemap.xml", "robots.txt", "comments", "moderation", "healthz",
}  # fmt: skip


class Page(Publishable):
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    menu_order = models.PositiveIntegerField(
        default=0, help_text="Pages with a lower number come first in the navigation."
    )
    show_in_menu = models.BooleanField(default=True)
    # As on posts (WordPress's comment_status): readers may comment when the app that
    # takes comments is installed; it fills the page's slots (blog/extensions.py).
    comments_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["menu_order", "title"]

    def get_absolute_url(self):
        return reverse("pages:page", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_PAGE_SLUGS or self.slug.isdigit():
            raise ValidationError({"slug": f"“{self.slug}” is used by the site itself."})


def validate_image_size(file):
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The image is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)}."
        )


class Image(models.Model):
    """An uploaded picture, to place in a post through the editor's figure tool."""

    file = models.ImageField(
        upload_to="uploads/%Y/%m/",
        validators=[
            validate_image_size,
            FileExtensionValidator(["jpg", "jpeg", "png", "gif", "webp"]),
        ],
        width_field="width",
        height_field="height",
    )
    alt = models.CharField(
        "alternative text", max_length=300, help_text="What the image shows, for screen readers."
    )
    caption = models.CharField(max_length=300, blank=True)
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    # Copies made on save (blog/images.py): their names, sizes and byte counts.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        made_for = self.renditions.get("source") if self.renditions else None
        if self.file and made_for != self.file.name:
            super().save(*args, **kwargs)  # the file is stored first, under its final name
            if self.renditions:
                responsive.delete_renditions(self.file.storage, self.renditions)
            self.renditions = {**responsive.make_renditions(self.file), "source": self.file.name}
            kwargs = {**kwargs, "force_insert": False, "update_fields": ["renditions"]}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        storage, renditions = self.file.storage, self.renditions
        result = super().delete(*args, **kwargs)
        responsive.delete_renditions(storage, renditions or {})
        return result

    @property
    def body_srcset(self):
        return responsive.srcset(self.file.storage, self.renditions.get("widths", []))

    @property
    def thumbnail_url(self):
        """The smallest copy, for grids of thumbnails."""
        widths = self.renditions.get("widths") if self.renditions else None
        return self.file.storage.url(widths[0]["name"]) if widths else self.file.url

    @property
    def wide(self):
        """The 16:9 crops, narrowest first, for a featured image."""
        return (self.renditions or {}).get("wide", [])

    @property
    def wide_srcset(self):
        return responsive.srcset(self.file.storage, self.wide)

    @property
    def wide_webp_srcset(self):
        if responsive.has_webp(self.wide):
            return responsive.srcset(self.file.storage, self.wide, key="webp")
        return ""

    @cached_property
    def card(self):
        """The crop to share (og:image, feeds): the widest one, as a dict with its
        url, width, height, type and bytes (the original for an animated image)."""
        crops = self.wide
        if not crops:
            return {
                "url": self.file.url,
                "width": self.width,
                "height": self.height,
                "type": responsive.mime_type(self.file.name),
                "bytes": self.file.size,
            }
        crop = crops[-1]
        return {**crop, "url": self.file.storage.url(crop["name"])}


def prepare_html(html):
    """A body as it is stored: sanitised, then with responsive images. Whoever
    compares a new body with a stored one (the WordPress importer) prepares it so."""
    return responsive_body(sanitize_html(html))


def responsive_body(html):
    """Responsive markup for the uploaded images of a sanitised body (one query)."""
    names = responsive.image_sources(html)
    found = Image.objects.filter(file__in=names) if names else ()
    return responsive.responsive_body(html, {image.file.name: image for image in found})


AVATAR_SIZE = 160  # pixels a side of the square variant pages show (at up to 80 px, 2x)


class AuthorProfile(BidiFreeFields, models.Model):
    """What readers see of a person who writes here: a name, a few words, a face."""

    bidi_free_fields = ("display_name",)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="How posts, feeds and the author page name you, e.g. “Mara Lindqvist”. "
        "Left empty, your full name (or user name) is used.",
    )
    bio = models.TextField(
        "short bio",
        max_length=1000,
        blank=True,
        help_text="Plain text, shown on your author page. Empty lines start new paragraphs.",
    )
    avatar = models.ImageField(
        upload_to="avatars/%Y/",
        blank=True,
        validators=[
            validate_image_size,
            FileExtensionValidator(["jpg", "jpeg", "png", "gif", "webp"]),
        ],
        width_field="avatar_width",
        height_field="avatar_height",
        help_text="A picture of you: JPEG, PNG, GIF or WebP. It is cropped to a square.",
    )
    avatar_width = models.PositiveIntegerField(editable=False, null=True)
    avatar_height = models.PositiveIntegerField(editable=False, null=True)
    # Derived on save from `avatar`: a small square, what pages and JSON-LD show.
    avatar_square = models.ImageField(upload_to="avatars/%Y/", blank=True, editable=False)
    website = models.URLField(
        max_length=300,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Your own site, if any (an http or https address).",
    )

    class Meta:
        verbose_name = "author profile"

    def __str__(self):
        return self.display_name or self.user.get_username()

    def save(self, *args, **kwargs):
        if not self.avatar:
            self.avatar_square = ""
        elif not self.avatar._committed or not self.avatar_square:
            # A new upload (not stored yet), or a stored picture without its square.
            self.avatar_square = square_variant(self.avatar, AVATAR_SIZE)
        super().save(*args, **kwargs)


def square_variant(image_field, size):
    """A square crop, `size` pixels a side, of the picture's centre, as a file to
    store: PNG when the picture has transparency, JPEG otherwise (the first frame of
    an animation)."""
    image_field.open("rb")
    image_field.seek(0)
    with PillowImage.open(image_field) as picture:
        picture = ImageOps.exif_transpose(picture)
        transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        picture = picture.convert("RGBA" if transparent else "RGB")
        square = ImageOps.fit(picture, (size, size), PillowImage.Resampling.LANCZOS)
    buffer = BytesIO()
    square.save(buffer, "PNG" if transparent else "JPEG", quality=85, optimize=True)
    stem = PurePath(image_field.name).stem
    return ContentFile(buffer.getvalue(), name=f"{stem}-{size}.{'png' if transparent else 'jpg'}")


# Revisions of posts and pages live in their own module; imported here so Django
# registers the model with the blog app.
from .revisions import Revision  # noqa: E402, F401
