"""The effective date a policy text states about itself ("Last Updated: 2022-09-09", "生效日期：2026年08月17日").

Labels, strongest first: effective (``Effective``, ``Effective date``, ``生效日期``), updated (``Last Updated``,
``Updated``, ``更新日期``, ``最近更新``), modified (``Last modified``, ``Last revised``). Date formats: ISO
``2022-09-09`` (also ``/`` and ``.`` separators), ``September 9, 2022``, ``9 September 2022``, ``Sept. 9 2022``,
``2026年08月17日``. The first date starting within 15 characters after a label counts.

Only plausible dates count (:func:`policycheck.timewindow.plausible`): from 1990 to one day after today; a
text claiming a later date (a typo, a hostile page) states none, and :func:`implausible_dates` names what
was ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policycheck.timewindow import plausible

MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for m in names}

LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("effective", re.compile(r"(?:effective(?:\s+(?:date|from|as\s+of|on))?|生效(?:日期|时间))", re.I)),
    ("updated", re.compile(r"(?:last\s+updated(?:\s+on)?|(?<![a-z])updated(?:\s+on)?|更新(?:日期|时间)|最近更新)",
                           re.I)),
    ("modified", re.compile(r"(?:last\s+(?:modified|revised|amended)(?:\s+on)?)", re.I)),
]
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATE_FORMATS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})", re.I),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d{2})", re.I),
]
WINDOW = 15  # characters after a label in which its date must start ("Last Updated:** 2022-09-09")


@dataclass(frozen=True)
class StatedDate:
    """A date a text states about itself: ``label`` is 'effective', 'updated' or 'modified'."""

    value: date
    label: str
    offset: int  # character offset of the label in the text


def parse_date(text: str) -> tuple[date, int] | None:
    """The first date in ``text`` in any supported format, with its offset; None when there is none or it is
    not a valid calendar date."""
    best: tuple[date, int] | None = None
    for pattern in DATE_FORMATS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else MONTHS[parts["mon"].lower().rstrip(".")]
            try:
                value = date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            if best is None or match.start() < best[1]:
                best = (value, match.start())
            break
    return best


def _labelled(text: str) -> list[StatedDate]:
    found: list[StatedDate] = []
    for label, pattern in LABELS:
        for match in pattern.finditer(text):
            window = text[match.end(): match.end() + WINDOW + 30]
            parsed = parse_date(window)
            if parsed and parsed[1] <= WINDOW:
                found.append(StatedDate(parsed[0], label, match.start()))
    return found


def stated_dates(text: str) -> list[StatedDate]:
    """Every plausible labelled date in ``text``, in label strength order then text order."""
    return [d for d in _labelled(text) if plausible(d.value)]


def implausible_dates(text: str) -> list[StatedDate]:
    """Labelled dates of ``text`` that :func:`stated_dates` ignores (before 1990 or after tomorrow)."""
    return [d for d in _labelled(text) if not plausible(d.value)]


def effective_date(text: str) -> StatedDate | None:
    """The date a policy states it took effect: the strongest label's first date; None when none is stated."""
    found = stated_dates(text)
    return found[0] if found else None
