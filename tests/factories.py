"""Factories for every model, in one place."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from blog.models import AuthorProfile, Category, Image, Page, Post, Status, Tag
from comments.models import BlogComment, State
from series.models import Guide, Series, Subscription
from wordpress.models import ImportedItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True


class AuthorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: f"Writer {p.user.username.title()}")
    bio = "Writes about work, one part at a time."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    """A published post, a day old unless told otherwise."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-number-{n}")
    # One author for every post unless a test names one: authorship rarely matters.
    author = factory.SubFactory(UserFactory, username="author")
    body = "<p>Some words worth reading.</p>"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
        )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ImageFactory(factory.django.DjangoModelFactory):
    """An uploaded picture made by Pillow in memory (set MEDIA_ROOT to a tmp dir)."""

    class Meta:
        model = Image

    file = factory.django.ImageField(width=1200, height=800, color="teal", format="JPEG")
    alt = factory.Sequence(lambda n: f"Picture {n}")


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "<p>A page.</p>"
    status = Status.PUBLISHED


class CommentFactory(factory.django.DjangoModelFactory):
    """A public comment on a published post; `parent=` makes it a reply."""

    class Meta:
        model = BlogComment
        exclude = ["post", "parent"]

    post = factory.SubFactory(PostFactory)
    parent = None
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Post))
    object_pk = factory.LazyAttribute(lambda o: str(o.post.pk))
    site_id = 1
    user_name = factory.Faker("name")
    user_email = factory.Sequence(lambda n: f"reader{n}@example.com")
    comment = factory.Faker("sentence")
    submit_date = factory.LazyFunction(timezone.now)
    ip_address = "192.0.2.10"
    parent_id = factory.LazyAttribute(lambda o: o.parent.pk if o.parent else 0)
    state = State.PUBLIC


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    title = factory.Sequence(lambda n: f"Guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")


class ImportedItemFactory(factory.django.DjangoModelFactory):
    """What an import remembered of a WordPress post; `target=` is what it became."""

    class Meta:
        model = ImportedItem
        exclude = ["target"]

    target = None
    site = "https://old.example.org"
    wp_type = ImportedItem.Type.POST
    wp_id = factory.Sequence(lambda n: str(100 + n))
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.target) if o.target else None
    )
    object_id = factory.LazyAttribute(lambda o: o.target.pk if o.target else None)


def bulk_posts(count, author=None, start=None, prefix="Bulk post"):
    """Many published posts in one query, a day apart, oldest first."""
    author = author or UserFactory()
    start = start or timezone.now() - timedelta(days=count + 1)
    return Post.objects.bulk_create(
        Post(
            title=f"{prefix} {n}",
            slug=f"{slugify(prefix)}-{n}",
            author=author,
            body="<p>Bulk.</p>",
            status=Status.PUBLISHED,
            published_at=start + timedelta(days=n),
        )
        for n in range(1, count + 1)
    )


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed follower of a series (`series=None`: of all new posts)."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"follower{n}@example.com")
    series = factory.SubFactory(SeriesFactory)
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(confirmed_at=None)


def bulk_followers(count, series, prefix="follower"):
    """Many confirmed followers of a series in one query."""
    now = timezone.now()
    return Subscription.objects.bulk_create(
        Subscription(email=f"{prefix}{n}@example.com", series=series, confirmed_at=now)
        for n in range(count)
    )
