"""Comments in bulk, threaded exactly as django-comments-xtd threads them one save at a
time, so that a benchmark can hold a hundred thousand of them in seconds."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from blog.models import Post
from comments.models import BlogComment, State, Verdict, render_comment_text

BATCH_SIZE = 2000


@dataclass
class Draft:
    """A comment to insert. `parent` is the index of its parent in the same list
    (which must come earlier), or None for the first comment of a thread."""

    post_id: int
    parent: int | None
    text: str
    when: datetime
    name: str
    email: str
    url: str = ""
    state: str = State.PUBLIC


def thread_fields(parents):
    """Each comment's (thread root index, level, order, nested_count) as xtd computes
    them: `order` is the position in the thread read depth first with replies in the
    order written, `nested_count` the number of replies below the comment."""
    children = [[] for _ in parents]
    roots = []
    for index, parent in enumerate(parents):
        (roots if parent is None else children[parent]).append(index)
    size = len(parents)
    root, level, order, nested = [0] * size, [0] * size, [1] * size, [0] * size
    for thread_root in roots:
        depth_first, stack = [], [thread_root]
        while stack:
            index = stack.pop()
            depth_first.append(index)
            root[index] = thread_root
            for child in reversed(children[index]):
                level[child] = level[index] + 1
                stack.append(child)
        for position, index in enumerate(depth_first, start=1):
            order[index] = position
        for index in reversed(depth_first):
            if parents[index] is not None:
                nested[parents[index]] += nested[index] + 1
    return root, level, order, nested


def insert_comments(drafts):
    """Insert the drafts with their thread data; return the number inserted.

    Django will not bulk_create a model with multi-table inheritance, and BlogComment
    has three tables: the base rows go in with bulk_create (which returns their ids),
    then the two child tables with one executemany each.
    """
    root, level, order, nested = thread_fields([draft.parent for draft in drafts])
    content_type = ContentType.objects.get_for_model(Post)
    comments = [
        BlogComment(
            content_type=content_type,
            object_pk=str(draft.post_id),
            site_id=settings.SITE_ID,
            user_name=draft.name,
            user_email=draft.email,
            user_url=draft.url,
            comment=draft.text,
            comment_html=render_comment_text(draft.text),
            submit_date=draft.when,
            ip_address="198.51.100.7",
            is_public=draft.state == State.PUBLIC,
            state=draft.state,
            verdict=Verdict.HAM,
            reason="passed screening"
            if draft.state == State.PUBLIC
            else "policy: first comment from this commenter",
            level=level[index],
            order=order[index],
            nested_count=nested[index],
        )
        for index, draft in enumerate(drafts)
    ]
    base_fields = [
        field.attname for field in Comment._meta.concrete_fields if not field.primary_key
    ]
    base_rows = Comment.objects.bulk_create(
        [Comment(**{name: getattr(comment, name) for name in base_fields}) for comment in comments],
        batch_size=BATCH_SIZE,
    )
    for comment, row in zip(comments, base_rows, strict=True):
        comment.id = comment.comment_ptr_id = comment.xtdcomment_ptr_id = row.pk
    for index, (comment, draft) in enumerate(zip(comments, drafts, strict=True)):
        comment.thread_id = comments[root[index]].id
        comment.parent_id = comment.id if draft.parent is None else comments[draft.parent].id
    insert_own_columns(XtdComment, comments)
    insert_own_columns(BlogComment, comments)
    return len(comments)


def insert_own_columns(model, objects):
    """INSERT the columns a multi-table child model keeps in its own table."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model, quoted)
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_SIZE):
            rows = [
                [
                    field.get_db_prep_save(getattr(obj, field.attname), connection)
                    for field in fields
                ]
                for obj in objects[start : start + BATCH_SIZE]
            ]
            cursor.executemany(sql, rows)
