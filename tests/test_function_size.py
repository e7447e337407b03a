"""Function size in the claim extractors and the flow analysis stays small (issue 15): no function longer than
:data:`MAX_LINES` lines or of McCabe complexity above :data:`MAX_COMPLEXITY` in ``policycheck/claims`` and
``policycheck/flows``. Lines are counted from a function's ``def`` (decorators excluded) to its last line,
docstring included; complexity is ruff's C901 (mccabe)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("policycheck/claims", "policycheck/flows")
MAX_LINES = 60
MAX_COMPLEXITY = 14


def function_lines(folder: Path) -> list[tuple[str, int]]:
    """``(file:line name, lines)`` of every function and method under ``folder``."""
    out = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                out.append((f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1))
    return out


def test_no_long_function() -> None:
    long = [(where, n) for folder in CHECKED for where, n in function_lines(ROOT / folder) if n > MAX_LINES]
    assert long == [], f"functions over {MAX_LINES} lines: {long}"


def test_no_complex_function() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed (it is a dev dependency)")
    done = subprocess.run([ruff, "check", "--no-cache", "--select", "C901", "--config",
                           f"lint.mccabe.max-complexity={MAX_COMPLEXITY}", *CHECKED],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


if __name__ == "__main__":  # figures for a closing note: python tests/test_function_size.py [folder...]
    for folder in sys.argv[1:] or ["policycheck", *CHECKED]:
        sizes = function_lines(ROOT / folder)
        over = sorted((n, w) for w, n in sizes if n > MAX_LINES)
        longest = max(n for _, n in sizes)
        print(f"{folder}: {len(sizes)} functions, {len(over)} over {MAX_LINES} lines, longest {longest}")
        for n, w in over:
            print(f"  {n:4d} {w}")
