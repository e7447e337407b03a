"""Plausible dates: what a capture time or a policy's effective date may be (1990 to one day after now).

Used by the policy archive reader (``# captured:`` headers, ``manifest.csv``, dates in file names), the
effective-date reader (:mod:`policycheck.policies.dates`) and flow ingest (``--captured-at``, times in
captures and payloads). A date outside the window is a typo or hostile input: it is rejected with a line
naming where it was, never stored (a capture dated 2099 would otherwise become the current policy version).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

EARLIEST = date(1990, 1, 1)  # before any privacy policy of these services, or any capture of them


def latest() -> datetime:
    """The latest plausible time: now (naive UTC) plus one day (time zones and clock skew)."""
    return datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)


def plausible(value: date | datetime) -> bool:
    """Whether ``value`` (a date, or a naive-UTC or aware datetime) lies between 1990-01-01 and
    :func:`latest`. Never raises (an aware time whose UTC form overflows is not plausible)."""
    if isinstance(value, datetime):
        moment = value
        if moment.tzinfo is not None:
            try:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            except OverflowError:
                return False
    else:
        moment = datetime(value.year, value.month, value.day)
    return datetime(EARLIEST.year, EARLIEST.month, EARLIEST.day) <= moment <= latest()
