"""Large captures read one entry or flow at a time, through the real command line under an address-space limit.

HAR files are parsed entry by entry (``policycheck/flows/readers/jsonstream.py``, ijson), mitmproxy files flow by
flow (mitmproxy's ``FlowReader``), each entry or flow at most ``limits.MAX_ENTRY_BYTES``; the process reserves no
address space it does not use (``policycheck/reservations.py``). Inputs are generated in ``tmp_path`` at test time.
README, section flows, "Limits".
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policycheck import surrogates
from policycheck.flows import limits
from policycheck.flows.readers import jsonstream
from tests.conftest import require_shared
from tests.test_bad_input import counts, entry

TIGHT = 1_100_000_000  # bytes of address space: the 2023 logs took 2.45 GB of it before, a 300 MB HAR ~4 times its size


def cli(args: list[str], cwd: Path, memory: int = TIGHT, workers: int = 1) -> subprocess.CompletedProcess:
    """``policycheck ARGS`` in a subprocess under ``memory`` bytes of address space (skipped without prlimit)."""
    if not shutil.which("prlimit"):
        pytest.skip("prlimit (util-linux) is not installed: the address-space limit cannot be set")
    command = ["prlimit", f"--as={memory}", "--", sys.executable, "-m", "policycheck", *args]
    env = {**os.environ, "COLUMNS": "250", "POLICYCHECK_WORKERS": str(workers)}
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=120, cwd=cwd, env=env)


def har_entry(number: int, **extra) -> bytes:
    return json.dumps({**entry(), "request": {"method": "GET", "url": f"https://example.com/a{number}?imei=1"},
                       **extra}).encode()


def test_a_har_file_above_the_former_256_mb_limit_is_read_in_little_memory(tmp_path):
    """A 312 MB HAR of 40 entries, each with a 7.8 MB ``_initiator`` stack as Chrome writes them: refused before
    (``HAR file above 256 MB; not read``), and parsed whole it needed ~4 times its size; now every entry is stored,
    under 1.1 GB of address space."""
    har = tmp_path / "session.har"
    stack = "at f (https://example.com/app.js:1:1)\n" * 200_000
    with har.open("wb") as handle:
        handle.write(b'{"log": {"version": "1.2", "entries": [')
        for number in range(40):
            handle.write((b", " if number else b"") + har_entry(number, _initiator={"type": "script", "stack": stack}))
        handle.write(b"]}}")
    assert har.stat().st_size > 300_000_000
    proc = cli(["ingest", str(har), "--db", str(tmp_path / "s.duckdb")], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert counts(tmp_path / "s.duckdb")["flows"] == 40


def test_malformed_json_mid_file_keeps_the_entries_before_it(tmp_path):
    """Three entries, then a cut in the fourth: the three are stored, one line names the file, the entry and the
    bytes where the JSON broke."""
    har = tmp_path / "cut.har"
    good = b", ".join(har_entry(i) for i in range(3))
    har.write_bytes(b'{"log": {"entries": [' + good + b", " + har_entry(3)[:40] + b"}]}}")
    proc = cli(["ingest", str(har), "--db", str(tmp_path / "s.duckdb")], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert counts(tmp_path / "s.duckdb")["flows"] == 3
    line = " ".join(proc.stderr.split())
    size = har.stat().st_size
    assert re.search(rf"cut\.har:4: log\.entries\[3\] is not valid JSON \(in bytes 0-{size:,}\); the 3 entries "
                     "before it are read, the rest of the file is not", line), line


def test_an_entry_nested_too_deep_is_skipped_alone(tmp_path):
    """An entry nested 200 deep between good entries: one problem at its entry, the others stored (the file was
    refused whole before). An entry of too many values: tests/test_bad_input.py, ``_many_values_har``."""
    har = tmp_path / "bad.har"
    deep = b'{"x": ' + b"[" * 200 + b"]" * 200 + b"}"
    har.write_bytes(b'{"log": {"entries": [' + b", ".join([har_entry(0), deep, har_entry(2)]) + b"]}}")
    proc = cli(["ingest", str(har), "--db", str(tmp_path / "s.duckdb")], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "bad.har:2: log.entries[1]: nested deeper than 100 levels; skipped" in " ".join(proc.stderr.split())
    assert counts(tmp_path / "s.duckdb")["flows"] == 2


def test_a_mitmproxy_flow_above_the_entry_limit_is_skipped_and_the_next_flows_read(tmp_path):
    """A flow of a 270 MB upload between two small ones (written by mitmproxy's FlowWriter): its bytes are skipped
    unread, one line names it, the flows around it are stored; nothing near its size is held."""
    from mitmproxy import io as mitm_io
    from mitmproxy.test import tflow

    capture = tmp_path / "upload.mitm"
    with capture.open("wb") as handle:
        writer = mitm_io.FlowWriter(handle)
        for number, size in enumerate([100, 270 << 20, 100]):
            flow = tflow.tflow(resp=True)
            flow.request.method, flow.request.path = "POST", f"/upload/{number}"
            flow.request.raw_content = b"\x07" * size
            writer.add(flow)
            del flow
    proc = cli(["ingest", str(capture), "--db", str(tmp_path / "s.duckdb")], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    # 270 MiB of body and mitmproxy's serialisation of the flow around it, in exact bytes (sizes.py)
    size = re.search(r"upload\.mitm:2: flow 2 of ([\d,]+) bytes exceeds 256 MiB; skipped",
                     " ".join(proc.stderr.split()))
    assert size and 270 << 20 < int(size[1].replace(",", "")) < (270 << 20) + (64 << 10), proc.stderr[-2000:]
    assert counts(tmp_path / "s.duckdb")["flows"] == 2


def test_a_mitmproxy_length_beyond_the_end_of_the_file_reads_none_of_the_rest(tmp_path):
    """A damaged length prefix (``300000000:`` before 40 MB of other bytes) after one good flow: one line names it and
    the flow before it is stored; the rest of the file is not read into memory (before the review of this change,
    all of it was: a rest of any size)."""
    from mitmproxy import io as mitm_io
    from mitmproxy.test import tflow

    capture = tmp_path / "cut.mitm"
    with capture.open("wb") as handle:
        mitm_io.FlowWriter(handle).add(tflow.tflow(resp=True))
        handle.write(b"300000000:" + b"\x07" * (40 << 20))
    proc = cli(["ingest", str(capture), "--db", str(tmp_path / "s.duckdb")], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert ("cut.mitm:2: flow 2 cannot be read (its length, 300,000,000 bytes, goes beyond the end of the file); the "
            "rest of the file is not read") in " ".join(proc.stderr.split())
    assert counts(tmp_path / "s.duckdb")["flows"] == 1


# runs the command line in this child process and writes its address-space peak (VmPeak) to stderr at the end
_PEAK = ("import re, sys\nfrom policycheck.cli import main\nsys.argv = ['policycheck', *sys.argv[1:]]\n"
         "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
         "status = open('/proc/self/status').read()\n"
         "sys.stderr.write('PEAK_KB ' + re.search(r'VmPeak:\\s+(\\d+)', status).group(1) + '\\n')\nsys.exit(code)\n")


def test_ingest_of_the_2023_logs_reserves_under_1_1_gb_of_address_space(tmp_path):
    """The Citizen Lab 2023 logs (40 MB): the command's process reserved 2.45 GB of address space for 275 MB of
    resident memory (mimalloc's 1 GiB arena, a 64 MiB malloc arena per DuckDB thread); now well under 1.1 GB. (Under
    a limit, both allocators fall back to less; without one, ``ulimit -v`` and monitoring see the reservation.)"""
    logs = require_shared("datasets", "citizenlab-wechat-2023")
    profile = Path(__file__).parents[1] / "profiles" / "citizenlab-2023.yaml"
    proc = subprocess.run([sys.executable, "-c", _PEAK, "ingest", str(logs), "--profile", str(profile), "--db",
                           str(tmp_path / "s.duckdb")], capture_output=True, text=True, errors="replace", timeout=120,
                          cwd=tmp_path, env={**os.environ, "COLUMNS": "250", "POLICYCHECK_WORKERS": "2"})
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    peak = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK_KB"))) * 1024
    assert peak < TIGHT, f"{peak:,} bytes of address space"
    assert counts(tmp_path / "s.duckdb")["flows"] > 10_000


def test_an_item_larger_than_the_item_limit_stops_the_stream_after_the_items_before_it():
    """The limit is checked as the file is read (in chunks of 64 KiB or more): an item of 300 KB under a limit of
    100 KB stops the reading, with the byte range where it stopped."""
    items = [{"a": "x" * 100}, {"b": "y" * 300_000}, {"c": 1}]
    stream = jsonstream.ArrayItems(io.BytesIO(json.dumps({"log": {"entries": items}}).encode()), ("log", "entries"),
                                   max_item_bytes=100_000)
    read = []
    with pytest.raises(jsonstream.StreamStopped) as stopped:
        read.extend(stream)
    assert read == items[:1] and stopped.value.index == 1 and str(stopped.value) == "larger than 100,000 bytes"
    assert limits.CHUNK + 100_000 <= stopped.value.end <= 300_000 and stopped.value.start < stopped.value.end


@pytest.mark.parametrize("where", ["before", "after"])
def test_one_value_outside_the_array_larger_than_the_item_limit_stops_the_stream(where):
    """A 300 KB string outside ``log.entries`` (a HAR's ``log.comment``) under a limit of 100 KB: the parser would hold
    it whole, so the reading stops there (before the review of this change, memory grew with such a value); the
    entries before it are read."""
    items = [{"a": "x" * 100}, {"c": 1}]
    comment = "z" * 300_000
    log = {"comment": comment, "entries": items} if where == "before" else {"entries": items, "comment": comment}
    stream = jsonstream.ArrayItems(io.BytesIO(json.dumps({"log": log}).encode()), ("log", "entries"), 100_000)
    read = []
    with pytest.raises(jsonstream.StreamStopped) as stopped:
        read.extend(stream)
    assert read == ([] if where == "before" else items) and stopped.value.index is None
    assert str(stopped.value) == "too large outside log.entries (a value of more than 100,000 bytes)"


def test_many_small_values_outside_the_array_are_no_large_value():
    """300 KB of small values beside the entries (``log.pages``) under a limit of 100 KB: each is an event of its own,
    nothing is held, the entries are read."""
    items = [{"a": 1}, {"b": 2}]
    document = {"log": {"pages": [{"id": f"page_{i}", "title": "t" * 20} for i in range(8_000)], "entries": items}}
    assert len(json.dumps(document)) > 300_000
    assert list(jsonstream.ArrayItems(io.BytesIO(json.dumps(document).encode()), ("log", "entries"), 100_000)) == items


def test_lone_surrogates_are_read_as_json_loads_reads_them_also_across_chunks():
    """Lone surrogates escaped (``\\ud800``) or in UTF-8 form (``ed a0 80``), pairs, escaped backslashes before
    ``ud800`` (text), at every place around the end of the reader's first chunk: the items ``json.loads`` and
    :mod:`policycheck.surrogates` make of the same text (U+FFFD for each lone surrogate; yajl alone makes ``?``)."""
    rng = random.Random(5)
    pieces = [b"\\ud800", b"\\udc00", b"\\ud83d\\ude00", b"\\\\", b"\\\\ud800", b"\\n", b"\\u00e9", b"a",
              b"\xed\xa0\x80", b"\xc3\xa9", b"\\uDBFF", b"\\\\\\ud800"]
    for _ in range(500):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        pad = limits.CHUNK - len(b'{"log": {"entries": ["') - rng.randint(0, 14)
        document = b'{"log": {"entries": ["' + b"a" * pad + text + b'", "' + text + b'"]}}'
        expected = surrogates.scalar_values(json.loads(document))["log"]["entries"]
        assert list(jsonstream.ArrayItems(io.BytesIO(document), ("log", "entries"), 1 << 20)) == expected, text


def test_a_long_run_of_escaped_backslashes_is_read_in_chunks_as_json_loads_reads_it():
    """A string of escaped backslashes longer than a chunk, before each kind of escape: the reader cuts its chunks
    inside the run (keeping each ``\\\\`` whole) instead of holding the run back until it ends, which took time
    quadratic in its length (6.4 MB: 15 s) and memory beyond the item limit; the items are those of ``json.loads``."""
    # the run's last backslash starts an escape: held from it; it ends a "\\": held from that pair; never the run
    assert jsonstream._safe_end(b'"' + b"\\" * 200_001) == 200_001
    assert jsonstream._safe_end(b'"' + b"\\" * 200_000) == 199_999
    rng = random.Random(7)
    pieces = [b"\\ud800", b"\\udc00", b"\\ud83d\\ude00", b"\\\\ud800", b"\\n", b"\\u00e9", b"a", b"\xed\xa0\x80"]
    for _ in range(40):
        run = b"\\\\" * rng.randint(limits.CHUNK // 2, 3 * limits.CHUNK)
        text = rng.choice(pieces) + run + b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        document = b'{"log": {"entries": ["' + b"a" * rng.randint(0, 9) + text + b'", "' + text + b'"]}}'
        expected = surrogates.scalar_values(json.loads(document))["log"]["entries"]
        assert list(jsonstream.ArrayItems(io.BytesIO(document), ("log", "entries"), 1 << 20)) == expected


@pytest.mark.parametrize("chunk", [7, 4096, limits.CHUNK])
def test_numbers_of_more_digits_than_int_converts_are_malformed_only_outside_strings(monkeypatch, chunk):
    """A run of 4,301 digits outside strings, whole or across reads, stops the reading as malformed JSON (yajl2_c left
    int()'s ValueError pending and crashed the process); inside strings, between escaped quotes, digit runs of any
    length and numbers of 4,300 digits are read as ``json.loads`` reads them."""
    monkeypatch.setattr(limits, "CHUNK", chunk)
    rng = random.Random(chunk)
    pieces = [b'\\"', b"\\\\", b"9" * 5000, b"a", b'\\\\\\"', b"\\u0022", b"12"]
    for _ in range(30):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        document = (b'{"log": {"k' + text + b'": 1, "entries": [{"a": "' + text + b'", "n": ' + b"7" * 4300
                    + b', "f": -1.5e3}, "' + text + b'"]}}')
        expected = json.loads(document)["log"]["entries"]
        assert list(jsonstream.ArrayItems(io.BytesIO(document), ("log", "entries"), 1 << 20)) == expected, text
    for document in (b'{"log": {"entries": [{"a": 1}, {"n": ' + b"7" * 4301 + b"}]}}",
                     b'{"log": {"x": "' + b"1" * 9000 + b'", "entries": [' + b"7" * 4301 + b"]}}"):
        with pytest.raises(jsonstream.StreamStopped, match="not valid JSON"):
            list(jsonstream.ArrayItems(io.BytesIO(document), ("log", "entries"), 1 << 20))
