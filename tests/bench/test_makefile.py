"""The Makefile's bench targets, read with `make -n` (which prints the commands and
runs none of them): which options reach bench_site and bench_import."""

import os
import shutil
import subprocess

import pytest

from tests import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def dry_run(*arguments):
    env = {**os.environ, "SECRET_KEY": "x"}
    env.pop("MAKEFLAGS", None)
    finished = subprocess.run(
        ["make", "-n", "--no-print-directory", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout.splitlines()


def command_of(lines, name):
    return next(line for line in lines if f"manage.py {name}" in line).split(f"{name}")[1].split()


def test_make_bench_runs_the_three_modes_and_wordpress_by_default():
    arguments = command_of(dry_run("bench"), "bench_site")
    # No --cache: bench_site's default measures uncached, app-cached and front-cached.
    assert "--cache" not in arguments
    assert "--with-wordpress" in arguments and "--duration" in arguments


def test_bench_import_options_no_longer_empty_those_of_bench():
    assert command_of(dry_run("bench-import"), "bench_import") == []
    assert command_of(dry_run("bench-import", "BENCH_IMPORT_ARGS=--posts 5"), "bench_import") == [
        "--posts", "5"]  # fmt: skip
    assert "--with-wordpress" in command_of(dry_run("bench"), "bench_site")


def test_wordpress_can_be_left_out_and_measured_alone():
    assert "--with-wordpress" not in command_of(dry_run("bench", "BENCH_WORDPRESS=0"), "bench_site")
    alone = command_of(dry_run("bench-wordpress"), "bench_site")
    assert "--with-wordpress" in alone and alone[-2:] == ["--only", "long-post"]


def test_make_loadtest_passes_its_options_to_bench_load_on_the_bench_database():
    lines = dry_run("loadtest", "LOADTEST_ARGS=--duration 20 --baseline-duration 10")
    assert command_of(lines, "bench_load") == ["--duration", "20", "--baseline-duration", "10"]
    # The dataset comes first, then the load test on it.
    assert lines.index(next(line for line in lines if "manage.py bench_data" in line)) < (
        lines.index(next(line for line in lines if "manage.py bench_load" in line))
    )
