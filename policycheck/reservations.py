"""Address space the process reserves without using it: cut, so that a limit on it (``ulimit -v``, ``prlimit --as``)
leaves room for the data.

Measured on the development machine (2 cores, ``/proc/self/status`` ``VmPeak``; README, section flows, "Limits"):
``policycheck ingest`` of the 2023 logs reserved 2.45 GB while its resident memory peaked at 275 MB;
``import-archive`` of one policy with re-judging 2.5 GB (0.8 GB after), 330 MB resident either way. Two causes
are cut here, before DuckDB's threads start:

- Arrow's default memory pool, mimalloc, reserves a 1 GiB arena at its first allocation (mimalloc option
  ``arena_reserve``, 1 GiB on 64-bit systems; https://microsoft.github.io/mimalloc/group__options.html), which
  DuckDB's scan of an Arrow table (every bulk load) and pyarrow's compute functions make; Arrow memory is instead
  allocated with the C library's ``malloc``, as the rest of the process's is (environment variable
  ``ARROW_DEFAULT_MEMORY_POOL=system``, https://arrow.apache.org/docs/cpp/env_vars.html, read at the pool's first
  use, which importing policycheck's modules makes: set by ``policycheck/__init__.py``; a value the user set is
  kept);
- glibc gives each thread that allocates its own arena, reserving 64 MiB of address space each (``HEAP_MAX_SIZE``),
  up to 8 per core (``M_ARENA_MAX``, mallopt(3)): DuckDB's threads took 10 of them (640 MiB). Arenas are limited
  to one per core (at least 2).

Neither changes results; both are process-wide and set once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

_M_ARENA_MAX = -8  # glibc malloc.h
_done = False


def cut() -> None:
    """At most one glibc malloc arena per core (at least 2) from now on (a no-op after the first call and where the C
    library is not glibc). Raises nothing."""
    global _done
    if _done:
        return
    _done = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): its allocator reserves no per-thread arenas
        return
    mallopt(_M_ARENA_MAX, max(os.cpu_count() or 1, 2))
