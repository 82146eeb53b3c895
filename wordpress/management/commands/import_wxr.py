"""`manage.py import_wxr FILE`: move a WordPress blog in from its export (WXR)."""

import argparse
from pathlib import Path

from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wordpress.importer import Importer, Options
from wordpress.limits import Limits
from wordpress.media import Media, MediaOptions
from wordpress.parser import FilteredFile, Refused, UnsafeFile, WXRError, parse
from wordpress.progress import Progress
from wordpress.report import Report


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): authors, categories, tags, posts, pages, "
        "comment threads and old links. Running it again updates instead of duplicating."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xml file from WordPress's Tools → Export")
        parser.add_argument(
            "--author-map", action="append", default=[], metavar="OLD=NEW",
            help="file a WordPress login's posts under an existing username (repeatable)",
        )  # fmt: skip
        parser.add_argument(
            "--skip-pings", action="store_true", help="leave pingbacks and trackbacks out"
        )
        parser.add_argument(
            "--skip-trash", action="store_true",
            help="leave trashed comments out (by default they are kept as deleted)",
        )  # fmt: skip
        parser.add_argument(
            "--series-from-title", action="store_true",
            help="file posts titled “<series> <N>: <subtitle>” as part N of that series",
        )  # fmt: skip
        parser.add_argument(
            "--series-from-category", action="append", default=[], metavar="NAME",
            help="file a category's posts as a series in date order (repeatable)",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        media = parser.add_argument_group(
            "media", "bring attachments' images into the image library (wordpress/media.py)"
        )
        media.add_argument(
            "--media-dir", type=Path, metavar="PATH",
            help="a copy of the old site's wp-content/uploads folder",
        )  # fmt: skip
        media.add_argument(
            "--fetch-media", action="store_true",
            help="download each attachment not found in --media-dir from its address",
        )  # fmt: skip
        media.add_argument(
            "--allow-private-hosts", default="", metavar="HOST[,HOST]",
            help="let --fetch-media reach these hosts though private (for tests); by name",
        )  # fmt: skip
        limits = parser.add_argument_group(
            "limits", "refuse a hostile or broken file before it fills memory (wordpress/limits.py)"
        )
        limits.add_argument(
            "--max-depth", type=positive, metavar="N",
            help="elements may nest N deep (default: WXR_MAX_DEPTH, 64)",
        )  # fmt: skip
        limits.add_argument(
            "--max-elements", type=positive, metavar="N",
            help="elements in one item, its comments included (default: WXR_MAX_ELEMENTS, 100000)",
        )  # fmt: skip
        limits.add_argument(
            "--max-item-bytes", type=positive, metavar="N",
            help="bytes of one item (default: WXR_MAX_ITEM_BYTES, 10 MB)",
        )  # fmt: skip
        parser.add_argument(
            "--encoding", metavar="NAME",
            help="read the file in this encoding whatever its XML declaration says",
        )  # fmt: skip

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        settings = Options(
            author_map=self.author_map(options["author_map"]),
            skip_pings=options["skip_pings"],
            skip_trash=options["skip_trash"],
            series_from_title=options["series_from_title"],
            series_from_categories=options["series_from_category"],
        )
        report = Report(dry_run=options["dry_run"])
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir: no such folder: {media_dir}")
        progress = Progress(self.stderr, tty=self.stderr.isatty())
        media = Media(
            MediaOptions(
                media_dir=media_dir,
                fetch=options["fetch_media"],
                allowed_hosts={h.strip() for h in options["allow_private_hosts"].split(",")} - {""},
                timeout=settings_module.WXR_MEDIA_TIMEOUT,
            ),
            progress=lambda done, total: progress.media_done(done - progress.media, total),
        )
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        with raw:
            limits = Limits.from_settings(
                max_depth=options["max_depth"],
                max_elements=options["max_elements"],
                max_item_bytes=options["max_item_bytes"],
            )
            source = FilteredFile(raw, limits, encoding=options["encoding"])
            progress.source, progress.total = source, max(path.stat().st_size, 1)
            try:
                with transaction.atomic():
                    Importer(settings, report, media).run(parse(source, limits), progress)
                    # A dry run goes through every write, then takes them all back.
                    transaction.set_rollback(options["dry_run"])
            except (UnsafeFile, Refused) as exc:
                # Refused: raised out of the transaction, so nothing read so far is kept.
                raise CommandError(str(exc)) from None
            except WXRError as exc:
                # Raised before the first record: the file is not a WordPress export.
                raise CommandError(f"{exc} Nothing was imported.") from None
            finally:
                progress.done()
        self.stdout.write(report.render())
        if report.error:
            raise CommandError(report.error)

    def author_map(self, pairs):
        mapping = {}
        for pair in pairs:
            old, sep, new = pair.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise CommandError(f"--author-map takes OLD=NEW, not “{pair}”.")
            if not get_user_model().objects.filter(username=new.strip()).exists():
                raise CommandError(f"--author-map: there is no user “{new.strip()}” here.")
            mapping[old.strip()] = new.strip()
        return mapping


def positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number above 0, not “{text}”")
    return value
