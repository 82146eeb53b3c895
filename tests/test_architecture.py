"""The apps depend one way (docs/architecture.md): what each may import, and the
blog's templates naming nothing of series or comments."""

import ast
import re

import pytest

from tests import ROOT

APPS = ["core", "blog", "series", "comments", "likes", "readers", "wordpress", "demo", "bench"]
MAY_USE = {
    "core": set(),
    "blog": {"core"},
    "series": {"core", "blog"},
    "comments": {"core", "blog"},
    "likes": {"core", "blog"},
    "readers": {"core", "blog", "comments"},
    "wordpress": {"core", "blog", "series", "comments"},
    "demo": {"core", "blog", "series", "comments", "likes"},
    "bench": {"core", "blog", "series", "comments", "likes", "wordpress", "demo"},
}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                yield top, node.lineno


@pytest.mark.parametrize("app", [app for app in APPS if (ROOT / app).is_dir()])
def test_each_app_imports_only_the_apps_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {used}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for used, line in imported_apps(path)
        if used != app and used not in MAY_USE[app]
    ]
    assert wrong == []


BLOG_TEMPLATES = ["templates/base.html", "templates/blog", "templates/includes"]
FOREIGN = re.compile(
    r"series_tags|comment_tags|readers_tags|['\"](series|comments|likes|readers|wordpress):"
)


def test_the_blogs_templates_name_nothing_of_the_other_apps():
    files = []
    for name in BLOG_TEMPLATES:
        path = ROOT / name
        files += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    wrong = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in FOREIGN.finditer(path.read_text())
    ]
    assert len(files) > 5 and wrong == []
