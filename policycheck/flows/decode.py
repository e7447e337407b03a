"""Payload decoding: request body bytes -> every decoded leaf value with its field path.

Layers recognised, in any nesting: schema-less protobuf (:mod:`policycheck.flows.protobuf`), JSON,
XML, URL-encoded forms (``k=v&k=v``), percent-encoded strings, comma-separated report lines, base64,
gzip and zlib. Each length-delimited protobuf field is read every plausible way: as text when it is
printable UTF-8 and as a nested message when it parses as one (both when both hold); 32/64-bit fields
as integer and as float. Protobuf key-value pairs (``{1: "netType", 3: "wifi"}``) name their value, and
known message schemas (``messages`` in ``mappings/endpoints.yaml``, e.g. WeChat's BaseRequest header)
name fields by number; known payloads (``payloads`` there: forms and JSON objects recognised by their keys, e.g.
WeChat's session ticket) name the container of their values.

:func:`decode` never raises on bad input: what cannot be read becomes a ``bytes`` leaf and the flow's
``decode_status`` says so (``empty``, ``undecodable``, ``truncated``, ``too_large``, ``too_deep``, or the
layers found, e.g. ``protobuf+json+form``).

Limits (:mod:`policycheck.flows.limits`): a body nested deeper than :data:`~limits.MAX_LAYERS` encoding
layers (gzip in gzip ...) or whose JSON/XML nests deeper than :data:`~limits.MAX_NESTING` levels is skipped
(``too_deep``), one whose decompression and base64 layers together would produce more than
:func:`~limits.expansion_budget` bytes is skipped (``too_large``); :attr:`Decoded.limit` says which. At
most :data:`~limits.MAX_LEAVES` values are kept (:attr:`Decoded.dropped` counts the rest). Nested
protobuf messages and text deeper than ``MAX_LAYERS`` layers are kept as undecoded leaves. JSON and XML
are walked with explicit stacks; the remaining recursion (one call per decoding layer) is bounded by
``MAX_LAYERS``, never by the input, and every layer reads its input once, so the cost is linear in the
body's size.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote
from xml.etree import ElementTree

from policycheck.flows import limits, protobuf
from policycheck.flows.limits import MAX_LAYERS, MAX_LEAVES, MAX_NESTING, LimitExceeded
from policycheck.flows.model import Leaf
from policycheck.sizes import size_text

MAX_DEPTH = MAX_LAYERS
NESTED_MAX_FIELD = 20_000  # nested readings with larger field numbers are taken for noise

LAYER_ORDER = ("protobuf", "json", "xml", "form", "csv", "base64", "gzip", "zlib", "url", "text")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,47}$")
_FORM = re.compile(r"^[A-Za-z0-9_.\-%\[\]]+=[^&=]*(?:&[A-Za-z0-9_.\-%\[\]]+=[^&]*)+$")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_\-]{16,}={0,2}$")
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_STRUCTURE = re.compile(r"[{\[<=,%]")  # characters without which a short string is not JSON/XML/form/CSV/URL
_GENERIC_ATTRS = frozenset({"name", "value", "val", "v", "data"})


@dataclass(frozen=True)
class MessageSchema:
    """Names for the fields of a protobuf message WeChat sends, from ``mappings/endpoints.yaml``.

    A message is recognised at the field paths ``at`` (``''`` for the top level) of requests to
    ``endpoints`` (API paths; empty = any), or anywhere its ``signature`` holds (field number -> regex
    the field's text must match). ``fields`` maps field numbers to names (which the key-name detector
    then looks up in the data-type ontology). ``envelope``: the client sends this message with every request,
    whatever the feature (WeChat's BaseRequest session header): what it carries is evidence of the platform's
    collection in general, not of the feature the request serves (:attr:`Decoded.envelopes`).
    """

    name: str
    fields: dict[int, str]
    at: frozenset[str] = frozenset()
    endpoints: frozenset[str] = frozenset()
    signature: tuple[tuple[int, re.Pattern[str]], ...] = ()
    envelope: bool = False

    def applies_to(self, endpoint: str | None) -> bool:
        return not self.endpoints or endpoint in self.endpoints


@dataclass(frozen=True)
class PayloadSchema:
    """A text payload a client writes (URL-encoded form or JSON object), named by the keys it holds, from
    ``payloads`` of ``mappings/endpoints.yaml``.

    A form or object holding every key of ``keys`` (compared ignoring case) is this payload: the values inside it
    take ``name`` as their parent (:attr:`Leaf.parent`), so a key that means different things in different
    payloads (``version``: WeChat's client version in its session ticket, a Mini Program's own version or a base
    library's elsewhere) is given a data type in this payload only (``SessionTicket/version`` in
    ``data_types.yaml``). ``endpoints``: API paths where it applies (empty = any).
    """

    name: str
    keys: frozenset[str]
    endpoints: frozenset[str] = frozenset()

    def applies_to(self, endpoint: str | None) -> bool:
        return not self.endpoints or endpoint in self.endpoints

    def holds(self, keys: frozenset[str]) -> bool:
        """Whether a payload with these (casefolded) ``keys`` is this one."""
        return self.keys <= keys


Schema = MessageSchema | PayloadSchema


@dataclass
class Decoded:
    """Leaves of one body plus how it decoded (``status``), where a truncated body stopped, the limit that
    made it skip the body (``limit``, e.g. ``nested deeper than 12 layers``), how many values beyond
    :data:`~limits.MAX_LEAVES` were dropped, and the field paths of the envelope messages found
    (:attr:`MessageSchema.envelope`; see :func:`in_envelope`)."""

    leaves: list[Leaf]
    status: str
    layers: set[str] = field(default_factory=set)
    truncated_at: int | None = None
    limit: str | None = None
    dropped: int = 0
    envelopes: tuple[str, ...] = ()


Names = Callable[[str], str]  # a key/element/attribute name -> the name to store (redacted when an identifier)


def is_text(raw: bytes) -> str | None:
    """``raw`` as text when it is printable UTF-8 (trailing NULs of C strings dropped), else ``None``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.rstrip("\x00")
    if not text or _CONTROL.search(text):
        return None
    return text


class Position(NamedTuple):
    """Where the walk stands: the field path so far, how many decoding layers or nesting levels deep it is
    (bounded by :data:`MAX_DEPTH`), and what the leaves found here carry (see :class:`Leaf`): the key that names
    the value, its container's name, and its place among its siblings (``group``, ``index``). Immutable (a named
    tuple: built once per value walked, where a frozen dataclass costs four times as much to build)."""

    path: str
    depth: int
    name: str | None = None
    parent: str | None = None
    group: str = ""
    index: int = 0

    def inner(self, layer: str) -> Position:
        """One decoding layer further in (``gzip``, ``url``...): the same value, named as before."""
        return Position(_join(self.path, layer), self.depth + 1, self.name, self.parent, self.group, self.index)

    def leaf(self, value: str | int | float | bytes, composite: bool = False) -> Leaf:
        return Leaf(self.path, value, self.name, self.parent, self.group, self.index, composite)


TOP = Position("", 0)


class _Walker:
    def __init__(self, schemas: Iterable[Schema], endpoint: str | None, budget: int,
                 names: Names | None) -> None:
        applying = [s for s in schemas if s.applies_to(endpoint)]
        self.schemas = [s for s in applying if isinstance(s, MessageSchema)]
        self.payloads = [s for s in applying if isinstance(s, PayloadSchema)]
        self.smallest_payload = min((len(p.keys) for p in self.payloads), default=0)
        self.leaves: list[Leaf] = []
        self.layers: set[str] = set()
        self.envelopes: list[str] = []  # field paths of envelope messages (MessageSchema.envelope)
        self.full = False
        self.dropped = 0
        self.budget = self.total_budget = budget
        self.names = names

    # -- output
    def emit(self, leaf: Leaf) -> None:
        if len(self.leaves) >= MAX_LEAVES:
            self.full = True
            self.dropped += 1
            return
        self.leaves.append(leaf)

    def key(self, raw: str) -> str | None:
        """A key, element or attribute name as stored: ``None`` when it looks like data (see
        :func:`_key_name`), else passed through ``names`` (which redacts identifiers)."""
        name = _key_name(raw)
        return self.names(name) if name is not None and self.names is not None else name

    def payload_name(self, keys: Iterable[Any], count: int) -> str | None:
        """The name of the payload (:class:`PayloadSchema`) whose keys a form or object of ``count`` ``keys``
        holds, else ``None`` (first match wins)."""
        if not self.payloads or count < self.smallest_payload:
            return None
        held = frozenset(str(key).casefold() for key in keys)
        return next((p.name for p in self.payloads if p.holds(held)), None)

    def spend(self, produced: int) -> None:
        """Count ``produced`` bytes of a decompression or base64 layer against the body's budget."""
        self.budget -= produced
        if self.budget < 0:
            raise LimitExceeded(f"expands to more than {size_text(self.total_budget)} when decompressed or "
                                "base64-decoded", "too_large")

    # -- bytes
    def decode_bytes(self, raw: bytes, at: Position) -> bool:
        """Decode a top-level or base64/compressed body. Returns False when nothing could be read."""
        if at.depth > MAX_LAYERS:
            raise LimitExceeded(f"nested deeper than {MAX_LAYERS} layers")
        inflated = self.inflate(raw)
        if inflated is not None:
            layer, data = inflated
            self.layers.add(layer)
            return self.decode_bytes(data, at.inner(layer))
        text = is_text(raw)
        if text is not None:
            self.layers.add("text")
            self.decode_text(text, at)
            return True
        parsed = protobuf.parse(raw)
        if parsed.status == "ok" and parsed.fields:
            self.layers.add("protobuf")
            self.message(parsed.fields, at)
            return True
        self.emit(Leaf(at.path or "raw", raw, at.name, at.parent, at.group, at.index))
        return False

    def inflate(self, raw: bytes) -> tuple[str, bytes] | None:
        """Decompress gzip or zlib data within the body's budget (streamed, :func:`limits.inflate`), else
        ``None``. Raises :class:`LimitExceeded` when the budget would be exceeded."""
        layer = _compression(raw)
        if layer is None:
            return None
        wbits = 16 + zlib.MAX_WBITS if layer == "gzip" else zlib.MAX_WBITS
        try:
            data = limits.inflate(raw, wbits, max(self.budget, 0))
        except LimitExceeded:
            self.spend(self.budget + 1)  # raises: this layer alone needs more than what is left
            return None
        except zlib.error:
            return None
        self.spend(len(data))
        return (layer, data) if data else None

    def message(self, fields: list[protobuf.Field], at: Position) -> None:
        """The fields of a protobuf message found at ``at`` (its path and depth; its naming is the fields')."""
        path = at.path
        if at.depth > MAX_DEPTH or self.full:
            return
        schema = self._schema_for(fields, path)
        if schema is not None and schema.envelope:
            self.envelopes.append(path)
        names = schema.fields if schema else _pair_names(fields, self.key)
        parent = schema.name if schema else None
        group = path or "$pb"
        for index, f in enumerate(fields):
            fpath = f"{path}.{f.number}" if path else str(f.number)
            fname = names.get(f.number) if names else None
            if f.wire_type == protobuf.LEN:  # a scalar's leaf is made directly: no position to pass on
                self.length_delimited(f.value, Position(fpath, at.depth + 1, fname, parent, group, index))
            elif f.wire_type == protobuf.VARINT:
                self.emit(Leaf(fpath, protobuf.signed64(f.value), fname, parent, group, index))
            else:
                as_float = protobuf.as_float32 if f.wire_type == protobuf.FIXED32 else protobuf.as_float64
                number = f.value if f.wire_type == protobuf.FIXED32 else protobuf.signed64(f.value)
                self.emit(Leaf(fpath, number, fname, parent, group, index))
                reading = as_float(f.value)
                if _plausible_float(reading):
                    self.emit(Leaf(fpath, reading, fname, parent, group, index))

    def length_delimited(self, raw: bytes, at: Position) -> None:
        if not raw:
            return
        read = False
        parsed = protobuf.parse(raw, NESTED_MAX_FIELD)
        as_message = parsed.status == "ok" and bool(parsed.fields)
        text = _text_reading(raw, as_message)
        if text is not None:
            read = True
            self.decode_text(text, at)
        if as_message and at.depth <= MAX_DEPTH:
            read = True
            self.message(parsed.fields, at)
        if not read:
            if _compression(raw) and at.depth <= MAX_DEPTH:
                self.decode_bytes(raw, at)
            else:
                self.emit(at.leaf(raw))

    def _schema_for(self, fields: list[protobuf.Field], path: str) -> MessageSchema | None:
        """The schema naming the message at ``path``: one declared at this path for this endpoint wins over one
        recognised only by its signature (a device-info message whose field 5 reads ``android-32`` is not a
        BaseRequest when the endpoint's own schema says what it is)."""
        for schema in self.schemas:
            if schema.at and path in schema.at:
                return schema
        for schema in self.schemas:
            if schema.signature and _signature_holds(schema, fields):
                return schema
        return None

    # -- text
    def decode_text(self, text: str, at: Position) -> None:
        if at.depth > MAX_DEPTH or self.full:
            self.emit(at.leaf(text))
            return
        stripped = text.strip()
        if len(stripped) < 16 and not _STRUCTURE.search(stripped):  # plain short value: the common case
            self.emit(Leaf(at.path, text, at.name, at.parent, at.group, at.index))  # (inline: the hot path)
            return
        decomposed = (
            self._json(stripped, at.path, at.depth)
            or self._xml(stripped, at.path, at.depth)
            or self._form(stripped, at.path, at.depth)
            or self._csv(stripped, at.path, at.depth)
        )
        if decomposed:
            if at.name:  # keep the named whole for key-name detection
                self.emit(at.leaf(text, composite=True))
            return
        if _PERCENT.search(stripped):
            unquoted = unquote(stripped)
            if unquoted != stripped:
                self.layers.add("url")
                self.decode_text(unquoted, at.inner("url"))
                return
        self.emit(at.leaf(text))
        self._base64(stripped, at.path, at.depth)

    def _json(self, text: str, path: str, depth: int) -> bool:
        if len(text) < 2 or (text[0], text[-1]) not in (("{", "}"), ("[", "]")):
            return False
        try:
            data = limits.load_json(text)
        except LimitExceeded as exc:
            raise LimitExceeded(f"JSON {exc}") from None
        except ValueError:
            return False
        self.layers.add("json")
        self._walk_json(data, _join(path, "$"), depth + 1)
        return True

    def _walk_json(self, data: object, path: str, depth: int) -> None:
        """Every scalar of ``data`` in document order, with an explicit stack (no recursion) of the containers being
        read, each as an iterator of its children: a child's position is made when it is reached, so the stack grows
        with the depth, not the width (a list of 2 million values made 2 million positions: 600 MB, 10 s)."""
        # A child is one level deeper: a container's children are read there, a string's text is decoded there.
        stack: list[Iterator[tuple[Any, Position]]] = [iter([(data, Position(path, depth, group=path))])]
        while stack and not self.full:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                continue
            value, at = item
            if isinstance(value, dict):
                stack.append(self._members(value, at))
            elif isinstance(value, list):
                stack.append(_elements(value, at))
            else:
                self._json_scalar(value, at)

    def _members(self, value: dict, at: Position) -> Iterator[tuple[Any, Position]]:
        """The members of a JSON object at ``at`` with their positions (keys that look like data by position)."""
        vpath, deeper = at.path, at.depth + 1
        parent = self.payload_name(value, len(value)) or at.name
        for i, (raw_key, child) in enumerate(value.items()):
            key = self.key(str(raw_key))
            yield child, Position(f"{vpath}.{key}" if key else f"{vpath}.{{{i}}}", deeper, key, parent, vpath, i)

    def _json_scalar(self, value: object, at: Position) -> None:
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, str):
            if value:
                self.decode_text(value, at)
        elif isinstance(value, int | float):
            self.emit(at.leaf(value))

    def _xml(self, text: str, path: str, depth: int) -> bool:
        if len(text) < 7 or text[0] != "<" or text[-1] != ">":
            return False
        try:
            root = ElementTree.fromstring(text)
        except (ElementTree.ParseError, ValueError):
            return False
        self.layers.add("xml")
        self._walk_xml(root, _join(path, "xml:"), depth + 1)
        return True

    def _walk_xml(self, root: ElementTree.Element, path: str, depth: int) -> None:
        """Attributes and text of every element in document order, with an explicit stack (no recursion).
        Element and attribute names that look like data are stored by position (``{2}``), identifiers
        redacted (``names``)."""
        stack: list[tuple[ElementTree.Element, str, int, str | None, int, int]] = [(root, path, depth, None, 0, 1)]
        while stack and not self.full:
            element, ppath, edepth, parent, position, level = stack.pop()
            if level > MAX_NESTING:
                raise LimitExceeded(f"XML nested deeper than {MAX_NESTING} levels")
            raw_tag = element.tag if isinstance(element.tag, str) else "node"
            tag = self.key(raw_tag.rpartition("}")[2]) or f"{{{position}}}"
            epath = f"{ppath}/{tag}"
            index = 0
            for i, (raw_attr, value) in enumerate(element.attrib.items()):
                if value:
                    attr = self.key(raw_attr.rpartition("}")[2]) or f"{{{i}}}"
                    generic = attr.lower() in _GENERIC_ATTRS
                    self.decode_text(value, Position(f"{epath}/@{attr}", edepth + 1, tag if generic else attr,
                                                     parent if generic else tag, epath, index))
                    index += 1
            if element.text and element.text.strip():
                self.decode_text(element.text.strip(), Position(epath, edepth + 1, tag, parent, ppath, 0))
            stack.extend(reversed([(child, epath, edepth + 1, tag, i, level + 1) for i, child in enumerate(element)]))

    def _form(self, text: str, path: str, depth: int) -> bool:
        if "=" not in text or "&" not in text or not _FORM.match(text):
            return False
        self.layers.add("form")
        fpath = _join(path, "?")
        pairs = parse_qsl(text, keep_blank_values=True)
        parent = self.payload_name((raw_key for raw_key, _ in pairs), len(pairs))
        for index, (raw_key, value) in enumerate(pairs):
            if self.full:
                break
            key = self.key(raw_key)
            if value:
                self.decode_text(value, Position(f"{fpath}{key or f'{{{index}}}'}", depth + 1, key, parent, fpath,
                                                 index))
        return True

    def _csv(self, text: str, path: str, depth: int) -> bool:
        commas = text.count(",")
        if commas < 2 and not (commas == 1 and " " not in text):
            return False
        self.layers.add("csv")
        cpath = _join(path, "")
        for index, item in enumerate(text.split(",")):
            if self.full:
                break
            item = item.strip()
            if item:
                self.decode_text(item, Position(f"{cpath}[{index}]", depth + 1, None, None, cpath or "$csv", index))
        return True

    def _base64(self, text: str, path: str, depth: int) -> None:
        if len(text) < 16 or _HEX.match(text) or text.isdigit():
            return
        if _BASE64.match(text):
            decoder = base64.b64decode
        elif _BASE64URL.match(text):
            decoder = base64.urlsafe_b64decode
            text += "=" * (-len(text) % 4)
        else:
            return
        try:
            raw = decoder(text)
        except (binascii.Error, ValueError):
            return
        if not _meaningful(raw):
            return
        self.spend(len(raw))
        self.layers.add("base64")
        self.decode_bytes(raw, Position(_join(path, "b64"), depth + 1))


