import pytest
from django.core.management import call_command

from blog.models import Category, Page, Post

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_blog_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        "blog.management.commands.seed_demo.CREDENTIALS_FILE", tmp_path / "credentials"
    )
    call_command("seed_demo")
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
    first_output = capsys.readouterr().out
    assert "user 'admin', password '" in first_output

    call_command("seed_demo")
    assert Post.objects.count() == posts
    second_output = capsys.readouterr().out
    password_line = [line for line in first_output.splitlines() if "password" in line]
    assert password_line[0] in second_output
