"""WordPress dates: `wp:post_date` is the blog's local time, `wp:post_date_gmt` UTC,
and either may be `0000-00-00 00:00:00` (WordPress's "no date", e.g. on drafts)."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone

WP_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_wp(value, tz):
    """A WordPress date string as an aware datetime in `tz`; None when empty or zero."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        naive = datetime.strptime(value, WP_FORMAT)
    except ValueError:
        return None
    return naive.replace(tzinfo=tz)


def parse_rfc822(value):
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.year < 1970:  # drafts carry "30 Nov -0001"
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def best_date(gmt, local, rfc822=""):
    """(date, note): UTC if given, else local time in TIME_ZONE, else the RSS date.
    The note says what was used when the UTC date was missing; date is None when
    nothing usable was found."""
    if found := parse_wp(gmt, UTC):
        return found, ""
    if found := parse_wp(local, timezone.get_default_timezone()):
        return found, f"no GMT date ({gmt or 'empty'}); used the local date {local}"
    if found := parse_rfc822(rfc822):
        return found, f"no usable date ({gmt or 'empty'} / {local or 'empty'}); used {rfc822}"
    return None, f"no usable date ({gmt or 'empty'} / {local or 'empty'})"