def _elements(value: list, at: Position) -> Iterator[tuple[Any, Position]]:
    """The elements of a JSON array at ``at`` with their positions (named like the array)."""
    vpath, deeper = at.path, at.depth + 1
    for i, child in enumerate(value):
        yield child, Position(f"{vpath}[{i}]", deeper, at.name, None, vpath, i)


def _join(path: str, part: str) -> str:
    return f"{path}/{part}" if path else part


def _signature_holds(schema: MessageSchema, fields: list[protobuf.Field]) -> bool:
    by_number = {f.number: f for f in fields}
    for number, pattern in schema.signature:
        f = by_number.get(number)
        if f is None or f.wire_type != protobuf.LEN:
            return False
        text = is_text(f.value)
        if text is None or not pattern.search(text):
            return False
    return True


def _text_reading(raw: bytes, is_message: bool) -> str | None:
    """``raw`` as text, if it is printable; not when it also parses as a protobuf message and starts
    with a control byte (``\n`` is the tag of field 1): text does not start that way, messages do."""
    if is_message and raw[:1] < b" ":
        return None
    return is_text(raw)


def _key_name(key: str) -> str | None:
    """A JSON/form key as a field name, or ``None`` when the key looks like data rather than a name
    (not an identifier, or 4+ digits: maps keyed by user ids or phone numbers). Such keys appear in
    field paths only by position (``$.{3}``), so no personal data is stored through a path."""
    if not _IDENTIFIER.match(key) or sum(ch.isdigit() for ch in key) >= 4:
        return None
    return key


