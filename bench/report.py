"""The benchmark's figures as Markdown tables: each mode, nginx serving the same bytes,
WordPress serving the same post, the pages side by side, then the criteria of issue
#14 with PASS or FAIL beside each. Figures are reported, never asserted: a criterion
missed is a line in the report."""

import json
import operator
from dataclasses import dataclass
from pathlib import Path

MODE_TITLES = {
    "uncached": "Uncached (PAGE_CACHE=0)",
    "cached": "App-cached (PAGE_CACHE=1, no nginx)",
    "front": "Front-cached (nginx's proxy_cache in front, PAGE_CACHE=1)",
}
SHORT_TITLES = {"uncached": "uncached", "cached": "app-cached", "front": "front-cached"}
COMPARISONS = {">=": operator.ge, "<=": operator.le}
SIGNS = {">=": "≥", "<=": "≤"}


def row_of(results, where, name):
    """The figures of one request in a mode, "ceiling" (nginx) or "wordpress"."""
    if where in ("ceiling", "wordpress"):
        return results.get(where, {}).get(name)
    return results["modes"].get(where, {}).get(name)


def figure(results, where, name, kind):
    """One figure ("rps", "median", "queries" or "share" of nginx's req/s), or None."""
    row = row_of(results, where, name)
    if row is None:
        return None
    if kind == "rps":
        return row["loaded"]["requests_per_second"] if row["loaded"]["requests"] else None
    if kind == "median":
        return row["single"]["p50_ms"] if row["single"]["requests"] else None
    if kind == "queries":
        return row.get("queries")
    ceiling = figure(results, "ceiling", name, "rps")
    value = figure(results, where, name, "rps")
    return 100 * value / ceiling if kind == "share" and ceiling and value is not None else None


@dataclass(frozen=True)
class Criterion:
    """`figure` of `name` in `where`, divided by the same of `reference` when given,
    compared with `limit`. `unit`: the times sign (a ratio), "%" (a ratio shown in
    percent) or "" (a plain figure)."""

    what: str
    where: str
    name: str
    kind: str
    comparison: str
    limit: float
    reference: tuple | None = None  # (where, name)
    unit: str = "×"

    def value(self, results):
        value = figure(results, self.where, self.name, self.kind)
        if self.reference is None or value is None:
            return value
        base = figure(results, *self.reference, self.kind)
        return value / base if base else None

    def goal(self):
        limit = percent(100 * self.limit) if self.unit == "%" else f"{self.limit:g}{self.unit}"
        return f"{SIGNS[self.comparison]} {limit}"

    def shown(self, value):
        if self.unit == "%":
            return percent(100 * value)
        return f"{value:.2f}×" if self.unit == "×" else f"{value:g}"

    def verdict(self, value):
        return "PASS" if COMPARISONS[self.comparison](value, self.limit) else "FAIL"


def criteria(results):
    """The issue's criteria for the requests this run measured."""
    labels = request_labels(results)
    post = ("uncached", "long-post")
    found = [
        Criterion("200-comment post uncached, req/s at 16 connections ÷ WordPress's",
                  "uncached", "long-post", "rps", ">=", 5, ("wordpress", "long-post")),
        Criterion("200-comment post uncached, median at 1 connection ÷ WordPress's",
                  "uncached", "long-post", "median", "<=", 0.2, ("wordpress", "long-post")),
        Criterion("500-comment post uncached, 1-connection median ÷ the 200-comment post's",
                  "uncached", "deep-post", "median", "<=", 2, post),
        Criterion("guide volume uncached, 1-connection median ÷ the 200-comment post's",
                  "uncached", "guide", "median", "<=", 2, post),
    ]  # fmt: skip
    found += [
        Criterion(f"front-cached {labels[name]}: req/s ÷ nginx's with the same bytes",
                  "front", name, "rps", ">=", 0.5, ("ceiling", name), unit="%")
        for name in labels
        if name in results.get("ceiling", {})
    ]  # fmt: skip
    found += [
        Criterion("comment POST, 1-connection median ÷ the uncached home page's",
                  "uncached", "comment-post", "median", "<=", 1, ("uncached", "home")),
        Criterion("comment POST, queries", "uncached", "comment-post", "queries", "<=", 8,
                  unit=""),
    ]  # fmt: skip
    return found


def criteria_rows(results):
    rows = []
    for criterion in criteria(results):
        value = criterion.value(results)
        if value is None:
            rows.append([criterion.what, "not measured", criterion.goal(), "—"])
        else:
            rows.append(
                [criterion.what, criterion.shown(value), criterion.goal(), criterion.verdict(value)]
            )
    return rows


def side_by_side_rows(results):
    """Per page: req/s at 16 connections and the 1-connection median in every mode,
    nginx and WordPress, then uncached ÷ WordPress and front-cached ÷ nginx."""
    rows = []
    for name, label in request_labels(results).items():
        cells = [label]
        for where in (*results["modes"], "ceiling", "wordpress"):
            cells.append(rate_and_median(results, where, name))
        cells.append(ratio(results, ("uncached", name), ("wordpress", name)))
        share = figure(results, "front", name, "share")
        cells.append("—" if share is None else percent(share))
        rows.append(cells)
    return rows


