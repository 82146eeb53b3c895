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

from django.db.models import Case, F, Max, Min, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django_comments_xtd.models import MaxThreadLevelExceededException, XtdComment


def thread_rows(thread_id):
    return XtdComment.norel_objects.filter(thread_id=thread_id).order_by()


def current_order(parent_pk):
    """The parent's order as the database has it now (it moves as replies arrive)."""
    return Subquery(XtdComment.norel_objects.filter(pk=parent_pk).values("order")[:1])


def first_order_after(parent):
    """The order of the first comment after `parent`'s descendants (None at the end)."""
    rows = thread_rows(parent.thread_id).filter(
        level__lte=parent.level, order__gt=current_order(parent.pk)
    )
    return Subquery(rows.values("thread_id").annotate(first=Min("order")).values("first"))


def ancestor_orders(parent):
    """The orders of `parent` and its ancestors: the last of each level up to it."""
    rows = thread_rows(parent.thread_id).filter(
        level__lte=parent.level, order__lte=current_order(parent.pk)
    )
    return rows.values("level").annotate(last=Max("order")).values("last")


def make_room_for_reply(comment, parent, max_level):
    """Give the unsaved reply `comment` its thread and level, move the comments after
    its place down by one and count it in its ancestors, in one UPDATE; its `order`
    becomes a subquery that the insert evaluates. Call inside the insert's transaction."""
    if parent.level >= max_level:
        raise MaxThreadLevelExceededException(comment)
    comment.thread_id, comment.level = parent.thread_id, parent.level + 1
    after = first_order_after(parent)
    ancestors = ancestor_orders(parent)
    thread_rows(parent.thread_id).filter(Q(order__gte=after) | Q(order__in=ancestors)).update(
        order=Case(When(order__gte=after, then=F("order") + 1), default=F("order")),
        nested_count=Case(
            When(order__in=ancestors, then=F("nested_count") + 1), default=F("nested_count")
        ),
    )
    # After the move, the first comment after the parent's descendants sits one
    # below the free place; with none, the reply ends the thread.
    last = Subquery(
        thread_rows(parent.thread_id).values("thread_id").annotate(last=Max("order")).values("last")
    )
    comment.order = Coalesce(first_order_after(parent) - 1, Coalesce(last, Value(0)) + 1)
