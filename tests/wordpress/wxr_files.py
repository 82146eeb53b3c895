"""Small hand-made WordPress exports (WXR 1.2) for the import tests."""

from io import StringIO

from django.core.management import call_command

SITE = "https://old.example.org"


def wxr(*parts, site=SITE, header=""):
    """A whole export: the channel header, then `parts` (authors, terms, items)."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <link>{site}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
  {header}
  <wp:author><wp:author_login><![CDATA[ann]]></wp:author_login>
    <wp:author_email>ann@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Ann Author]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[Ann]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[Author]]></wp:author_last_name></wp:author>
  {"".join(parts)}
</channel>
</rss>
"""


def category(slug, name, parent="", description=""):
    return f"""<wp:category><wp:term_id>1</wp:term_id>
  <wp:category_nicename>{slug}</wp:category_nicename>
  <wp:category_parent>{parent}</wp:category_parent>
  <wp:cat_name><![CDATA[{name}]]></wp:cat_name>
  <wp:category_description><![CDATA[{description}]]></wp:category_description></wp:category>"""


def comment(wp_id, text="A comment.", parent=0, approved="1", kind="", **fields):
    values = {
        "comment_author": "Reader", "comment_author_email": "reader@example.org",
        "comment_author_url": "http://reader.example.org/", "comment_author_IP": "192.0.2.7",
        "comment_date": "2020-01-02 10:00:00", "comment_date_gmt": "2020-01-02 09:00:00",
        **fields,
    }  # fmt: skip
    rest = "".join(f"<wp:{k}><![CDATA[{v}]]></wp:{k}>" for k, v in values.items())
    return f"""<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>{rest}
  <wp:comment_content><![CDATA[{text}]]></wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved>
  <wp:comment_type>{kind}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def item(wp_id, title="A post", content="Some words.", post_type="post", status="publish",
         slug=None, date="2020-01-01 12:00:00", date_gmt="2020-01-01 11:00:00", terms="",
         comments="", extra="", creator="ann", excerpt="", parent=0):  # fmt: skip
    slug = f"post-{wp_id}" if slug is None else slug
    return f"""<item>
  <title>{title}</title>
  <link>{SITE}/?p={wp_id}</link>
  <pubDate>Wed, 01 Jan 2020 11:00:00 +0000</pubDate>
  <dc:creator><![CDATA[{creator}]]></dc:creator>
  <guid isPermaLink="false">{SITE}/?p={wp_id}</guid>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
  <wp:post_id>{wp_id}</wp:post_id>
  <wp:post_date>{date}</wp:post_date>
  <wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>
  <wp:post_modified>{date}</wp:post_modified>
  <wp:post_modified_gmt>{date_gmt}</wp:post_modified_gmt>
  <wp:comment_status>open</wp:comment_status>
  <wp:post_name>{slug}</wp:post_name>
  <wp:status>{status}</wp:status>
  <wp:post_parent>{parent}</wp:post_parent>
  <wp:menu_order>0</wp:menu_order>
  <wp:post_type>{post_type}</wp:post_type>
  <wp:post_password></wp:post_password>
  <wp:is_sticky>0</wp:is_sticky>
  {terms}{extra}{comments}
</item>"""


def import_text(tmp_path, text, *args):
    """Run import_wxr on `text`; return what it printed."""
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_wxr", str(path), *args, stdout=out)
    return out.getvalue()


def counts(report):
    """{kind: (created, updated, unchanged, skipped)} from an import's printed table."""
    table = {}
    for line in report.splitlines()[2:]:
        words = line.split()
        if len(words) < 5 or not all(word.isdigit() for word in words[-4:]):
            break
        table[" ".join(words[:-4])] = tuple(int(word) for word in words[-4:])
    return table
