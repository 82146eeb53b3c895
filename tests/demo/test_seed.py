"""seed_demo fills an empty blog once. The demo blog is seeded once for this class
(`setUpTestData`) and rolled back after it, so the other tests still start from an
empty database; each test's own changes (logins, a second run) are rolled back too."""

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from blog.models import Category, Page, Post
from comments.models import BlogComment, State
from likes.models import Like
from series.models import Guide, Series


def seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


class SeededDemoBlogTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # The logins go to a scratch file, not the project's .demo-credentials; the
        # second run in the idempotency test reads the same file.
        scratch = Path(cls.enterClassContext(tempfile.TemporaryDirectory()))
        cls.credentials = scratch / "credentials"
        cls.enterClassContext(
            mock.patch("demo.management.commands.seed_demo.CREDENTIALS_FILE", cls.credentials)
        )
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.first_output = seed_demo()

    def test_seed_demo_fills_the_blog_once(self):
        posts = Post.objects.count()
        assert posts >= 60
        assert Post.objects.published().count() == posts - 2
        assert Post.objects.filter(status="draft").count() == 1
        assert (
            Post.objects.filter(status="published").exclude(pk__in=Post.objects.published()).count()
            == 1
        )
        assert Category.objects.count() >= 5
        assert Category.objects.filter(parent__isnull=False).exists()
        assert Post.objects.filter(categories__isnull=False).count() > posts  # some in several
        years = {d.year for d in Post.objects.published().dates("published_at", "year")}
        assert len(years) >= 4
        assert Post.objects.values("author").distinct().count() >= 3
        assert Page.objects.filter(slug="privacy").exists()
        first_output = self.first_output
        assert "user 'admin', password '" in first_output

        likes = Like.objects.count()
        assert likes > 20 and not Like.objects.filter(user__isnull=False).exists()
        second_output = seed_demo()
        assert Post.objects.count() == posts
        assert Like.objects.count() == likes
        password_line = [line for line in first_output.splitlines() if "password" in line]
        assert password_line[0] in second_output

    def test_seed_demo_adds_discussions_series_and_a_guide(self):
        series = Series.objects.with_public_stats().get()
        assert series.part_count >= 22
        guide = Guide.objects.get()
        assert list(guide.volumes.values_list("number", "first_number")) == [(1, 1), (2, 311)]
        assert guide.series_links.filter(series=series).exists()
        assert guide.postings.filter(number__gte=311, post__series_part__isnull=True).exists()
        per_post = (
            BlogComment.objects.public().values("object_pk").annotate(n=Count("pk")).order_by("-n")
        )
        assert per_post[0]["n"] >= 50
        assert BlogComment.objects.filter(level=4).exists()
        assert Post.objects.published().count() > per_post.count()  # some have none
        assert BlogComment.objects.filter(state=State.HELD).exists()
        assert BlogComment.objects.filter(state=State.SPAM).exists()

        moderator = get_user_model().objects.get(username="moderator")
        assert moderator.has_perm("comments.change_blogcomment")
        assert not moderator.has_perm("blog.change_post")

    def test_the_printed_demo_logins_work(self):
        password = self.credentials.read_text().strip()
        for username in ("admin", "moderator"):
            response = self.client.post(
                "/admin/login/?next=/admin/", {"username": username, "password": password}
            )
            assert response.status_code == 302, username
            assert response["Location"] == "/admin/"
            self.client.logout()

    def test_privacy_page_explains_storage_and_akismet(self):
        html = self.client.get("/privacy/").content.decode()
        assert "Akismet" in html and "90 days" in html and "IP address" in html
