from django.apps import AppConfig


class WordpressConfig(AppConfig):
    """Moving in from WordPress: the WXR importer (`manage.py import_wxr`), what it
    remembers of each imported object, and redirects for the old links."""

    name = "wordpress"
    verbose_name = "WordPress import"
