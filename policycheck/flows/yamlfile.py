"""Reading the YAML files of the flow side (endpoint knowledge, device profiles) with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from policycheck.errors import PolicycheckError
from policycheck.ontology import _LineLoader


def read_yaml(path: Path, what: str) -> Any:
    """The parsed content of ``path``; every mapping carries its line under ``__line__``.

    Raises :class:`PolicycheckError` naming the file (and line) when it cannot be read, is not UTF-8 or is
    not valid YAML; ``what`` names the file's role in the message ("device profile").
    """
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError as exc:
        raise PolicycheckError(path, f"{what} is missing") from exc
    except OSError as exc:
        raise PolicycheckError(path, f"cannot read {what}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise PolicycheckError(path, f"{what} is not UTF-8 text (byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicycheckError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                               line=mark.line + 1 if mark else None) from exc
