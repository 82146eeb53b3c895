"""The `make bench` harness: a large dataset (`bench_data`), and the site served by
gunicorn and measured with wrk beside a static nginx ceiling (`bench_site`)."""
