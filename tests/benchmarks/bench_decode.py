"""Benchmark: decoding pathological bodies (issue 14: "a 31 KB gzip body takes 11 s and 952 MB").

Run from the checkout: ``python tests/benchmarks/bench_decode.py [CASE ...]``. Each case is a small body
built here that expands enormously or nests deeply; the script prints, per case, the body size, decode
status, wall time and the peak memory (max RSS) of this process, and exits 1 when a case takes longer than
:data:`FLOOR_SECONDS` (the issue's "well under a second"). Cases:

- ``gzip-list``: 32 MiB of ``1,1,1,...`` gzipped to about 31 KB (the issue's case: comma-separated values,
  each decoded as a value);
- ``gzip-json``: ``[1,1,...]`` gzipped the same way;
- ``gzip-base64``: base64 text gzipped (decoded twice over);
- ``gzip-3000``: a short real-looking body gzipped 3,000 times;
- ``json-deep``: a JSON text body nested 50,000 deep;
- ``xml-deep``: an XML body nested 5,000 deep;
- ``linear-Nx``: a body of 1,000 x N form fields (``k=v&...``), at 1x, 4x and 16x, to show that the cost
  grows linearly with the input (microseconds per byte printed; no floor).
"""

from __future__ import annotations

import gzip
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policycheck.flows.decode import decode  # noqa: E402

FLOOR_SECONDS = 0.5


def _gzip_times(body: bytes, times: int) -> bytes:
    for _ in range(times):
        body = gzip.compress(body, 1)
    return body


def _form(fields: int) -> bytes:
    return "&".join(f"key{i % 50}=value{i}" for i in range(fields)).encode()


CASES: dict[str, Callable[[], bytes]] = {
    "gzip-list": lambda: gzip.compress(b"1," * (16 << 20), 9),
    "gzip-json": lambda: gzip.compress(b"[" + b"1," * (16 << 20) + b"1]", 9),
    "gzip-base64": lambda: gzip.compress(b"QUFB" * (8 << 20), 9),
    "gzip-3000": lambda: _gzip_times(b'{"os":"android","model":"Pixel"}', 3000),
    "json-deep": lambda: b"[" * 50_000 + b"]" * 50_000,
    "xml-deep": lambda: b"<a>" * 5_000 + b"</a>" * 5_000,
    "linear-1x": lambda: _form(1_000),
    "linear-4x": lambda: _form(4_000),
    "linear-16x": lambda: _form(16_000),
}


def main(names: list[str]) -> int:
    failed = False
    for name in names or list(CASES):
        body = CASES[name]()
        started = time.perf_counter()
        decoded = decode(body)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        limit = getattr(decoded, "limit", None) or ""
        per_byte = seconds / len(body) * 1e6
        print(f"{name:12} {len(body):>9,} bytes  {decoded.status:18} {seconds:7.3f} s  {per_byte:6.2f} us/byte  "
              f"peak {peak:6.0f} MB  {limit}")
        failed |= seconds > FLOOR_SECONDS and not name.startswith("linear")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
