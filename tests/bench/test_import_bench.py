"""The import benchmark runs (a smoke test on a tiny export; the real figures come
from `make bench-import`)."""

from io import StringIO

import pytest
from django.core.management import call_command

from blog.models import Post
from comments.models import BlogComment

pytestmark = pytest.mark.django_db


def test_benchmark_imports_its_synthetic_export_and_reports_figures():
    out = StringIO()
    call_command("bench_import", "--posts", "8", "--comments", "30", stdout=out)
    assert Post.objects.count() == 8
    assert BlogComment.objects.count() == 30
    assert BlogComment.objects.filter(level=2).exists()  # threads, not just top-level
    assert "Export: 8 posts, 30 comments" in out.getvalue()
    assert "peak memory" in out.getvalue()
