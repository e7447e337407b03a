"""Sizes in messages (policycheck/sizes.py): one format, and a size beside a limit never reads as the limit."""

import pytest

from policycheck.sizes import size_text


@pytest.mark.parametrize(("n", "text"), [
    (16 << 20, "16 MiB"),
    (64 << 10, "64 KiB"),
    (3 << 29, "1.5 GiB"),
    (int(104.9 * (1 << 20)), "104.9 MiB"),
    (100_000, "100,000 bytes"),  # a limit someone set in bytes stays exact
    (1536, "1,536 bytes"),
    ((16 << 20) + 100, "16,777,316 bytes"),  # not "16.0 MiB" beside the 16 MiB limit it exceeds
    ((1 << 30) - 1, "1,073,741,823 bytes"),  # not "1024.0 MiB"
])
def test_size_text(n, text):
    assert size_text(n) == text


def _read_back(text: str) -> float:
    number, unit = text.split()
    return float(number.replace(",", "")) * {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]


def test_a_size_above_a_limit_never_reads_as_the_limit():
    """Read back as a number, a size just above a limit is above it ("16.0 MiB" reads as 16 MiB)."""
    for limit in (1 << 20, 16 << 20, 256 << 20, 1 << 30):
        for over in (1, 100, 4096, 40_000):
            assert _read_back(size_text(limit + over)) > _read_back(size_text(limit)), limit + over
