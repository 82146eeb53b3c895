"""Series and guides: numbering rules, reader pages and what a post shows."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from series.models import GuideVolume, Posting, SeriesPart
from tests.factories import (
    CommentFactory,
    GuideFactory,
    PostFactory,
    SeriesFactory,
    bulk_posts,
)

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def series():
    return SeriesFactory(title="Offering value", slug="offering-value")


def add_parts(series, posts):
    return [SeriesPart.objects.create(series=series, post=post) for post in posts]


# Numbering


def test_parts_get_the_next_free_number(series):
    parts = add_parts(series, bulk_posts(3))
    assert [p.number for p in parts] == [1, 2, 3]
    assert series.next_number() == 4


def test_a_hand_set_part_number_may_fill_a_gap_but_not_open_one(series):
    posts = bulk_posts(4)
    add_parts(series, posts[:2])
    SeriesPart.objects.filter(number=1).delete()
    assert series.number_gaps() == [1]
    SeriesPart(series=series, post=posts[2], number=1).full_clean()  # fills the gap
    with pytest.raises(ValidationError, match="the next free number is 3"):
        SeriesPart(series=series, post=posts[2], number=7).full_clean()
    with pytest.raises(ValidationError, match="Part 2 is already “Bulk post 2”"):
        SeriesPart(series=series, post=posts[3], number=2).full_clean()


def test_database_keeps_part_numbers_unique_and_a_post_in_one_series(series):
    posts = bulk_posts(2)
    add_parts(series, posts[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesPart.objects.create(series=series, post=posts[1], number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesPart.objects.create(series=SeriesFactory(), post=posts[0], number=1)


def test_renumbering_follows_publication_order(series):
    old, new = bulk_posts(2)
    SeriesPart.objects.create(series=series, post=new, number=1)
    SeriesPart.objects.create(series=series, post=old, number=2)
    series.renumber_by_publication()
    assert dict(series.parts.values_list("post_id", "number")) == {old.pk: 1, new.pk: 2}


def test_a_scheduled_part_takes_its_place_without_renumbering(client, series, time_machine):
    first, third = bulk_posts(2)
    add_parts(series, [first])
    scheduled = PostFactory(
        title="The scheduled part", published_at=timezone.now() + timedelta(hours=1)
    )
    add_parts(series, [scheduled, third])
    page = client.get(series.get_absolute_url()).content.decode()
    assert "The scheduled part" not in page
    assert '<li value="3" id="part-3">' in page
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    page = client.get(series.get_absolute_url()).content.decode()
    assert '<li value="2" id="part-2">' in page and "The scheduled part" in page
    assert list(series.parts.values_list("number", flat=True)) == [1, 2, 3]


def test_guide_numbers_posts_in_publication_order_across_calls():
    guide = GuideFactory()
    posts = bulk_posts(5)
    created = guide.add_posts([posts[3], posts[0], posts[2]])
    assert [(p.post, p.number) for p in created] == [(posts[0], 1), (posts[2], 2), (posts[3], 3)]
    guide.add_posts([posts[1], posts[0]])  # already listed posts are skipped
    assert guide.postings.get(post=posts[1]).number == 4


def test_a_hand_set_posting_number_is_checked():
    guide = GuideFactory()
    posts = bulk_posts(3)
    guide.add_posts(posts[:2])
    with pytest.raises(ValidationError, match="Posting 2 is already"):
        Posting(guide=guide, post=posts[2], number=2).full_clean()
    with pytest.raises(ValidationError, match="the next free number is 3"):
        Posting(guide=guide, post=posts[2], number=30).full_clean()
    with pytest.raises(ValidationError, match="already listed in this guide"):
        Posting(guide=guide, post=posts[0], number=3).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(guide=guide, post=posts[2], number=1)


def test_a_post_may_be_listed_in_several_guides():
    post = PostFactory()
    first, second = GuideFactory(), GuideFactory()
    first.add_posts([post])
    second.add_posts([post])
    assert post.postings.count() == 2


def test_a_guide_listing_a_series_lists_its_future_parts_too(series):
    guide = GuideFactory()
    guide.add_posts(bulk_posts(2, prefix="Standalone"))
    add_parts(series, bulk_posts(3, prefix="Part"))
    guide.add_series(series)
    assert list(guide.postings.order_by("number").values_list("post__title", flat=True)) == [
        "Standalone 1", "Standalone 2", "Part 1", "Part 2", "Part 3",
    ]  # fmt: skip
    newest = PostFactory(title="Part 4")
    SeriesPart.objects.create(series=series, post=newest)
    assert guide.postings.get(post=newest).number == 6


def test_volumes_run_in_order():
    guide = GuideFactory()
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=311)
    with pytest.raises(ValidationError, match="Volume 1 starts at posting 1"):
        GuideVolume(guide=guide, number=1, first_number=5).full_clean()
    with pytest.raises(ValidationError, match="each starts after the one before"):
        GuideVolume(guide=guide, number=3, first_number=200).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideVolume.objects.create(guide=guide, number=4, first_number=311)


# Reader pages


@pytest.fixture
def guide_with_series(series):
    """Volume 1: postings 1-3; volume 2: a series as postings 4-7 (7 is a draft part,
    hidden), then a standalone post as posting 8."""
    guide = GuideFactory(
        title="Guide to Job Search", slug="job-search", introduction="<p>Intro words</p>"
    )
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=4)
    guide.add_posts(bulk_posts(3, start=days_ago(100), prefix="Early"))
    add_parts(series, bulk_posts(3, start=days_ago(50), prefix="Offering value"))
    add_parts(series, [PostFactory(title="Hidden draft part", draft=True)])
    guide.add_series(series)
    guide.add_posts([PostFactory(title="Late standalone", published_at=days_ago(1))])
    return guide


def test_series_list_shows_counts_and_spans(client, guide_with_series):
    html = client.get("/series/").content.decode()
    assert "Offering value" in html
    assert "3 parts," in html


def test_series_page_lists_parts_in_order_with_comment_counts(client, series, guide_with_series):
    first = series.parts.get(number=1).post
    CommentFactory.create_batch(2, post=first)
    html = client.get("/series/offering-value/").content.decode()
    titles = ["Offering value 1", "Offering value 2", "Offering value 3"]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "Hidden draft part" not in html
    assert "2&nbsp;comments" in html


def test_a_part_says_where_it_belongs_and_links_its_neighbours(client, series, guide_with_series):
    second = series.parts.get(number=2).post
    html = client.get(second.get_absolute_url()).content.decode()
    assert 'href="/series/offering-value/">Part 2 of Offering value</a>' in html
    first, third = series.parts.get(number=1).post, series.parts.get(number=3).post
    assert f'href="{first.get_absolute_url()}" rel="prev">← Part 1 · Offering value 1</a>' in html
    assert f'href="{third.get_absolute_url()}" rel="next">Part 3 · Offering value 3 →</a>' in html
    assert '<strong aria-current="page">Offering value 2</strong> (this part)' in html
    assert "Hidden draft part" not in html
    assert 'Posting 5 in <a href="/guides/job-search/posting/5/">Guide to Job Search</a>' in html


def main(response):
    """The page's main content, without the sidebar's recent posts."""
    return response.content.decode().split("<main")[1].split("</main>")[0]


def test_guide_directory_with_volumes_groups_and_ranges(client, guide_with_series):
    first = main(client.get("/guides/job-search/"))
    assert "Intro words" in first
    assert '<li value="1" id="posting-1">' in first and "Early 1" in first
    assert "Offering value 1" not in first
    assert "Volume 2, postings 4–8" in first
    second = main(client.get("/guides/job-search/volume/2/"))
    assert "Offering value</a>, Parts 1–3 <small>(postings 4–6)</small>" in second
    assert '<li value="8" id="posting-8">' in second and "Late standalone" in second
    assert 'id="posting-7"' not in second
    assert "Volume 1, postings 1–3" in second
    assert "Hidden draft part" not in second
    assert "Intro words" not in second


def test_a_volume_is_titled_as_a_volume_of_its_guide_with_its_navigation_once(
    client, guide_with_series
):
    response = client.get("/guides/job-search/volume/2/")
    html, second = response.content.decode(), main(response)
    assert "<title>Guide to Job Search – Volume 2, postings 4–8 — " in html
    assert '<h1 class="page-heading">Volume 2, postings 4–8</h1>' in second
    assert '"guide-context"><a href="/guides/job-search/">Guide to Job Search</a>' in second
    assert second.count('class="volume-nav"') == 1 and second.count("Volume 1, postings 1–3") == 1
    assert 'href="/guides/job-search/" rel="prev">Volume 1, postings 1–3</a>' in second
    first = client.get("/guides/job-search/")
    assert "<title>Guide to Job Search – Volume 1, postings 1–3 — " in first.content.decode()
    assert '<h1 class="page-heading">Guide to Job Search</h1>' in main(first)
    assert main(first).count("Volume 2, postings 4–8") == 1


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Offering value 3: Saying no", "Saying no"),
        ("offering value, part 3 – Saying no", "Saying no"),
        ("Part 3: Saying no", "Saying no"),
        ("3. Saying no", "Saying no"),
        ("Offering value 3", "Offering value 3"),  # nothing left: the whole title
        ("Offering value 31: Later", "Offering value 31: Later"),  # another part's number
        ("Offering value 3.5 percent", "Offering value 3.5 percent"),
        ("Saying no", "Saying no"),
    ],
)
def test_a_parts_short_title_drops_the_series_name_and_number(series, title, short):
    part = SeriesPart(series=series, post=PostFactory.build(title=title), number=3)
    assert part.short_title == short


def test_the_series_page_names_each_part_once(client, series):
    posts = [PostFactory(title=f"Offering value {n}: Topic {n}") for n in (1, 2)]
    add_parts(series, posts)
    html = main(client.get("/series/offering-value/"))
    assert '<span class="part-number">Part 1</span> · Topic 1</a>' in html
    assert "Offering value 1" not in html and "Part 1:" not in html
    part_page = main(client.get(posts[1].get_absolute_url()))
    assert "← Part 1 · Topic 1</a>" in part_page


def test_volume_urls_and_posting_links(client, guide_with_series):
    assert client.get("/guides/job-search/volume/1/")["Location"] == "/guides/job-search/"
    assert client.get("/guides/job-search/volume/9/").status_code == 404
    assert client.get("/guides/nope/").status_code == 404
    response = client.get("/guides/job-search/posting/5/")
    assert response["Location"] == "/guides/job-search/volume/2/#posting-5"
    assert (
        client.get("/guides/job-search/posting/2/")["Location"] == "/guides/job-search/#posting-2"
    )
    assert client.get("/guides/job-search/posting/99/").status_code == 404


def test_guide_list(client, guide_with_series):
    html = client.get("/guides/").content.decode()
    assert "Guide to Job Search" in html and "7 postings in 2 volumes" in html


def test_unpublished_posts_never_show_in_guides_or_series(client, series):
    guide = GuideFactory(slug="g")
    add_parts(
        series,
        [PostFactory(title="Secret", draft=True), PostFactory(title="Later", scheduled=True)],
    )
    guide.add_series(series)
    for url in ("/series/", "/series/offering-value/", "/guides/", "/guides/g/"):
        html = client.get(url).content.decode()
        assert "Secret" not in html and "Later" not in html, url


# Internal links


def test_internal_links_follow_their_post():
    target = PostFactory(title="Where it started", slug="start")
    post = PostFactory(
        body=f"<p>See [[post:{target.pk}]] and [[post:{target.pk}|the beginning]].</p>"
    )
    html = Client().get(post.get_absolute_url()).content.decode()
    assert f'See <a href="{target.get_absolute_url()}">Where it started</a>' in html
    assert f'<a href="{target.get_absolute_url()}">the beginning</a>' in html
    target.slug, target.title = "renamed", "Renamed"
    target.save()
    html = Client().get(post.get_absolute_url()).content.decode()
    assert f'<a href="{target.get_absolute_url()}">Renamed</a>' in html


def test_internal_links_to_unpublished_posts_are_plain_text():
    draft = PostFactory(draft=True, title="Not yet")
    post = PostFactory(
        body=f"<p>Soon: [[post:{draft.pk}|a <b>coming</b> post]]. [[post:999999]]</p>"
    )
    html = Client().get(post.get_absolute_url()).content.decode()
    assert "Soon: a coming post. </p>" in html
    assert "Not yet" not in html and "[[post:" not in html
    assert "a coming post" in post.summary and "[[" not in post.summary
