"""Which stored addresses may become a redirect's Location."""

import pytest

from core.safe_urls import redirectable


@pytest.mark.parametrize(
    "url",
    ["https://old.example/wp-content/a.png", "http://old.example/a.png", "/2024/01/02/post/"],
)
def test_web_addresses_and_local_paths_pass(url):
    assert redirectable(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x",
        "vbscript:x", "//evil.example/x", "/\\evil.example", "https://", "https:///path",
        "ftp://old.example/a.png", "relative/path", "https://old.example/a\nb", "http://[::1",
        "", None,
    ],
)  # fmt: skip
def test_anything_else_is_refused(url):
    assert redirectable(url) is None
