"""Moving a blog in from WordPress, and keeping its old links working.

The importer reads a WordPress export (WXR 1.0-1.2): `parser` reads the file safely
into plain records; `content` (with `wpautop` and `shortcodes`) turns WordPress
markup into this blog's HTML; `importer` writes the models (`posts`,
`comment_threads` and `series_rules` for each kind, `identity` for what was imported
before); `report` tells what happened. `manage.py import_wxr` drives them.
`models.ImportedItem` remembers each object's WordPress identity, and `redirects`
answers the old links with the new addresses."""
