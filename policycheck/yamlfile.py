"""Reading the project's YAML files (ontologies, endpoint knowledge, device profiles, gold sets) with line numbers,
so every error can name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from policycheck.errors import PolicycheckError

LINE_KEY = "__line__"


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records the 1-based line of every mapping under the key ``__line__``."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, what: str) -> Any:
    """The parsed content of ``path``; every mapping carries its line under ``__line__``.

    Raises :class:`PolicycheckError` naming the file (and line) when it cannot be read, is not UTF-8 or is
    not valid YAML; ``what`` names the file's role in the message ("device profile").
    """
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
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
