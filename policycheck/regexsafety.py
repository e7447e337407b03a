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
an outer repeat nor count as an inner one.

The literature's second cause is a repeated body that matches one string in two ways (an ambiguous repeat): OWASP's
``(a|aa)+`` and ``(a|a?)+``. :func:`ambiguous_repeat` finds it by trying strings of up to :data:`PROBE_LENGTH`
characters of the pattern's own letters and a few representatives (letter, digit, space, punctuation, newline, a
Chinese character): two alternatives of one choice that match the same string, or a string the body matches both
whole and in pieces. Python's parser has already merged one-character alternatives into a class (``(\\w|\\d)`` is
``[\\w\\d]``, which cannot backtrack) and factored out common prefixes (``(a|aa)`` is ``a(|a)``), so short probes
find the classic shapes. Not found (and not refused): ambiguities visible only on longer strings or other
characters, bodies ambiguous without a choice (``(a?a?)*``), and backreferences; the project's patterns have none.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

try:  # Python 3.11+: the parser and compiler are private to the re package
    from re import _compiler as sre_compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile  # type: ignore[no-redef]
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MANY = 10  # an outer repeat of at least this many repetitions around an unbounded one: polynomial of degree >= 10
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_UNBOUNDED = sre_constants.MAXREPEAT
PROBE_LENGTH = 3  # longest probe string of :func:`ambiguous_repeat`
_OWN_LETTERS = 10  # letters of the pattern itself among the probes' characters, besides the representatives
_REPRESENTATIVES = "a0 _.-\n中A"
_MAX_TRIES = 200_000  # alternatives x probes of one choice (~0.1 s); a longer choice is probed with 2 characters


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


def ambiguous_repeat(pattern: str, flags: int = re.IGNORECASE) -> bool:
    """Whether a repeat of ``pattern`` (Python syntax; it must compile with ``flags``) that is unbounded or allows at
    least :data:`MANY` repetitions has a body with a choice (alternatives or an optional part) that matches some
    probe string in two ways: two alternatives match it, or the body matches it whole and as several pieces. Probes:
    every string of up to :data:`PROBE_LENGTH` characters of the pattern's letters and the representatives (empty
    too; of up to 2 for a choice so long that alternatives x probes exceed :data:`_MAX_TRIES`); a part that does not
    compile alone is not judged. Raises ``re.error`` for a pattern that does not parse."""
    parsed = sre_parse.parse(pattern, flags)
    probes: list[str] | None = None
    for body in _repeated_bodies(parsed):
        if not _has_choice(body):
            continue
        if probes is None:
            letters = "".join(dict.fromkeys(_letters(parsed)))[:_OWN_LETTERS] + _REPRESENTATIVES
            alphabet = "".join(dict.fromkeys(letters))
            probes = ["".join(p) for n in range(PROBE_LENGTH + 1) for p in itertools.product(alphabet, repeat=n)]
        if _two_ways(body, flags, probes):
            return True
    return False


def _walk(items: object, into_repeats: bool = True) -> Iterator[tuple[object, object]]:
    """Every node under ``items`` (explicit stack), into repeats' bodies unless ``into_repeats`` is false; never
    into atomic groups and possessive repeats, which give nothing back."""
    stack = [items]
    while stack:
        for op, av in stack.pop():  # type: ignore[attr-defined]
            yield op, av
            if op in _REPEATS:
                if into_repeats:
                    stack.append(av[2])  # type: ignore[index]
            elif op not in (sre_constants.ATOMIC_GROUP, sre_constants.POSSESSIVE_REPEAT):
                stack.extend(_children(op, av))


def _repeated_bodies(parsed: object) -> Iterator[object]:
    for op, av in _walk(parsed):
        if op in _REPEATS and (av[1] == _UNBOUNDED or av[1] >= MANY):  # type: ignore[index]
            yield av[2]  # type: ignore[index]


def _has_choice(body: object) -> bool:
    return any(op is sre_constants.BRANCH or op in _REPEATS for op, _ in _walk(body))


def _letters(parsed: object) -> Iterator[str]:
    """The characters the pattern names: literals and the ends of ranges in classes."""
    for op, av in _walk(parsed):
        if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL):
            yield chr(av)  # type: ignore[arg-type]
        elif op is sre_constants.IN:
            for item_op, item in av:  # type: ignore[attr-defined]
                if item_op is sre_constants.LITERAL:
                    yield chr(item)
                elif item_op is sre_constants.RANGE:
                    yield from (chr(item[0]), chr(item[1]))


def _two_ways(body: object, flags: int, probes: list[str]) -> bool:
    """Whether two alternatives of a choice inside ``body`` match one probe, or ``body`` matches a probe both whole
    and as two or more non-empty pieces."""
    def compiled(items: object) -> re.Pattern[str]:
        return sre_compile.compile(sre_parse.SubPattern(body.state, list(items)), flags)  # type: ignore[attr-defined]

    try:
        whole = compiled(body)
        for op, av in _walk(body):
            if op is sre_constants.BRANCH:
                alternatives = [compiled(alternative) for alternative in av[1]]  # type: ignore[index]
                tried = probes if len(alternatives) * len(probes) <= _MAX_TRIES else [p for p in probes if len(p) < 3]
                if any(sum(bool(a.fullmatch(probe)) for a in alternatives) > 1 for probe in tried):
                    return True
    except (re.error, RecursionError, OverflowError):  # a part that does not compile alone: not judged
        return False
    matches = functools.cache(lambda text: whole.fullmatch(text) is not None)
    for probe in probes:
        if len(probe) > 1 and matches(probe):
            ways = [1] + [0] * len(probe)  # ways[j]: splits of probe[:j] into non-empty matching pieces
            for j in range(1, len(probe) + 1):
                ways[j] = sum(ways[i] for i in range(j) if matches(probe[i:j]))
            if ways[-1] > 1:
                return True
    return False


@functools.lru_cache(maxsize=4096)
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
    if ambiguous_repeat(pattern, flags):
        raise ValueError("bad pattern: a repeated group can match the same text in two ways (like (a|aa)+), so a "
                         "failing match can take exponential time; rewrite it so that each text has one match")