def _pair_names(fields: list[protobuf.Field], key_name: Callable[[str], str | None]) -> dict[int, str] | None:
    """Name the value of a protobuf key-value pair: field 1 an identifier, one other text field."""
    if not 2 <= len(fields) <= 3 or fields[0].number != 1 or fields[0].wire_type != protobuf.LEN:
        return None
    text = is_text(fields[0].value)
    key = key_name(text) if text is not None else None
    if key is None:
        return None
    texts = [f for f in fields[1:] if f.wire_type == protobuf.LEN]
    if len(texts) != 1 or (texts[0].value and is_text(texts[0].value) is None):
        return None
    return {texts[0].number: key}


def _plausible_prefix(fields: list[protobuf.Field]) -> bool:
    """Whether the fields read before a body was cut look like a message, not like random bytes.

    Encrypted bodies (``newsync``) often parse a few bytes as fields before failing; a cut message has
    small field numbers and at least one length-delimited field (of 4 bytes or more) that itself reads as
    text or as a message.
    """
    if not fields or any(f.number > 1000 for f in fields):
        return False
    return any(
        f.wire_type == protobuf.LEN and len(f.value) >= 4
        and (is_text(f.value) is not None or protobuf.parse(f.value, 1000).status == "ok")
        for f in fields
    )


