"""Log a repeated failure once per interval, not once per request.

During an outage every request fails the same way; a traceback each (and an error
mail each) buries the one line that matters and fills the disk. This filter lets
the first record of a kind through, drops identical ones for `interval` seconds,
and notes on the next one let through how many were dropped. Identical means the
same logger, exception type and place the exception was raised; records without
a traceback all pass.

It decides once per record and remembers the decision on the record, so one
instance may sit on a logger or on several handlers alike."""

import logging
import threading
import time

MAX_KINDS = 1000  # distinct failures remembered; older ones are forgotten first


class RepeatedFailureFilter(logging.Filter):
    def __init__(self, interval=60, clock=time.monotonic):
        super().__init__()
        self.interval = float(interval)
        self.clock = clock
        self.lock = threading.Lock()
        self.kinds = {}  # kind -> [when last let through, suppressed since]

    def reset(self):
        with self.lock:
            self.kinds.clear()

    def filter(self, record):
        decided = getattr(record, "_repeat_decision", None)
        if decided is not None:
            return decided
        record._repeat_decision = decision = self.decide(record)
        return decision

    def decide(self, record):
        kind = failure_kind(record)
        if kind is None or self.interval <= 0:
            return True
        now = self.clock()
        with self.lock:
            seen = self.kinds.get(kind)
            if seen is not None and now - seen[0] < self.interval:
                seen[1] += 1
                return False
            suppressed = seen[1] if seen else 0
            self.kinds.pop(kind, None)
            self.kinds[kind] = [now, 0]
            if len(self.kinds) > MAX_KINDS:
                del self.kinds[next(iter(self.kinds))]
        record.suppressed_repeats = suppressed
        if suppressed:
            record.msg = (
                f"{record.msg} [{suppressed} identical failures not logged "
                f"in the last {self.interval:g} s]"
            )
        return True


def failure_kind(record):
    """(logger, exception type, file and line it was raised at), or None."""
    if not record.exc_info or record.exc_info[1] is None:
        return None
    error = record.exc_info[1]
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    where = (traceback.tb_frame.f_code.co_filename, traceback.tb_lineno) if traceback else None
    return (record.name, type(error).__qualname__, where)
