from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development only (see BENCH_TOOLS in config/settings.py): no models, URLs or
    middleware, only management commands and the modules behind them."""

    name = "bench"
    verbose_name = "Benchmarks"
