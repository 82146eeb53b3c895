"""A small blog with one of everything a reader can open, and the URL of each page:
shared by the tests that look at every reader page (axe, image dimensions)."""

from series.models import GuideVolume, SeriesPart
from tests.factories import (
    AuthorProfileFactory,
    CategoryFactory,
    CommentFactory,
    GuideFactory,
    ImageFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
    bulk_posts,
)

# What an imported post's body holds: the elements the theme must style legibly.
RICH_BODY = (
    "<p>Text with <a href='https://example.com/'>a link</a> and <code>code</code>.</p>"
    "<h2>A heading</h2><blockquote><p>A quotation.</p></blockquote>"
    "<ul><li>one</li><li>two</li></ul><pre><code>print('hi')</code></pre>"
    "<table><tr><th>Year</th><th>Posts</th></tr><tr><td>2024</td><td>12</td></tr></table>"
)


def reader_blog():
    """Create the blog (MEDIA_ROOT must be a scratch folder) and return
    {name: path} for every kind of reader page."""
    category, tag = CategoryFactory(slug="c"), TagFactory(slug="t")
    series, guide = SeriesFactory(slug="s", title="A series"), GuideFactory(slug="g")
    posts = bulk_posts(3, prefix="Part")
    for number, part in enumerate(posts, 1):
        SeriesPart.objects.create(series=series, post=part, number=number)
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=3)
    guide.add_posts(posts)
    figure = ImageFactory(alt="A figure")
    body = f'{RICH_BODY}<figure><img src="{figure.file.url}" alt="A figure"></figure>'
    post = PostFactory(
        title="Discussed", slug="discussed", categories=[category], tags=[tag],
        body=body, featured_image=ImageFactory(alt="A teal picture"),
    )  # fmt: skip
    top = CommentFactory(post=post, user_name="Ada", user_url="https://ada.example")
    CommentFactory(post=post, parent=top, user_name="Ben")
    AuthorProfileFactory(user=post.author, bio="Writes.", website="https://a.example/")
    PageFactory(slug="about", title="About")
    return {
        "home": "/", "post": post.get_absolute_url(),
        "reply": f"{post.get_absolute_url()}?replytocom={top.pk}#respond",
        "page": "/about/", "category": "/category/c/", "tag": "/tag/t/",
        "author": f"/author/{post.author.username}/", "archive": f"/{post.published_at:%Y}/",
        "series-list": "/series/", "series": "/series/s/",
        "series-part": posts[1].get_absolute_url(), "guides": "/guides/", "guide": "/guides/g/",
        "guide-volume": "/guides/g/volume/2/", "search": "/search/?q=part",
        "search-none": "/search/?q=zebra", "not-found": "/no-such-page/",
    }  # fmt: skip
