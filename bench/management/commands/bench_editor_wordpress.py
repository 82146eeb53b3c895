"""Count the clicks and keystrokes of the author's journey in WordPress's classic
editor (Debian's wordpress package), for comparison with this blog's admin.

    BENCH_TOOLS=1 python manage.py bench_editor_wordpress     (or: make bench-editor)

Starts its own MariaDB, PHP-FPM and nginx (bench/wordpress_site.py) and stops them at
the end; needs Debian's packages (see `make bench-editor`) and chromium.
"""

import signal
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.editor_journey import __doc__ as RULES
from bench.editor_wordpress import make_picture, run_journey
from bench.wordpress_site import PACKAGES, missing_tools, wordpress_site


class Command(BaseCommand):
    help = "Count clicks and keystrokes of a new post with an image in WordPress's classic editor."

    def add_arguments(self, parser):
        parser.add_argument("--screenshots", type=Path, help="save screenshots in this folder")
        parser.add_argument("--runs", type=int, default=1, help="repeat, to see the time vary")

    def handle(self, *args, screenshots=None, runs=1, **options):
        if missing := missing_tools():
            raise CommandError(
                f"Not installed: {', '.join(missing)}.\n"
                f"  apt-get install -y {PACKAGES} chromium   (or: make bench-editor)"
            )
        from playwright.sync_api import sync_playwright

        # A plain `kill` unwinds the `with` blocks too, so the servers still stop.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
            picture = make_picture(Path(scratch) / "whiteboard.jpg")
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                for run in range(1, runs + 1):
                    with wordpress_site() as wordpress:
                        tally = run_journey(browser, wordpress, picture, screenshots)
                    self.report(wordpress, tally, run, runs)
            finally:
                browser.close()

    def report(self, wordpress, tally, run, runs):
        title = f"WordPress {wordpress.version}, classic editor"
        if runs > 1:
            title += f" (run {run} of {runs})"
        self.stdout.write(f"\n{title}: new post, title, body, image with alt text, category, "
                          "publish now\n")  # fmt: skip
        self.stdout.write(tally.table() + "\n")
        if run == runs:
            rules = RULES.split("The rules", 1)[1].split("\n", 1)[1]
            self.stdout.write("\nHow it counts:\n" + rules.strip() + "\n")
            self.stdout.write("Seconds: the script's own time from the first click to "
                              "'Post published' (a machine's pace, not a person's).\n")  # fmt: skip
