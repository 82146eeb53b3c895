"""What the admin's inline formsets expect in a POST, for tests that submit admin forms."""


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def post_change_form(post, **extra):
    """The admin's post form as a browser would send it back for `post`, with the
    series part and guide listing inlines (one empty part form), plus `extra`."""
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "excerpt": "",
        "status": post.status,
        "published_at_0": post.published_at.strftime("%Y-%m-%d"),
        "published_at_1": post.published_at.strftime("%H:%M:%S"),
        "author": post.author_id,
        "comments_open": "on",
        **inline_management("series_part", total=1),
        **inline_management("postings"),
        **extra,
    }
