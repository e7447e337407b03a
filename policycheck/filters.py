"""The check of filter values (``--data-type``, ``--feature``, ``--scenario``) against what the store knows: a
filter that matches nothing because of a typo is refused in one line, never answered with an empty result."""

from __future__ import annotations

import duckdb

from policycheck.errors import unknown_value

# filter -> (option, what a value names, query of the known values, where to look)
FILTERS = {
    "data_type": ("--data-type", "id", "select id from data_types", "see table data_types"),
    "feature": ("--feature", "id", "select id from features", "see table features"),
    "scenario": ("--scenario", "scenario", "select scenario from captures union select scenario from capture_aliases",
                 "see `policycheck flows`"),
}


def check_filters(con: duckdb.DuckDBPyConnection, **given: str | tuple[str, ...] | None) -> None:
    """Check that each filter value (``data_type=``, ``feature=``: ontology ids; ``scenario=``: capture scenarios,
    aliases included; one value or a tuple; None or empty: not given) names something in the store ``con``.
    Raises :class:`~policycheck.errors.PolicycheckError` (:func:`~policycheck.errors.unknown_value`) naming the
    option, the unknown values and the known ones (``--scenario: unknown scenario 'x' (known: login, ...)``)."""
    for kind, value in given.items():
        values = (value,) if isinstance(value, str) else tuple(value or ())
        if not values:
            continue
        option, what, query, hint = FILTERS[kind]
        known = {r[0] for r in con.execute(query).fetchall()}
        unknown = set(values) - known
        if unknown:
            raise unknown_value(option, what, unknown, known, hint)
