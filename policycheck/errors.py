"""The one exception type users see, with the place (file, line, URL) the problem is at."""

from __future__ import annotations

import os
from pathlib import Path

from policycheck.sizes import MESSAGE_CHARS, clip


class PolicycheckError(Exception):
    """A problem with user input or stored state, reported as one line ``WHERE: WHAT``.

    ``where`` is a file path (optionally with ``:line``), a URL or a table name; ``what`` says what was
    wrong and, where possible, what to do. The CLI prints ``str(error)`` and exits with status 2. ``what`` is
    cut to :data:`policycheck.sizes.MESSAGE_CHARS` characters (:func:`policycheck.sizes.clip`): it may repeat
    text a file or server controls (a gold id, a YAML key, a header), once echoed whole at any length.
    """

    def __init__(self, where: str | Path | None, what: str, line: int | None = None) -> None:
        self.where = str(where) if where is not None else None
        self.what = clip(what, MESSAGE_CHARS)
        self.line = line
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        """Pickled with its parts (an error of a stage run in a child process reaches the parent as itself)."""
        return type(self), (self.where, self.what, self.line)

    def __str__(self) -> str:
        if self.where is None:
            return self.what
        place = f"{self.where}:{self.line}" if self.line is not None else self.where
        return f"{place}: {self.what}"


KNOWN_SHOWN = 12  # known values an "unknown value" line lists before saying how many more there are


def unknown_value(option: str, kind: str, unknown: list[str] | set[str], known: list[str] | set[str],
                  hint: str = "") -> PolicycheckError:
    """The one line for a filter or option value that names nothing known: ``--scenario: unknown scenario 'x'
    (known: a, b, c)``; several unknown values are listed together, the known ones sorted, at most
    :data:`KNOWN_SHOWN` of them and how many more, or ``hint`` (where to look) when there are none or too many.
    Values are shown with ``repr`` (control characters escaped)."""
    names = ", ".join(repr(v) for v in sorted(unknown))
    plural = "s" if len(unknown) > 1 else ""
    ordered = sorted(known)
    if not ordered:
        listed = f"none known; {hint}" if hint else "none known"
    elif len(ordered) <= KNOWN_SHOWN:
        listed = "known: " + ", ".join(ordered)
    else:
        listed = f"known: {', '.join(ordered[:KNOWN_SHOWN])} and {len(ordered) - KNOWN_SHOWN:,} more" + (
            f"; {hint}" if hint else "")
    return PolicycheckError(option, f"unknown {kind}{plural} {names} ({listed})")


def utf8_named(path: Path) -> Path:
    """``path``, when its name can be stored as UTF-8 text (the store keeps paths as text); else a
    :class:`PolicycheckError` naming it with the bytes that are not UTF-8 escaped (``\\xff``)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise PolicycheckError(shown, "the file name is not UTF-8; rename the file") from None
    return path
