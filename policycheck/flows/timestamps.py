"""When a request was sent, from timestamps inside its payload.

Candidates are values under time-like keys (``event_time``, ``ts`` of a session id, ``timestamp``,
``createTime``, ``clickTime``, ...) that read as Unix epoch seconds or milliseconds between
:data:`EARLIEST` and :data:`LATEST` (and no later than one day after now: a request cannot have been
sent in the future). Unnamed numbers are not used: WeChat's numeric user id (a 10-digit
UIN) falls in the same range as epoch seconds. A request cannot carry a time from after it was sent, so
the latest candidate is the best estimate of its send time (batched reports also carry older events).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from policycheck.flows.model import Leaf

EARLIEST = datetime(2011, 1, 1, tzinfo=UTC)  # WeChat's first release year
LATEST = datetime(2035, 1, 1, tzinfo=UTC)
_LOW_S, _HIGH_S = EARLIEST.timestamp(), LATEST.timestamp()
_TIME_KEY = re.compile(r"^ts$|time(stamp)?$|(^|_)date$", re.IGNORECASE)


def epoch(value: object) -> datetime | None:
    """``value`` (int, float or numeric string) as a UTC time if it is epoch seconds or milliseconds
    within [2011, 2035), else ``None``."""
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    high = min(_HIGH_S, time.time() + 86400)
    for seconds in (value, value / 1000):
        if _LOW_S <= seconds < high:
            return datetime.fromtimestamp(seconds, UTC)
    return None


def payload_time(leaves: Iterable[Leaf]) -> datetime | None:
    """The latest plausible timestamp under a time-like key among ``leaves``, naive UTC, or ``None``."""
    best = None
    for leaf in leaves:
        if leaf.name and _TIME_KEY.search(leaf.name):
            found = epoch(leaf.value)
            if found is not None and (best is None or found > best):
                best = found
    return best.replace(tzinfo=None) if best else None


def median_time(times: Iterable[datetime]) -> datetime | None:
    """Median of ``times`` (the capture time of a file whose flows carry their own times)."""
    ordered = sorted(times)
    if not ordered:
        return None
    stamps = [t.timestamp() if t.tzinfo else t.replace(tzinfo=UTC).timestamp() for t in ordered]
    return datetime.fromtimestamp(statistics.median_low(stamps), UTC).replace(tzinfo=None)
