"""Benchmark and load tools, for development only: installed when BENCH_TOOLS is on.

`make bench`: a large dataset (`bench_data`), and the site served by gunicorn and
measured with wrk beside a static nginx ceiling (`bench_site`, which counts queries
with `bench_queries`). `make bench-search` (`bench_search`) times search, and
`make bench-import` (`bench_import`) the WordPress import."""
