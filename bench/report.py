"""The benchmark's figures as Markdown tables, with the targets beside them.
Figures are reported, never asserted: a target missed is a line in the report."""

import json
import operator
from dataclasses import dataclass
from pathlib import Path

MODE_TITLES = {"uncached": "Uncached (PAGE_CACHE=0)", "cached": "Cached (PAGE_CACHE=1)"}


@dataclass(frozen=True)
class Target:
    what: str
    wordpress: str
    modes: tuple  # where to read the figure, in order of preference ("ceiling" = nginx)
    request: str
    figure: str  # "rps", "median", "queries" or "share" (of the static ceiling)
    goal: tuple | None = None  # (comparison, value), e.g. (">=", 200)


COMPARISONS = {">=": operator.ge, "<=": operator.le, "<": operator.lt}
UNITS = {"rps": " req/s", "median": " ms", "queries": "", "share": " %"}

TARGETS = [
    Target("200-comment post, req/s at 16 connections", "~42", ("uncached",), "long-post",
           "rps", (">=", 200)),
    Target("200-comment post, median at 1 connection", "44 ms", ("uncached",), "long-post",
           "median", ("<=", 10)),
    Target("200-comment post, queries per request", "30", ("uncached",), "long-post", "queries"),
    Target("500-comment post, median at 1 connection", "—", ("uncached",), "deep-post",
           "median", ("<=", 25)),
    Target("comment POST, median at 1 connection", "—", ("uncached", "cached"), "comment-post",
           "median", ("<", 30)),
    Target("cached pages, lowest share of the static ceiling", "—", ("cached",), "*",
           "share", (">=", 50)),
    Target("static ceiling (nginx), req/s at 16 connections", "~15,000", ("ceiling",),
           "long-post", "rps"),
]  # fmt: skip


def figure(results, mode, name, kind):
    """One figure of one request in one mode (or of the nginx ceiling), or None."""
    if mode == "ceiling":
        row = results["ceiling"].get(name)
    else:
        row = results["modes"].get(mode, {}).get(name)
    if row is None:
        return None
    if kind == "rps":
        return row["loaded"]["requests_per_second"]
    if kind == "median":
        return row["single"]["p50_ms"] if row["single"]["requests"] else None
    if kind == "queries":
        return row.get("queries")
    ceiling = results["ceiling"].get(name)
    if kind == "share" and ceiling and ceiling["loaded"]["requests_per_second"]:
        return 100 * row["loaded"]["requests_per_second"] / ceiling["loaded"]["requests_per_second"]
    return None


def measured(results, target):
    for mode in target.modes:
        if target.request == "*":
            names = [n for n in results.get("modes", {}).get(mode, {}) if n in results["ceiling"]]
            values = [figure(results, mode, name, target.figure) for name in names]
            values = [v for v in values if v is not None]
            if values:
                return min(values)
        elif (value := figure(results, mode, target.request, target.figure)) is not None:
            return value
    return None


def shown_value(value, kind):
    if kind == "queries":
        return str(value)
    if kind == "share":
        return percent(value)
    return f"{number(value)}{UNITS[kind]}"


def percent(value):
    return f"{value:.2f} %" if value < 1 else f"{value:.0f} %"


def target_rows(results):
    rows = []
    for target in TARGETS:
        value = measured(results, target)
        goal, status = "—", ""
        if target.goal:
            comparison, limit = target.goal
            goal = f"{comparison} {limit:,}{UNITS[target.figure]}"
            if value is not None:
                status = "met" if COMPARISONS[comparison](value, limit) else "not met"
        shown = "not measured" if value is None else f"{shown_value(value, target.figure)}"
        rows.append([target.what, target.wordpress, goal, shown, status])
    return rows


def number(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


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
    labels = {request["name"]: request["label"] for request in results["requests"]}
    for mode, rows in results["modes"].items():
        lines += [f"## {MODE_TITLES[mode]}", ""]
        lines += table(
            ["request", "req/s", "p50 ms", "p99 ms", "1-conn median ms", "queries", "bytes",
             "share of static", "errors"],
            [
                [labels[name], number(row["loaded"]["requests_per_second"]),
                 latency(row["loaded"], "p50_ms"), latency(row["loaded"], "p99_ms"),
                 latency(row["single"], "p50_ms"), str(row["queries"]), size(row["bytes"]),
                 share(results, mode, name), errors(row)]
                for name, row in rows.items()
            ],
        )  # fmt: skip
        if posted := results["comment_posts"].get(mode):
            states = ", ".join(f"{n:,} {state}" for state, n in sorted(posted.items()))
            lines += ["", f"Comments the POSTs created (then deleted): {states}."]
        lines.append("")
    if results["ceiling"]:
        lines += ["## Static ceiling (nginx serving the saved pages)", ""]
        lines += table(
            ["request", "req/s", "p50 ms", "p99 ms", "1-conn median ms", "bytes", "errors"],
            [
                [labels[name], number(row["loaded"]["requests_per_second"]),
                 latency(row["loaded"], "p50_ms", 2), latency(row["loaded"], "p99_ms", 2),
                 latency(row["single"], "p50_ms", 2), f"{row['bytes']:,}", errors(row)]
                for name, row in results["ceiling"].items()
            ],
        )  # fmt: skip
        lines.append("")
    if silent := unanswered(results, labels):
        lines += [f"No request completed within a run for: {silent}. Try a longer --duration.", ""]
    lines += ["## Targets", ""]
    lines += table(["figure", "WordPress", "target", "measured", ""], target_rows(results))
    lines += ["", *results["notes"]]
    return "\n".join(lines) + "\n"


def unanswered(results, labels):
    rows = [*results["modes"].values(), results["ceiling"]]
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
