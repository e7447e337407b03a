"""Reading the project's YAML and JSON files with the position of every value, so every error can name the file,
the line and the field.

Configuration files (ontologies, endpoint knowledge, device profiles, word lists, the capture manifest,
``sources.json``) are validated by typed models: :func:`load_model` parses a file into a :class:`Document`
(the data plus its YAML node tree), validates the data with a pydantic model (``extra="forbid"``), and turns the
first problem into one :class:`PolicycheckError` line ``FILE:LINE: FIELD: WHAT``, e.g.
``mappings/entities.yaml:41: [6].kind: Input should be 'platform', 'affiliate', ...``. Checks across entries
(unknown parents, ids of another file) call :meth:`Document.fail` with the field's location, so they read alike.

:func:`read_yaml` (every mapping carrying its line under ``__line__``) is kept for the gold files of
:mod:`policycheck.claims.evaluate`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError

from policycheck import regexsafety, surrogates
from policycheck.errors import PolicycheckError
from policycheck.sizes import size_text
from policycheck.textfile import codec, read_text

LINE_KEY = "__line__"
MAX_NODES = 2_000_000  # values in one configuration file, aliases expanded (the largest, endpoints.yaml, has ~2,000)
MAX_FILE_BYTES = 16 * 1024 * 1024  # one configuration or gold file (the largest, a gold file, has ~115 KB)
T = TypeVar("T")
Loc = Sequence[str | int]
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
LONE_SURROGATE = "text with a lone surrogate (an escape such as \\ud800 that is half of a UTF-16 pair, no character)"
_LONE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"  # a high half without a low one
                          r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")  # a low half alone


def one_or_many(value: Any) -> Any:
    """A list field may be written as one string, a list, or left out; numbers in it are read as text."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    return value


def _regex(pattern: str) -> str:
    regexsafety.check(pattern, re.IGNORECASE)
    return pattern


Names = Annotated[list[str], BeforeValidator(one_or_many)]
"""A list of names in a configuration file: one string, a list, or nothing (``[]``)."""
Regex = Annotated[str, AfterValidator(_regex)]
"""A regular expression (Python syntax) that must compile and cannot backtrack exponentially
(:mod:`policycheck.regexsafety`)."""


class SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` whose value errors are YAML errors with a position: a number beyond Python's digit
    limit or a date in year 0 (``ValueError``/``OverflowError`` of PyYAML's constructors) becomes a
    ``ConstructorError`` at the value's line, saying the kind of value and never the value itself; so does text
    with a lone surrogate (an escape such as ``"\\ud800"``, no character: :mod:`policycheck.surrogates`).
    Nodes are counted as they are composed: past :data:`MAX_NODES` the file is refused before the tree is built
    whole (a 14 MB file of one-digit values, ``[1,1,...]``, composed 7 million nodes and exhausted 2.5 GB)."""

    composed = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, f"more than {MAX_NODES:,} values in one file",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            kind = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(None, None, f"{kind} value out of range",
                                                    node.start_mark) from exc
        if isinstance(value, str) and surrogates.LONE.search(value):
            raise yaml.constructor.ConstructorError(None, None, LONE_SURROGATE, node.start_mark)
        return value


class LineLoader(SafeLoader):
    """A safe YAML loader that records the 1-based line of every mapping under the key ``__line__``."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_text(path: Path, what: str) -> str:
    try:
        text = read_text(path, MAX_FILE_BYTES)
    except FileNotFoundError as exc:
        raise PolicycheckError(path, f"{what} is missing") from exc
    except OSError as exc:
        raise PolicycheckError(path, f"cannot read {what}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise PolicycheckError(path, f"{what} is not {codec(exc)} text (byte {exc.start})") from exc
    if text is None:
        raise PolicycheckError(path, f"{what} is larger than {size_text(MAX_FILE_BYTES)}; not read")
    return text


def _yaml_error(path: Path, exc: yaml.YAMLError, text: str) -> PolicycheckError:
    if isinstance(exc, yaml.reader.ReaderError):  # a control character YAML does not allow (NUL, ...)
        return PolicycheckError(path, f"invalid YAML: character #x{exc.character:04x} is not allowed in YAML text",
                                line=text.count("\n", 0, exc.position) + 1)
    mark = getattr(exc, "problem_mark", None)
    return PolicycheckError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None)


def read_yaml(path: Path, what: str) -> Any:
    """The parsed content of ``path``; every mapping carries its line under ``__line__``.

    Raises :class:`PolicycheckError` naming the file (and line) when it cannot be read, is not UTF-8 or is
    not valid YAML, repeats a key in one mapping or holds more than :data:`MAX_NODES` values; ``what`` names
    the file's role in the message ("gold file").
    """
    text = _read_text(path, what)
    loader = None
    try:
        loader = LineLoader(text)
        root = loader.get_single_node()
        Document(path, None, root).check_duplicate_keys()  # and the number of values, aliases expanded
        return loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, text) from exc
    except RecursionError as exc:
        raise PolicycheckError(path, f"{what} is nested too deeply") from exc
    finally:
        if loader is not None:
            loader.dispose()


@dataclass
class Document:
    """A parsed configuration file: its ``data`` (plain dicts, lists and scalars) and the YAML node tree ``root``
    that knows where each value is (``None`` when positions are unknown)."""

    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path, what: str) -> Document:
        """Parse a YAML file (JSON is YAML too). Raises :class:`PolicycheckError` naming the file and line when
        it cannot be read, is not UTF-8 or valid YAML, nests too deeply, or repeats a key in one mapping."""
        text = _read_text(path, what)
        loader = None
        try:
            loader = SafeLoader(text)
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        except yaml.YAMLError as exc:
            raise _yaml_error(path, exc, text) from exc
        except RecursionError as exc:
            raise PolicycheckError(path, f"{what} is nested too deeply") from exc
        finally:
            if loader is not None:
                loader.dispose()
        doc = cls(path, data, root)
        doc.check_duplicate_keys()
        return doc

    @classmethod
    def read_json(cls, path: Path, what: str) -> Document:
        """Parse a JSON file (strict JSON: syntax errors name the line and column); positions come from reading
        the same text as YAML. Raises :class:`PolicycheckError` as :meth:`read`, and for a string with a lone
        surrogate (``"\\ud800"``) at its line."""
        text = _read_text(path, what)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicycheckError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
        except ValueError as exc:  # an integer beyond Python's digit limit
            raise PolicycheckError(path, "invalid JSON: a number out of range") from exc
        except RecursionError as exc:
            raise PolicycheckError(path, f"{what} is nested too deeply") from exc
        if surrogates.may_hold(text) and surrogates.scalar_values(data) != data:
            found = _LONE_ESCAPE.search(text)
            raise PolicycheckError(path, f"invalid JSON: {LONE_SURROGATE}",
                                   line=text.count("\n", 0, found.start()) + 1 if found else None)
        try:  # valid JSON has tabs only between tokens, where YAML refuses them: spaces keep every position
            root = yaml.compose(text.replace("\t", " "), Loader=SafeLoader)
        except (yaml.YAMLError, RecursionError):
            root = None
        doc = cls(path, data, root)
        doc.check_duplicate_keys()
        return doc

    def check_duplicate_keys(self) -> None:
        """Refuse a key written twice in one mapping (YAML and JSON readers keep only the last), and a document
        of more than :data:`MAX_NODES` values once YAML aliases are expanded (validation walks every one)."""
        stack = [self.root] if self.root is not None else []
        visits = 0
        while stack:
            node = stack.pop()
            visits += 1
            if visits > MAX_NODES:
                raise PolicycheckError(self.path, f"more than {MAX_NODES:,} values once YAML aliases are expanded")
            if isinstance(node, yaml.MappingNode):
                seen: dict[str, int] = {}
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        line = key.start_mark.line + 1
                        if key.value in seen:
                            raise PolicycheckError(self.path, f"key {key.value!r} appears twice in one mapping "
                                                              f"(first at line {seen[key.value]})", line=line)
                        seen[key.value] = line
                    stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)

    def line(self, loc: Loc) -> int | None:
        """The line of the value at ``loc`` (keys and list indexes from the top), or of the deepest part of it
        that exists: a missing field is reported at the line of the mapping that lacks it."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)),
                            None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def fail(self, loc: Loc, what: str) -> PolicycheckError:
        """The error ``FILE:LINE: FIELD: WHAT`` for the value at ``loc`` (to raise)."""
        where = field_path(loc)
        return PolicycheckError(self.path, f"{where}: {what}" if where else what, line=self.line(loc))

    def validate(self, model: Any, data: Any = None) -> Any:
        """``data`` (default: the whole document) validated as ``model`` (a pydantic model or any type a pydantic
        ``TypeAdapter`` takes). Raises :class:`PolicycheckError` for the first problem in file order."""
        value = self.data if data is None else data
        try:
            return TypeAdapter(model).validate_python(value)
        except ValidationError as exc:
            raise self._error(exc, value) from None
        except RecursionError as exc:
            raise PolicycheckError(self.path, "nested too deeply") from exc

    def _error(self, exc: ValidationError, data: Any) -> PolicycheckError:
        """The first problem: an unknown field before any other (a misspelt key also makes its right name
        missing), a missing field last, else in file order."""
        errors = [(_data_loc(data, e["loc"], e["type"] == "missing"), e) for e in exc.errors()]
        missing = [loc for loc, e in errors if e["type"] == "missing"]
        rank = {"extra_forbidden": 0, "missing": 2}
        loc, error = min(errors, key=lambda pair: (rank.get(pair[1]["type"], 1), self.line(pair[0]) or 0))
        what = _message(error)
        if error["type"] == "extra_forbidden":
            names = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            what += f" (did you mean {close[0]!r}?)" if close else ""
        more = len(errors) - 1
        return self.fail(loc, what + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


def load_model(path: Path, model: type[T], what: str, empty: Any = None) -> tuple[T, Document]:
    """Read ``path`` (YAML, or JSON when it ends in ``.json``) and validate it as ``model``; an empty file is
    ``empty``. Output: the validated value and its :class:`Document` (for checks across entries). Raises
    :class:`PolicycheckError` ``FILE:LINE: FIELD: WHAT`` for the first problem; ``what`` names the file's role."""
    doc = Document.read_json(path, what) if path.suffix == ".json" else Document.read(path, what)
    if doc.data is None:
        doc.data = empty
    return doc.validate(model), doc


def field_path(loc: Loc) -> str:
    """``('captures', 'x.pcapng', 'key_log')`` -> ``captures["x.pcapng"].key_log``; ``(3, 'kind')`` -> ``[3].kind``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def first_problem(exc: ValidationError, data: Any) -> tuple[list[str | int], str]:
    """The first error of ``exc`` (pydantic's order) as (location in ``data``, message), for validators outside a
    :class:`Document` (the gold files: their mappings carry their own lines)."""
    error = exc.errors()[0]
    return _data_loc(data, error["loc"], error["type"] == "missing"), _message(error)


def _data_loc(data: Any, loc: tuple[str | int, ...], missing: bool) -> list[str | int]:
    """A pydantic error location restricted to keys and indexes of the data (drops union members and validator
    names such as ``list[str]`` or ``function-after[...]``); a ``missing`` field keeps its name at the end (the
    error of any other kind never does: ``negated.str`` named a union member, ``str``, of a mapping's field)."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.isdigit() and int(part) in node:
            out.append(part)
            node = node[int(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif missing and i == len(loc) - 1 and isinstance(node, dict) and isinstance(part, str) and part != "[key]":
            out.append(part)
    return out


def _message(error: Any) -> str:
    kind, message = error["type"], str(error["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "missing field"
    if isinstance(error.get("input"), bool) and kind.startswith("string"):
        return f"{message} (YAML reads a bare yes/no/on/off/true/false as a boolean: quote it)"
    return message
