"""Redaction of observed values: a short prefix plus a salted hash, never the raw value.

``value_redacted = <prefix>~<hash>``: the prefix is at most 3 characters and at most a third of the
value (so a 2-letter language code or a 4-digit number shows nothing); the hash is the first 16 hex
digits of SHA-256(salt + casefolded value). The salt is random per store (``settings`` table, key
``redaction_salt``), so equal values are joinable within one store but cannot be looked up from a list
of guesses made with another store's salt, nor compared across stores.
"""

from __future__ import annotations

import hashlib
import secrets

import duckdb

SALT_KEY = "redaction_salt"
PREFIX_MAX = 3
HASH_HEX = 16


def store_salt(con: duckdb.DuckDBPyConnection) -> str:
    """The store's redaction salt, created (32 random hex digits) on first use."""
    rows = con.execute("select value from settings where key = ?", [SALT_KEY]).fetchall()
    if rows:
        return rows[0][0]
    salt = secrets.token_hex(16)
    con.execute("insert into settings(key, value) values (?, ?)", [SALT_KEY, salt])
    return salt


def redact(value: str, salt: str) -> str:
    """``value`` as ``prefix~hash`` (see the module docstring). ``value`` is compared casefolded."""
    value = value.strip()
    prefix = value[: min(PREFIX_MAX, len(value) // 3)]
    digest = hashlib.sha256((salt + value.casefold()).encode("utf-8")).hexdigest()[:HASH_HEX]
    return f"{prefix}~{digest}"
