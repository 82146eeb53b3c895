"""`make page-weight`: the command loads a page in chromium and reports its figures."""

import io
import re

import pytest
from django.core.management import call_command

from bench.page_weight import FIELDS
from tests.browser.conftest import plain_static_names  # noqa: F401 (autouse: plain names)
from tests.factories import CommentFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_page_weight_reports_requests_and_bytes_by_kind(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    post = PostFactory(slug="weighed")
    CommentFactory(post=post)
    out = io.StringIO()
    call_command("page_weight", path=post.get_absolute_url(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"page {post.get_absolute_url()}"
    for width, line in zip(("1280px", "390px"), lines[1:], strict=True):
        figures = dict(re.findall(r"(\w+)=([\d.]+)", line))
        assert line.startswith(width)
        assert set(figures) == set(FIELDS)
        assert int(figures["requests"]) >= 2  # the page and its stylesheet
        assert float(figures["html"]) > 0 and float(figures["css"]) > 0
        assert float(figures["total"]) >= float(figures["html"]) + float(figures["css"])
