"""Why a WXR file cannot be imported; each message says so to the person running it."""


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why."""


class UnsafeFile(WXRError):
    pass


class BrokenFile(WXRError):
    """Malformed or truncated: the items before the break are kept."""


class Refused(WXRError):
    """The file asks too much of memory or lies about its encoding: nothing is kept."""
