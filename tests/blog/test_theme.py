"""The theme: the custom properties other areas rely on, in light and dark; a small
stylesheet; no layout shift from images; featured images on listings at no extra
query per post."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ImageFactory, PostFactory
from tests.reader_pages import reader_blog

pytestmark = pytest.mark.django_db

SHARED_PROPERTIES = ("--text", "--text-muted", "--bg", "--surface", "--border", "--accent",
                     "--accent-contrast", "--danger", "--radius", "--space", "--font-ui",
                     "--font-reading")  # fmt: skip
COLOURS = SHARED_PROPERTIES[:8]


@pytest.fixture
def site_css():
    """The stylesheet collectstatic collects and production serves."""
    with open(finders.find("css/site.css"), encoding="utf-8") as stylesheet:
        return stylesheet.read()


def declared(css_block):
    return set(re.findall(r"(--[\w-]+)\s*:", css_block))


def test_the_stylesheet_stays_under_20_kb_gzipped_and_loads_nothing_foreign(site_css):
    assert len(gzip.compress(site_css.encode(), 9)) < 20 * 1024
    assert "@import" not in site_css and "url(http" not in site_css and "@font-face" not in site_css


def test_shared_custom_properties_are_defined_and_every_colour_has_a_dark_value(site_css):
    light = site_css[site_css.index(":root {") : site_css.index("@media (prefers-color-scheme")]
    dark_start = site_css.index("@media (prefers-color-scheme: dark)")
    dark = site_css[dark_start : site_css.index("\n}\n", dark_start)]
    assert set(SHARED_PROPERTIES) <= declared(light)
    assert set(COLOURS) <= declared(dark)


def test_pages_declare_both_colour_schemes(client):
    html = client.get("/").content.decode()
    assert '<meta name="color-scheme" content="light dark">' in html


def test_every_image_on_every_reader_page_has_its_dimensions(client, settings, tmp_path):
    """Width and height reserve the space before the picture arrives: no layout shift."""
    settings.MEDIA_ROOT = tmp_path
    seen = 0
    for name, path in reader_blog().items():
        cache.clear()
        html = client.get(path).content.decode()
        for img in re.findall(r"<img\b[^>]*>", html):
            seen += 1
            assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), (
                name,
                img,
            )
    assert seen >= 4  # featured on home and post, the body's figure, the author's face


def home_with_featured_posts(client, count, image):
    for _ in range(count):
        PostFactory(featured_image=image)
    cache.clear()


def test_the_home_page_shows_featured_images_sized_with_no_query_per_post(
    client, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT, settings.PAGE_CACHE = tmp_path, False
    image = ImageFactory()
    home_with_featured_posts(client, 5, image)
    client.get("/")  # per-process caches (the Site record) fill on the first request
    cache.clear()
    with CaptureQueriesContext(connection) as five:
        client.get("/")
    home_with_featured_posts(client, 5, ImageFactory())
    with django_assert_num_queries(len(five)):
        html = client.get("/").content.decode()
    figures = re.findall(r'<figure class="featured-image">.*?</figure>', html)
    assert len(figures) == 10
    for figure in figures:
        assert re.search(r'width="\d+" height="\d+"', figure) and 'alt="Picture' in figure
    assert 'loading="lazy"' not in figures[0] and 'loading="lazy"' in figures[-1]
