"""The one parser of dates given on the command line (``--as-of``, ``DOC@DATE``): ISO 8601 calendar dates."""

from __future__ import annotations

import re
from datetime import date, datetime

from policycheck.errors import PolicycheckError

_CALENDAR_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
SHOWN = 64  # characters of a refused value the error line repeats


def iso_date(value: str, where: str) -> date:
    """``value`` as a calendar date in ISO 8601's extended form ``YYYY-MM-DD`` (ASCII digits, nothing before or
    after), the form every help text promises. Python 3.11's ``date.fromisoformat`` alone also takes the basic
    form ``20231205``, week dates ``2023-W49-2`` and ordinal dates ``2023-339``. Raises :class:`PolicycheckError`
    naming ``where`` (the option) for anything else, or for a day the calendar does not have (``2023-02-30``,
    year 0000)."""
    if _CALENDAR_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise PolicycheckError(where, f"{value!r} is not a calendar date ({exc})") from exc
    raise PolicycheckError(where, f"{value[:SHOWN]!r} is not a date in the form YYYY-MM-DD (ISO 8601)")


def optional_date(value: str | None, where: str) -> date | None:
    """:func:`iso_date` of ``value``, or None when no date was given."""
    return None if value is None else iso_date(value, where)


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?",
                        re.ASCII)


def iso_datetime(value: str, where: str) -> datetime:
    """``value`` as an ISO 8601 date or date and time in the extended form (``2023-12-05``,
    ``2023-12-05T10:00``, ``2023-12-05 10:00:00.5+08:00``, ``...Z``): naive without an offset, aware with one.
    The option parser typer used before read ``20231205`` as a Unix time (1970-08-23) and refused ``2023-1-5`` as
    "too short". Raises :class:`PolicycheckError` naming ``where`` for any other text or a time the calendar or
    clock does not have."""
    if _DATE_TIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise PolicycheckError(where, f"{value!r} is not a calendar date and time ({exc})") from exc
    raise PolicycheckError(where, f"{value[:SHOWN]!r} is not a date or time in the form YYYY-MM-DD[THH:MM[:SS]]"
                                  "[Z|+HH:MM] (ISO 8601)")