def _plausible_float(value: float) -> bool:
    return math.isfinite(value) and (value == 0.0 or 1e-4 <= abs(value) <= 1e7)


def _compression(raw: bytes) -> str | None:
    """``'gzip'`` or ``'zlib'`` when ``raw`` starts like such a stream (RFC 1952, RFC 1950), else ``None``."""
    if len(raw) < 3:
        return None
    if raw[:2] == b"\x1f\x8b":
        return "gzip"
    if raw[0] == 0x78 and raw[1] in (0x01, 0x5E, 0x9C, 0xDA):
        return "zlib"
    return None




def _meaningful(raw: bytes) -> bool:
    """Whether base64-decoded bytes are worth decoding (text, compressed, or a sane protobuf message)."""
    if _compression(raw) or (len(raw) >= 4 and is_text(raw) is not None):
        return True
    parsed = protobuf.parse(raw, 1000)
    return parsed.status == "ok" and len(parsed.fields) >= 2


def decode(body: bytes | None, schemas: Iterable[Schema] = (), endpoint: str | None = None,
           max_bytes: int = limits.MAX_BODY_BYTES, names: Names | None = None) -> Decoded:
    """Decode one request body into leaves.

    Inputs: ``body`` (``None`` or ``b''`` for no payload), the message and payload ``schemas`` of the endpoint
    knowledge, the request's API path ``endpoint`` (selects endpoint-specific schemas), a size limit
    ``max_bytes`` above which the body is not decoded (status ``too_large``) and ``names``, applied to
    every key, element and attribute name before it enters a field path (ingest redacts identifiers with
    it). Output: :class:`Decoded` whose ``status`` is ``empty``, ``too_large``, ``too_deep`` (a limit of
    :mod:`policycheck.flows.limits` was crossed: no leaves, ``limit`` says which), ``undecodable``
    (nothing structured found; the whole body is one bytes leaf), or the ``+``-joined layers found, with
    ``+truncated`` appended when the top-level protobuf message was cut (its readable prefix is kept,
    ``truncated_at`` gives the byte). Never raises on bad input.
    """
    if not body:
        return Decoded([], "empty")
    if len(body) > max_bytes:
        return Decoded([], "too_large", limit=f"{size_text(len(body))}, above the {size_text(max_bytes)} decode limit")
    walker = _Walker(schemas, endpoint, limits.expansion_budget(len(body)), names)
    try:
        return _decode(walker, body)
    except LimitExceeded as exc:
        return Decoded([], exc.status, walker.layers, limit=str(exc))


