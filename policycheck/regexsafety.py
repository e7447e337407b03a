"""A static check that refuses regular expressions whose matching can take exponential time (ReDoS).

Python's ``re`` is a backtracking matcher: a quantified group that itself contains an unbounded quantifier, such as
``(a+)+``, ``(\\w+\\s?)*`` or ``(?:x*y?){20}``, can split one run of input between the two repeats in exponentially
many ways, and a failing search tries them all (minutes for 30 characters). Patterns of this shape ("star height"
above one) are the cause the ReDoS literature names first: Kirrage, Rathnayake and Thielecke, "Static Analysis for
Regular Expression Denial-of-Service Attacks" (NSS 2013); OWASP, "Regular expression Denial of Service - ReDoS"
("Evil Regexes": a repeated group containing repetition). :func:`nested_repeat` reads the pattern with the parser
``re.compile`` itself uses (``re._parser``, Python 3.11+; ``sre_parse`` before) and finds such a nesting:

- the outer repeat is unbounded (``*``, ``+``, ``{n,}``) or allows at least :data:`MANY` repetitions, and
- somewhere inside it (through groups, alternatives and lookarounds) is a repeat without an upper bound.

Possessive repeats (``*+``) and atomic groups (``(?>...)``) never give back what they matched, so they neither make
an outer repeat nor count as an inner one. Not found by this check (and not refused): repeated alternatives that
overlap, like ``(a|a)*``, and backreferences; the project's patterns have neither.
"""

from __future__ import annotations

import re

try:  # Python 3.11+: the parser is private to the re package
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MANY = 10  # an outer repeat of at least this many repetitions around an unbounded one: polynomial of degree >= 10
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_UNBOUNDED = sre_constants.MAXREPEAT


def nested_repeat(pattern: str) -> bool:
    """Whether ``pattern`` (Python syntax; it must compile) holds an unbounded repeat inside a repeat that is
    unbounded or allows at least :data:`MANY` repetitions, so that a failing match can backtrack exponentially.
    Walks the parse tree with an explicit stack (any nesting depth). Raises ``re.error`` for a pattern that does not
    parse."""
    stack: list[tuple[object, bool]] = [(sre_parse.parse(pattern), False)]
    while stack:
        items, inside = stack.pop()
        for op, av in items:  # type: ignore[attr-defined]
            if op in _REPEATS:
                _low, high, body = av
                if inside and high == _UNBOUNDED:
                    return True
                stack.append((body, inside or high == _UNBOUNDED or high >= MANY))
            else:
                stack.extend((sub, inside and op is not sre_constants.ATOMIC_GROUP) for sub in _children(op, av))
    return False


def _children(op: object, av: object) -> list[object]:
    """The sub-patterns of one parsed node (groups, alternatives, lookarounds, conditionals, possessive repeats)."""
    if op is sre_constants.SUBPATTERN:
        return [av[-1]]  # type: ignore[index]
    if op is sre_constants.BRANCH:
        return list(av[1])  # type: ignore[index]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]  # type: ignore[index]
    if op is sre_constants.ATOMIC_GROUP:
        return [av]
    if op is sre_constants.POSSESSIVE_REPEAT:
        return [av[2]]  # type: ignore[index]
    if op is sre_constants.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]  # type: ignore[index]
    return []


def check(pattern: str, flags: int = re.IGNORECASE) -> None:
    """Raise ``ValueError`` (one line) when ``pattern`` does not compile with ``flags``, is too large or deep for
    Python's ``re``, or can backtrack exponentially (:func:`nested_repeat`)."""
    try:
        re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"bad pattern: {exc}") from exc
    except (RecursionError, OverflowError, MemoryError) as exc:
        raise ValueError("bad pattern: too large or nested too deeply for Python's re") from exc
    if nested_repeat(pattern):
        raise ValueError("bad pattern: a repeated group contains an unbounded repeat (like (a+)+), so a failing "
                         "match can take exponential time; rewrite it without the nested repeat")
