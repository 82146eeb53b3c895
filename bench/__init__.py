"""Benchmark and load tools, for development only: installed when BENCH_TOOLS is on.

`make bench`: a large dataset (`bench_data`), and the site served by gunicorn and
measured with wrk uncached, app-cached and through the shipped nginx front cache
(`front_cache`), beside a static nginx ceiling and Debian's WordPress serving the same
long post (`wordpress_post`, on `wordpress_site`) (`bench_site`, which counts queries
with `bench_queries`). `make bench-search` (`bench_search`) times search, and
`make bench-import` (`bench_import`) the WordPress import. `make loadtest`
(`bench_load`, on `loadtest`, `akismet_standin` and `smtp_standin`): readers through
the shipped nginx while comments arrive, with the verdict of issue #16."""