def _decode(walker: _Walker, body: bytes) -> Decoded:
    truncated_at = None
    parsed = None if _compression(body) else protobuf.parse(body)
    text = _text_reading(body, parsed is not None and parsed.status == "ok" and bool(parsed.fields))
    read = False
    if parsed is not None and parsed.status == "ok" and parsed.fields:
        walker.layers.add("protobuf")
        walker.message(parsed.fields, TOP)
        read = True
    elif (parsed is not None and parsed.status == "truncated" and text is None
          and _plausible_prefix(parsed.fields)):
        walker.layers.add("protobuf")
        walker.message(parsed.fields, TOP)
        walker.emit(Leaf(f"raw@{parsed.end}", body[parsed.end:]))
        truncated_at = parsed.end
        read = True
    if text is not None or not read:  # a printable body is also read as text (both readings kept)
        read = walker.decode_bytes(body, TOP) or read
    if not read:
        return Decoded(walker.leaves, "undecodable", dropped=walker.dropped, envelopes=tuple(walker.envelopes))
    layers = [layer for layer in LAYER_ORDER if layer in walker.layers]
    if "text" in walker.layers and len(layers) > 1:
        layers.remove("text")
    status = "+".join(layers) or "undecodable"
    if truncated_at is not None:
        status += "+truncated"
    return Decoded(walker.leaves, status, walker.layers, truncated_at, dropped=walker.dropped,
                   envelopes=tuple(walker.envelopes))


