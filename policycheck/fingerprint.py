"""Fingerprints of code and data: the sha256 of what a stage's output is computed from, read without importing it.

The claim pipeline records one per extraction (:func:`policycheck.claims.pipeline.extractor_fingerprint`) and ingest
one per capture (:func:`policycheck.flows.stamp.analysis_stamp`): when the fingerprint of the installed code and
data differs from the recorded one, the stored output is out of date and is computed again. Both hash files and
installed distributions' versions with the helpers here, so that the two fingerprints mean the same thing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt")  # code and the data files packaged beside it


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


def hash_tree(digest: Digest, root: Path, suffixes: tuple[str, ...] = SOURCE_SUFFIXES) -> None:
    """Feed ``digest`` every file under ``root`` whose suffix is one of ``suffixes``, in sorted order: its path
    relative to ``root`` (POSIX, then a newline) and its bytes. Raises OSError for a file that cannot be read."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in suffixes:
            hash_file(digest, path, path.relative_to(root).as_posix())


def hash_file(digest: Digest, path: Path, name: str | None = None) -> None:
    """Feed ``digest`` one file: ``name`` (default: the file name) and a newline, then its bytes (a missing file:
    the name and ``<missing>``, so that a file appearing or vanishing changes the fingerprint)."""
    digest.update(f"{name or path.name}\n".encode())
    digest.update(path.read_bytes() if path.is_file() else b"<missing>")


def distributions(names: Iterable[str] | None = None) -> list[str]:
    """``Name==version`` of the installed distributions (every one, or those of ``names``, a missing one as
    ``Name==<missing>``), sorted: read from their metadata, nothing imported."""
    if names is None:
        return sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    found = []
    for name in names:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}==<missing>")
    return sorted(found)


def file_sha256(path: Path) -> str:
    """The sha256 (64 hex digits) of a file's content, read in chunks. Raises OSError when it cannot be read."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
