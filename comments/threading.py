"""Where a new comment goes in its thread, written with the insert itself.

django-comments-xtd stores a thread in pre-order: `order` numbers the comments of a
thread top to bottom, `level` is the depth, and each comment's `nested_count` is the
number of its descendants. xtd computes a new reply's place with a query per
ancestor, a count, an aggregate and a second save of every table. Here the same
numbers cost one UPDATE before the insert, and none for a top-level comment:

- a reply goes right after its parent's last descendant: before the first comment
  after the parent whose level is at most the parent's (that one and everything
  after it move down by one), else at the end of the thread;
- its ancestors are, for each level up to the parent's, the last comment of that
  level at or before the parent (pre-order), and each gains one nested reply.

Values the insert cannot know in Python (the new row's `order`) are SQL
subqueries read at insert time, so no placement goes stale while the spam check
waits on the network.
"""

from django.db import connection
from django.db.models.expressions import RawSQL
from django_comments_xtd.models import MaxThreadLevelExceededException, XtdComment

# Written in SQL: on this hot path, building the same statement from ORM expressions
# (nine subqueries) cost more time than running it. Plain SQL that PostgreSQL and
# SQLite both read; every subquery names its own table alias. Only quoted names of
# xtd's table go into the text; every value is a parameter (the S608 notes below).
_q = connection.ops.quote_name
TABLE = _q(XtdComment._meta.db_table)
ID, THREAD, LEVEL, ORDER, NESTED = map(
    _q, ("comment_ptr_id", "thread_id", "level", "order", "nested_count")
)
# The parent's order now (it moves as replies arrive); params: parent id.
PARENT_ORDER = f"(SELECT p.{ORDER} FROM {TABLE} p WHERE p.{ID} = %s)"  # noqa: S608
# The first comment after the parent's descendants, NULL at the end of the thread;
# params: thread, parent level, parent id.
AFTER = (
    f"(SELECT MIN(a.{ORDER}) FROM {TABLE} a WHERE a.{THREAD} = %s AND a.{LEVEL} <= %s"  # noqa: S608
    f" AND a.{ORDER} > {PARENT_ORDER})"
)
# The parent and its ancestors: the last comment of each level up to the parent's;
# params: thread, parent level, parent id.
ANCESTORS = (
    f"(SELECT MAX(s.{ORDER}) FROM {TABLE} s WHERE s.{THREAD} = %s AND s.{LEVEL} <= %s"  # noqa: S608
    f" AND s.{ORDER} <= {PARENT_ORDER} GROUP BY s.{LEVEL})"
)
MAKE_ROOM = (
    f"UPDATE {TABLE} SET"  # noqa: S608
    f" {ORDER} = CASE WHEN {ORDER} >= {AFTER} THEN {ORDER} + 1 ELSE {ORDER} END,"
    f" {NESTED} = CASE WHEN {ORDER} IN {ANCESTORS} THEN {NESTED} + 1 ELSE {NESTED} END"
    f" WHERE {THREAD} = %s AND ({ORDER} >= {AFTER} OR {ORDER} IN {ANCESTORS})"
)
# After the move, the first comment after the parent's descendants sits one below
# the free place; with none, the reply ends the thread. Params: AFTER's, thread.
NEW_ORDER = (
    f"COALESCE({AFTER} - 1, (SELECT MAX(e.{ORDER}) FROM {TABLE} e WHERE e.{THREAD} = %s) + 1)"  # noqa: S608
)


def make_room_for_reply(comment, parent, max_level):
    """Give the unsaved reply `comment` its thread and level, move the comments after
    its place down by one and count it in its ancestors, in one UPDATE; its `order`
    becomes a subquery that the insert evaluates. Call inside the insert's transaction."""
    if parent.level >= max_level:
        raise MaxThreadLevelExceededException(comment)
    comment.thread_id, comment.level = parent.thread_id, parent.level + 1
    where = [parent.thread_id, parent.level, parent.pk]
    with connection.cursor() as cursor:
        cursor.execute(MAKE_ROOM, [*where, *where, parent.thread_id, *where, *where])
    comment.order = RawSQL(NEW_ORDER, [*where, parent.thread_id])  # noqa: S611 (ids only)
