"""WordPress beside this blog in one benchmark run: Debian's WordPress (the classic
twentytwentyone theme, PHP-FPM, MariaDB, opcache) serving the benchmark's long post,
copied from this blog's dataset: the same title and body (~1,500 words) and the same
200 public comments, in the same 50 threads four deep, with their authors and dates.
WordPress threads comments five deep and shows them all on one page, oldest first."""

import json
import urllib.request
from contextlib import contextmanager
from datetime import UTC

from blog.models import Post
from comments.models import BlogComment

from . import dataset
from .wordpress_site import WORDPRESS_ROOT, run_php, wordpress_site

# PHP-FPM's static pool: 4 children on 2 cores (the measurement).
PHP_CHILDREN = 4
# SAVEQUERIES costs time, so only a request that asks for the count turns it on.
QUERY_HEADER = "X-Bench-Queries"
COUNT_QUERIES_CONFIG = (
    "if (!empty($_SERVER['HTTP_X_BENCH_QUERIES'])) { define('SAVEQUERIES', true); }\n"
)
COUNT_QUERIES_PLUGIN = """<?php
/* Plugin Name: Query count (bench) */
add_action('shutdown', function () {
    global $wpdb;
    if (defined('SAVEQUERIES') && SAVEQUERIES) {
        file_put_contents(WP_CONTENT_DIR . '/uploads/queries.txt', count($wpdb->queries));
    }
}, 999);
"""

BUILD_SCRIPT = """
require WP_LOAD;
wp_set_current_user(1);  // an administrator: the body is stored as given (unfiltered_html)
$data = json_decode(file_get_contents($argv[1]), true);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('page_comments', 0);
update_option('comment_order', 'asc');
update_option('comments_notify', 0);
update_option('moderation_notify', 0);
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
$wp_rewrite->flush_rules(false);
$post_id = wp_insert_post([
    'post_title' => $data['title'], 'post_name' => $data['slug'],
    'post_content' => $data['body'], 'post_status' => 'publish', 'post_author' => 1,
    'post_date_gmt' => $data['date'], 'post_date' => $data['date'],
], true);
if (is_wp_error($post_id)) { fwrite(STDERR, $post_id->get_error_message()); exit(1); }
$ids = [];
foreach ($data['comments'] as $c) {
    $ids[$c['id']] = wp_insert_comment([
        'comment_post_ID' => $post_id,
        'comment_parent' => $c['parent'] ? $ids[$c['parent']] : 0,
        'comment_author' => $c['author'], 'comment_author_email' => $c['email'],
        'comment_author_url' => $c['url'], 'comment_content' => $c['content'],
        'comment_date' => $c['date'], 'comment_date_gmt' => $c['date'],
        'comment_approved' => 1,
    ]);
}
echo 'URL ' . get_permalink($post_id) . "\\n";
"""


def long_post_copy():
    """The benchmark's long post and its public comments, parents before replies."""
    post = Post.objects.get(slug=dataset.LONG_POST_SLUG)
    comments = BlogComment.objects.for_object(post).public().order_by("submit_date", "pk")
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "date": wordpress_date(post.published_at),
        "comments": [
            {
                "id": comment.pk,
                "parent": 0 if comment.parent_id == comment.pk else comment.parent_id,
                "author": comment.user_name,
                "email": comment.user_email,
                "url": comment.user_url or "",
                "content": comment.comment,
                "date": wordpress_date(comment.submit_date),
            }
            for comment in comments
        ],
    }


def wordpress_date(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@contextmanager
def wordpress_long_post():
    """WordPress serving the copy of the long post; yields (its URL, the WordPress)."""
    copy = long_post_copy()
    with wordpress_site(
        php_children=PHP_CHILDREN,
        extra_config=COUNT_QUERIES_CONFIG,
        mu_plugins={"bench-queries.php": COUNT_QUERIES_PLUGIN},
        browser=False,
    ) as wordpress:
        data = wordpress.workdir / "long-post.json"
        data.write_text(json.dumps(copy))
        script = BUILD_SCRIPT.replace("WP_LOAD", f"'{WORDPRESS_ROOT / 'wp-load.php'}'")
        output = run_php(wordpress, script, "build-long-post.php", data)
        url = next(line[4:] for line in output.splitlines() if line.startswith("URL "))
        yield url, wordpress


def queries_of(wordpress, url):
    """Database queries WordPress made for one request of `url`."""
    request = urllib.request.Request(url, headers={QUERY_HEADER: "1"})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
    return int((wordpress.workdir / "wp-content/uploads/queries.txt").read_text())
