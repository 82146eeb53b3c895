"""A database from before the wordpress app (the importer's ImportedItem in blog)
migrates to today's layout and keeps every row.

The test migrates the test database back to that layout (blog 0003_importeditem,
series and comments at 0001_initial, wordpress not there), writes through the
historical models, then migrates to the graph's leaf nodes, so migrations added
later to any app are part of the run. It leaves the database at the latest state.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blog.models import Category, Post
from comments.models import BlogComment, State
from series.models import Series, SeriesPart
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db(transaction=True)

# The leaf migrations of the apps involved, before ImportedItem left blog.
OLD_LAYOUT = [
    ("blog", "0003_importeditem"),
    ("series", "0001_initial"),
    ("comments", "0001_initial"),
]
# Apps that came later and depend on a newer blog go back to nothing (likes).
MIGRATED_BACK = {"blog", "series", "comments", "wordpress", "likes"}
PUBLISHED = datetime(2019, 5, 17, 9, 30, tzinfo=UTC)
COMMENTED = datetime(2019, 5, 18, 20, 5, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # see what was applied, for the next step
    return executor


def migrate_to_latest():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return migrate(leaves)


@pytest.fixture
def old_apps():
    """The app registry of the old layout, with the database migrated back to it."""
    try:
        executor = migrate([*OLD_LAYOUT, ("wordpress", None), ("likes", None)])
        # Every other app stays at its latest migration, as it was then.
        others = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in MIGRATED_BACK]
        yield executor.loader.project_state([*OLD_LAYOUT, *others]).apps
    finally:
        migrate_to_latest()
        ContentType.objects.clear_cache()


def write_old_rows(apps):
    """A user, a category, a post in it, a comment on it, a series with that post as
    part 1, the post's ImportedItem and an admin log entry about that item."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    post_type = ContentType.objects.get(app_label="blog", model="post")
    item_type = ContentType.objects.get(app_label="blog", model="importeditem")
    apps.get_model("sites", "Site").objects.get_or_create(
        pk=1, defaults={"domain": "example.com", "name": "example.com"}
    )

    user = apps.get_model("auth", "User").objects.create(
        username="mara", email="mara@example.org", password="!", is_staff=True
    )
    category = apps.get_model("blog", "Category").objects.create(
        name="Notes", slug="notes", description="Short pieces."
    )
    post = apps.get_model("blog", "Post").objects.create(
        title="Moving house, part 1", slug="moving-house-1", body="<p>Boxes.</p>",
        body_text="Boxes.", word_count=1, excerpt="Boxes.", status="published",
        published_at=PUBLISHED, author=user, sticky=True,
    )  # fmt: skip
    post.categories.add(category)
    comment = apps.get_model("comments", "BlogComment").objects.create(
        content_type=post_type, object_pk=str(post.pk), site_id=1, user_name="Reader",
        user_email="reader@example.org", user_url="https://reader.example.org/",
        comment="Good luck with the move.", submit_date=COMMENTED, ip_address="192.0.2.7",
        is_public=True, is_removed=False, level=0, order=1, state="public",
        reason="imported from WordPress", verdict="ham", user_agent="Firefox",
    )  # fmt: skip
    comment.thread_id = comment.pk  # xtd's save() does this; historical models do not
    comment.save(update_fields=["thread_id"])
    series = apps.get_model("series", "Series").objects.create(
        title="Moving house", slug="moving-house", description="<p>All of it.</p>"
    )
    apps.get_model("series", "SeriesPart").objects.create(series=series, post=post, number=1)
    item = apps.get_model("blog", "ImportedItem").objects.create(
        site="https://old.example.org", wp_type="post", wp_id="123",
        guid="https://old.example.org/?p=123", old_path="/2019/05/17/moving-house-1/",
        content_type=post_type, object_id=post.pk,
    )  # fmt: skip
    apps.get_model("admin", "LogEntry").objects.create(
        user=user, content_type=item_type, object_id=str(item.pk),
        object_repr="WordPress post 123", action_flag=CHANGE, change_message="[]",
        action_time=COMMENTED,
    )  # fmt: skip
    return {"user": user.pk, "post": post.pk, "comment": comment.pk, "item": item.pk,
            "item_type": item_type.pk, "series": series.pk}  # fmt: skip


def test_every_row_survives_the_move_to_the_wordpress_app(old_apps, client):
    old = write_old_rows(old_apps)
    old_table = old_apps.get_model("blog", "ImportedItem")._meta.db_table

    migrate_to_latest()
    ContentType.objects.clear_cache()

    assert ImportedItem._meta.db_table == old_table  # the table was taken over, not copied
    assert get_user_model().objects.get().username == "mara"
    category = Category.objects.get()
    assert (category.slug, category.description) == ("notes", "Short pieces.")
    post = Post.objects.get()
    assert (post.pk, post.slug, post.published_at) == (old["post"], "moving-house-1", PUBLISHED)
    assert (post.title, post.body) == ("Moving house, part 1", "<p>Boxes.</p>")
    assert post.sticky and post.is_public and post.author.username == "mara"
    assert list(post.categories.all()) == [category]

    comment = BlogComment.objects.get()
    assert comment.pk == comment.thread_id == old["comment"]
    assert (comment.user_name, comment.submit_date) == ("Reader", COMMENTED)
    assert comment.comment == "Good luck with the move."
    assert (comment.state, comment.verdict) == (State.PUBLIC, "ham")
    assert comment.reason == "imported from WordPress"
    assert comment.content_object == post

    part = SeriesPart.objects.get()
    assert (part.series_id, part.post_id, part.number) == (old["series"], post.pk, 1)
    assert Series.objects.get().slug == "moving-house"

    item = ImportedItem.objects.get()
    assert (item.pk, item.wp_type, item.wp_id) == (old["item"], "post", "123")
    assert item.site == "https://old.example.org"
    assert item.guid == "https://old.example.org/?p=123"
    assert item.old_path == "/2019/05/17/moving-house-1/"
    assert item.content_object == post
    assert ImportedItem.objects.public_url(["post"], "123") == post.get_absolute_url()

    # The content type moved with the model: same row, so permissions and the admin
    # history follow; no stale blog.importeditem is left behind.
    item_type = ContentType.objects.get_for_model(ImportedItem)
    assert (item_type.pk, item_type.app_label) == (old["item_type"], "wordpress")
    assert not ContentType.objects.filter(app_label="blog", model="importeditem").exists()
    assert Permission.objects.filter(content_type=item_type, codename="view_importeditem")
    entry = LogEntry.objects.get()
    assert entry.get_edited_object() == item
    assert entry.get_admin_url() == f"/admin/wordpress/importeditem/{item.pk}/change/"

    # And the old links the item stands for still redirect.
    response = client.get("/?p=123")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
