from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for `make run`: `manage.py seed_demo` fills an empty blog with posts,
    pages, a series, a guide, threaded discussions and the demo logins."""

    name = "demo"
    verbose_name = "Demo content"