def rate_and_median(results, where, name):
    rate = figure(results, where, name, "rps")
    median = figure(results, where, name, "median")
    if rate is None and median is None:
        return "—"
    rate_text = "—" if rate is None else f"{number(rate)}/s"
    if median is None:
        median_text = "—"
    else:
        median_text = f"{median:.2f} ms" if median < 1 else f"{median:.1f} ms"
    return f"{rate_text}, {median_text}"


def ratio(results, measured, reference):
    value, base = figure(results, *measured, "rps"), figure(results, *reference, "rps")
    return f"{value / base:.1f}×" if value is not None and base else "—"


def request_labels(results):
    return {request["name"]: request["label"] for request in results["requests"]}


def number(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def percent(value):
    return f"{value:.2f} %" if value < 1 else f"{value:.0f} %"


def latency(load, percentile, digits=1):
    """A latency in ms, or a dash when the run completed no request."""
    return f"{load[percentile]:.{digits}f}" if load["requests"] else "—"


def markdown(results):
    meta = results["meta"]
    lines = [
        "# Benchmark results",
        "",
        f"{meta['started']} · commit {meta['commit']} · {meta['cores']} cores · "
        f"gunicorn {meta['workers']} sync workers · wrk {meta['seconds']} s per request and "
        f"connection level ({meta['connections']} connections, then 1) · load average "
        f"{meta['load_before']:.1f} before, {meta['load_after']:.1f} after",
        "",
        "Dataset: "
        + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in results["dataset"].items()),
        "",
    ]
    labels = request_labels(results)
    for mode, rows in results["modes"].items():
        lines += [f"## {MODE_TITLES[mode]}", ""]
        lines += table(
            ["request", "req/s", "p50 ms", "p99 ms", "1-conn median ms", "queries", "bytes",
             "share of nginx", "errors"],
            [
                [labels[name], number(row["loaded"]["requests_per_second"]),
                 latency(row["loaded"], "p50_ms"), latency(row["loaded"], "p99_ms"),
                 latency(row["single"], "p50_ms"), size(row["queries"]), size(row["bytes"]),
                 share(results, mode, name), errors(row)]
                for name, row in rows.items()
            ],
        )  # fmt: skip
        if posted := results["comment_posts"].get(mode):
            states = ", ".join(f"{n:,} {state}" for state, n in sorted(posted.items()))
            lines += ["", f"Comments the POSTs created (then deleted): {states}."]
        lines.append("")
    for where, title in (
        ("ceiling", "nginx serving the saved pages (the same bytes)"),
        ("wordpress", f"WordPress {meta.get('wordpress', '')} serving the same post".strip()),
    ):
        if results.get(where):
            lines += [f"## {title}", ""]
            lines += table(
                ["request", "req/s", "p50 ms", "p99 ms", "1-conn median ms", "queries", "bytes",
                 "errors"],
                [
                    [labels[name], number(row["loaded"]["requests_per_second"]),
                     latency(row["loaded"], "p50_ms", 2), latency(row["loaded"], "p99_ms", 2),
                     latency(row["single"], "p50_ms", 2), size(row.get("queries")),
                     size(row["bytes"]), errors(row)]
                    for name, row in results[where].items()
                ],
            )  # fmt: skip
            lines.append("")
    if silent := unanswered(results, labels):
        lines += [f"No request completed within a run for: {silent}. Try a longer --duration.", ""]
    lines += ["## Side by side: req/s at 16 connections, median at 1 connection", ""]
    modes = [SHORT_TITLES[mode] for mode in results["modes"]]
    lines += table(
        ["request", *modes, "nginx, same bytes", "WordPress", "uncached ÷ WordPress req/s",
         "front-cached ÷ nginx req/s"],
        side_by_side_rows(results),
    )  # fmt: skip
    lines += ["", "## Criteria (issue #14)", ""]
    lines += table(["criterion", "measured", "goal", ""], criteria_rows(results))
    lines += ["", *results["notes"]]
    return "\n".join(lines) + "\n"


def unanswered(results, labels):
    rows = [*results["modes"].values(), results.get("ceiling", {}), results.get("wordpress", {})]
    names = {
        name
        for row in rows
        for name, figures in row.items()
        if not (figures["loaded"]["requests"] and figures["single"]["requests"])
    }
    return ", ".join(labels[name] for name in labels if name in names)


def size(count):
    return "—" if count is None else f"{count:,}"


def share(results, mode, name):
    value = figure(results, mode, name, "share")
    return "—" if value is None else percent(value)


def errors(row):
    count = sum(row[level][kind] for level in ("loaded", "single") for kind in
                ("socket_errors", "status_errors"))  # fmt: skip
    return str(count) if count else ""


def table(header, rows):
    right = ["---"] + ["---:"] * (len(header) - 1)
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(right) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def save(results, directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (directory / "results.md").write_text(text)
    (directory / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return text
