"""Import a WordPress export (WXR 1.0-1.2): `parser` reads the file safely into plain
records, `content` turns WordPress markup into this blog's HTML, `importer` writes
the models, `report` tells what happened. `manage.py import_wxr` drives them."""