def in_envelope(path: str, envelopes: tuple[str, ...]) -> bool:
    """Whether the value at field path ``path`` lies inside one of the envelope messages at ``envelopes``
    (:attr:`Decoded.envelopes`): ``1.2`` and ``1.2/b64`` lie inside the message at ``1``, ``11.2`` does not; a
    message at the top level (``''``) holds every path."""
    return any(not at or path == at or path.startswith((f"{at}.", f"{at}/")) for at in envelopes)


def decode_fields(fields: Iterable[tuple[str, str, str | bytes]], schemas: Iterable[Schema] = (),
                  endpoint: str | None = None, names: Names | None = None) -> list[Leaf]:
    """Leaves of a request's named values besides its body (headers, cookies, query, form parts, WeChat's
    request header), each decoded like a body value, within the same limits.

    Input: ``(source, name, value)`` triples (see :class:`policycheck.flows.model.RawRequest`) and ``names``
    as for :func:`decode`. Output: the leaves, named ``name`` (so the key detector sees ``user-agent``,
    ``uin``), with paths ``source:name`` then the inner layers (``cookie:session/b64``); a value that crosses
    a limit is kept as one undecoded leaf. Never raises on bad input.
    """
    fields = list(fields)
    walker = _Walker(schemas, endpoint, limits.expansion_budget(sum(len(v) for _, _, v in fields)), names)
    for index, (source, name, value) in enumerate(fields):
        key = walker.key(name)
        path = f"{source}:{key or f'{{{index}}}'}"
        at = Position(path, 1, key, source, source, index)
        try:
            if isinstance(value, bytes):
                walker.decode_bytes(value, at)
            elif value:
                walker.decode_text(value, at)
        except LimitExceeded:
            walker.emit(at.leaf(value))
    return walker.leaves
