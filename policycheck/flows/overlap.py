"""Overlapping captures, computed at ingest: a running prefix hash per flow and a coverage table per capture.

Cumulative capture files (the 2023 Citizen Lab logs: each file a prefix of the next) hold the same request in
several files. Each request is counted once, in the shortest capture that holds it (``distinct_flows`` in
``gaps/gaps.sql``). Two captures share their first L requests (same line, body hash and request type on every
line from 1 to L) exactly when their flows at line L carry the same ``prefix_hash``: the sum of the md5 numbers
of the requests up to that line, folded to 64 bits, computed by the worker that read the capture
(:func:`prefix_hashes`; the SQL :data:`PREFIX_HASH` gives the same numbers to the flows of older stores). Coverage
is then one window over ``(line, prefix_hash)`` (:data:`COVERAGE_SQL`): linear in the number of flows, where
comparing every pair of captures line by line grew with the square of the number of capture files (issue 16).

Lines must run 1, 2, 3, ... for lines to be compared: a pcap's flows are numbered by frame and a mitmproxy file's
by flow, so past the first gap (or a line holding two requests) ``prefix_hash`` is NULL and nothing is shared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import duckdb
import numpy as np
import pyarrow as pa

from policycheck.flows.readers import BODY_ONLY_FORMATS
from policycheck.store import transaction

# Over one capture's flows (window ``w``: partition by capture, order by line, the default RANGE frame so that two
# requests on one line are peers and end the prefix).
PREFIX_HASH = """
    case when count(*) over w = line then
      (sum(md5_number_upper(line::varchar || ':' || coalesce(body_hash, '-') || ':'
                            || coalesce(req_type_id::varchar, '-'))::hugeint) over w
       % 18446744073709551616 - 9223372036854775808)::bigint
    end"""

_SIGN = np.uint64(1 << 63)


def prefix_hashes(lines: Sequence[int], body_hashes: Sequence[str | None], req_type_ids: Sequence[int | None]
                  ) -> pa.Array:
    """The ``prefix_hash`` of each flow of one capture (inputs: its flows' ``line``, ``body_hash`` and
    ``req_type_id``, in any order), as an Arrow int64 array with NULL where lines do not run 1, 2, 3, ...: the
    value :data:`PREFIX_HASH` gives in SQL, computed in the worker so that the one writer does not (issue 16).
    ``md5_number_upper`` is the first 8 bytes of the md5 digest read little-endian (DuckDB's definition); the
    sums wrap at 2**64 in unsigned 64-bit arithmetic, which is the SQL's ``% 18446744073709551616``; flipping the
    top bit is its ``- 9223372036854775808``."""
    count = len(lines)
    line = np.fromiter(lines, np.int64, count)
    order = np.argsort(line, kind="stable")
    ordered = line[order]
    # the default RANGE frame: requests on the same line are peers and all see the sum up to the last of them
    last = np.searchsorted(ordered, ordered, side="right") - 1
    valid = last + 1 == ordered
    needed = int(last[valid].max()) + 1 if valid.any() else 0  # the md5 sums past it are never stored
    numbers = np.fromiter(
        (int.from_bytes(hashlib.md5(f"{lines[i]}:{'-' if body_hashes[i] is None else body_hashes[i]}:"
                                    f"{'-' if req_type_ids[i] is None else req_type_ids[i]}".encode()).digest()[:8],
                        "little") for i in order[:needed].tolist()), np.uint64, needed)
    sums = np.cumsum(numbers, dtype=np.uint64)
    out = np.zeros(count, np.int64)
    out[order[valid]] = (sums[last[valid]] ^ _SIGN).view(np.int64)
    mask = np.ones(count, bool)
    mask[order[valid]] = False
    return pa.array(out, pa.int64(), mask=mask)


# One row per capture. The captures holding a request at (line, prefix_hash) are ordered shortest first (fewest
# requests, then lowest id): every one but the first is covered up to that line. overlap_*: the longest prefix a
# capture shares with any other, and with which (the lowest other id holding the request at that line).
# A body-only capture (a format holding one request body and nothing else, ``$body_only_formats``: the published
# plaintext of a request) is covered, line 1, when it repeats a request of another capture (REPEATS_SQL).
COVERAGE_SQL = """
with holders as (
    select f.capture_id, f.line, c.requests::bigint * 4294967296 + f.capture_id as rank_key,
           min(c.requests::bigint * 4294967296 + f.capture_id) over g as first_key,
           count(*) over g as holders,
           min(f.capture_id) over g as lowest,
           nth_value(f.capture_id, 2) over (g order by f.capture_id
                                            rows between unbounded preceding and unbounded following) as second
    from flows f join captures c using (capture_id)
    where f.prefix_hash is not null
    window g as (partition by f.line, f.prefix_hash)
), per_capture as (
    select capture_id,
           coalesce(max(line) filter (where rank_key > first_key), 0) as covered_lines,
           coalesce(max(line) filter (where holders > 1), 0) as overlap_lines,
           arg_max(case when lowest = capture_id then second else lowest end, line) filter (where holders > 1)
             as overlap_capture_id
    from holders group by capture_id
), repeats as (REPEATS_SQL)
select c.capture_id, greatest(coalesce(p.covered_lines, 0), coalesce(r.line, 0)) as covered_lines,
       coalesce(p.overlap_capture_id, r.other_capture_id) as overlap_capture_id,
       greatest(coalesce(p.overlap_lines, 0), coalesce(r.line, 0)) as overlap_lines
from captures c left join per_capture p using (capture_id) left join repeats r using (capture_id)
"""

# A request published twice: once in a full capture, once as its body alone (the Citizen Lab security report
# (2024) gives its secautoauth request both in the pcap and as autoauth-request-packet-plaintext.hex, the same
# 5,809 bytes after the pcap's zlib layer but for 29 redacted ones). Decode layers differ (one body was
# compressed), so requests are compared by what was found in them: every detection of the body-only request (data
# type, detector, field path below its gzip/zlib/base64/url layers) is a detection of the other request, they are
# at least REPEAT_MIN_DETECTIONS, and at least REPEAT_VALUE_SHARE of them carry the same redacted value (a
# publication may redact some). The other request is the lowest flow id that qualifies.
REPEAT_MIN_DETECTIONS = 5
REPEAT_VALUE_SHARE = 0.9
REPEATS_SQL = f"""
    with body_only as (
        select any_value(f.flow_id) as flow_id, f.capture_id, min(f.line) as line
        from flows f join captures c using (capture_id)
        where list_contains($body_only_formats, c.format)
        group by f.capture_id having count(*) = 1
    ), found as (
        select o.observation_id, o.flow_id, o.data_type, o.detector, o.value_redacted,
               regexp_replace(o.field_path, '^((gzip|zlib|base64|url)\\.)+', '') as leaf
        from observations o
    ), mine as (
        select b.capture_id, b.line, d.* from body_only b join found d using (flow_id)
    ), matched as (
        select m.capture_id, m.line, o.flow_id as other_flow_id, count(distinct m.observation_id) as agree,
               count(distinct m.observation_id) filter (where m.value_redacted is not distinct from o.value_redacted)
                 as same_value
        from mine m
        join found o on o.data_type = m.data_type and o.detector = m.detector and o.leaf = m.leaf
        join flows g on g.flow_id = o.flow_id and g.capture_id <> m.capture_id
        group by all
    )
    select t.capture_id, t.line, arg_min(g.capture_id, t.other_flow_id) as other_capture_id
    from matched t
    join (select capture_id, count(*) as detections from mine group by capture_id) n using (capture_id)
    join flows g on g.flow_id = t.other_flow_id
    where n.detections >= {REPEAT_MIN_DETECTIONS} and t.agree = n.detections
      and t.same_value >= {REPEAT_VALUE_SHARE} * n.detections
    group by t.capture_id, t.line"""


def fill_prefixes(con: duckdb.DuckDBPyConnection, capture_ids: list[int] | None = None) -> None:
    """(Re)compute ``flows.prefix_hash`` of the flows stored (of ``capture_ids``, else of every capture) inside the
    caller's transaction: for flows written without it (stores made before migration 009, hand-made stores)."""
    where = "where list_contains(?, capture_id)" if capture_ids is not None else ""
    con.execute(f"""
        update flows set prefix_hash = p.prefix_hash
        from (select flow_id, {PREFIX_HASH} as prefix_hash from flows {where}
              window w as (partition by capture_id order by line)) p
        where flows.flow_id = p.flow_id""", [capture_ids] if capture_ids is not None else [])


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Prefix hashes of every flow, then coverage, inside the caller's transaction (migration 009)."""
    fill_prefixes(con)
    fill_coverage(con)


def fill_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute ``capture_coverage`` from the stored prefix hashes (a new capture may cover an older, longer one)
    inside the caller's transaction. One pass over the flows with a prefix. Raises DuckDB errors only."""
    con.execute("delete from capture_coverage")
    con.execute(f"insert into capture_coverage {COVERAGE_SQL.replace('REPEATS_SQL', REPEATS_SQL)}",
                {"body_only_formats": list(BODY_ONLY_FORMATS)})


def refresh_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """:func:`fill_coverage` in a transaction of its own (the end of an ingest run)."""
    with transaction(con):
        fill_coverage(con)


def overlaps(con: duckdb.DuckDBPyConnection, capture_ids: list[int]) -> dict[int, tuple[int, str, int, int]]:
    """For each capture of ``capture_ids`` that shares a prefix with another: ``(other capture id, its path,
    common prefix in requests, the capture's own requests)``, the other being the capture sharing the longest
    identical prefix (lowest id on ties)."""
    if not capture_ids:
        return {}
    rows = con.execute(
        "select v.capture_id, v.overlap_capture_id, o.path, v.overlap_lines, c.requests "
        "from capture_coverage v join captures c using (capture_id) join captures o "
        "on o.capture_id = v.overlap_capture_id where v.overlap_lines > 0 and list_contains(?, v.capture_id)",
        [capture_ids]).fetchall()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
