"""The benchmark report: figures side by side, ratios against WordPress and nginx, and
the issue's criteria with PASS or FAIL beside each."""

from bench import report


def load(rps, median, seconds=4.0):
    requests = round(rps * seconds)
    return {
        "loaded": {"requests": requests, "seconds": seconds, "requests_per_second": rps,
                   "p50_ms": 10.0, "p99_ms": 20.0, "socket_errors": 0, "status_errors": 0},
        "single": {"requests": 10, "seconds": seconds, "requests_per_second": 2.5,
                   "p50_ms": median, "p99_ms": median * 2, "socket_errors": 0,
                   "status_errors": 0},
    }  # fmt: skip


def page(rps, median, queries=9, size=1000):
    return {"queries": queries, "bytes": size, **load(rps, median)}


REQUESTS = [
    {"name": "home", "label": "home", "path": "/", "form": None},
    {"name": "long-post", "label": "post, 200 comments", "path": "/p/", "form": None},
    {"name": "deep-post", "label": "post, 500 comments", "path": "/d/", "form": None},
    {"name": "guide", "label": "guide volume", "path": "/g/", "form": None},
    {"name": "comment-post", "label": "comment POST", "path": "/c/", "form": {"a": "1"}},
]


def results(**changes):
    found = {
        "meta": {"started": "2026-11-28 10:00 UTC", "commit": "abc", "cores": 2, "workers": 5,
                 "seconds": 4, "connections": 16, "load_before": 1.0, "load_after": 2.0,
                 "wordpress": "6.1.9"},
        "dataset": {"posts": 10},
        "requests": REQUESTS,
        "modes": {
            "uncached": {"home": page(100, 20), "long-post": page(60, 33.2),
                         "deep-post": page(30, 66.4), "guide": page(25, 70),
                         "comment-post": page(50, 20, queries=8)},
            "cached": {"home": page(2000, 1), "long-post": page(1500, 1.5)},
            "front": {"home": page(6000, 0.2, queries=None),
                      "long-post": page(4900, 0.3, queries=None)},
        },
        "ceiling": {"home": page(12000, 0.1, queries=None),
                    "long-post": page(10000, 0.1, queries=None)},
        "wordpress": {"long-post": page(12, 166, queries=36)},
        "comment_posts": {},
        "notes": ["A note."],
    }  # fmt: skip
    found.update(changes)
    return found


def verdicts(found):
    return {row[0]: (row[1], row[2], row[3]) for row in report.criteria_rows(found)}


def test_each_criterion_is_shown_with_its_figure_goal_and_verdict():
    rows = verdicts(results())
    assert rows["200-comment post uncached, req/s at 16 connections ÷ WordPress's"] == (
        "5.00×", "≥ 5×", "PASS")  # fmt: skip
    assert rows["200-comment post uncached, median at 1 connection ÷ WordPress's"] == (
        "0.20×", "≤ 0.2×", "PASS")  # fmt: skip
    assert rows["500-comment post uncached, 1-connection median ÷ the 200-comment post's"] == (
        "2.00×", "≤ 2×", "PASS")  # fmt: skip
    assert rows["guide volume uncached, 1-connection median ÷ the 200-comment post's"][2] == "FAIL"
    assert rows["front-cached home: req/s ÷ nginx's with the same bytes"] == (
        "50 %", "≥ 50 %", "PASS")  # fmt: skip
    assert rows["front-cached post, 200 comments: req/s ÷ nginx's with the same bytes"] == (
        "49 %", "≥ 50 %", "FAIL")  # fmt: skip
    assert rows["comment POST, 1-connection median ÷ the uncached home page's"] == (
        "1.00×", "≤ 1×", "PASS")  # fmt: skip
    assert rows["comment POST, queries"] == ("8", "≤ 8", "PASS")


def test_what_a_run_did_not_measure_is_said_not_judged():
    found = results(wordpress={})
    del found["modes"]["front"]
    rows = verdicts(found)
    wordpress_rows = [what for what in rows if "WordPress" in what]
    assert len(wordpress_rows) == 2
    for what in wordpress_rows:
        assert rows[what] == ("not measured", rows[what][1], "—")
    assert rows["front-cached home: req/s ÷ nginx's with the same bytes"][::2] == (
        "not measured", "—")  # fmt: skip


def test_the_markdown_puts_every_mode_nginx_and_wordpress_side_by_side():
    text = report.markdown(results())
    for title in ("## Uncached", "## App-cached", "## Front-cached", "## nginx serving",
                  "## WordPress 6.1.9 serving the same post", "## Side by side",
                  "## Criteria (issue #14)"):  # fmt: skip
        assert title in text, title
    side = text.split("## Side by side")[1].split("## Criteria")[0]
    assert (
        "| post, 200 comments | 60.0/s, 33.2 ms | 1,500/s, 1.5 ms | 4,900/s, 0.30 ms | "
        "10,000/s, 0.10 ms | 12.0/s, 166.0 ms | 5.0× | 49 % |"
    ) in side
    assert "| home | 100/s, 20.0 ms | 2,000/s, 1.0 ms | 6,000/s, 0.20 ms |" in side
    wordpress = text.split("## WordPress")[1].split("##")[0]
    assert "| 36 |" in wordpress  # its queries per request
    assert text.count("PASS") == 6 and text.count("FAIL") == 2


def test_a_run_that_completed_no_request_says_so():
    found = results()
    found["modes"]["uncached"]["long-post"]["loaded"]["requests"] = 0
    text = report.markdown(found)
    assert "No request completed within a run for: post, 200 comments." in text
    assert (
        verdicts(found)["200-comment post uncached, req/s at 16 connections ÷ WordPress's"][0]
        == "not measured"
    )
