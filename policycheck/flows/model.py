"""Plain records passed between the flow stages: requests read from a capture, decoded leaves, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from policycheck.surrogates import scalar


@dataclass(slots=True)
class RawRequest:
    """One outgoing request as a reader found it in a capture file.

    ``line`` is the 1-based line (or entry index, or pcap frame number) in the file; ``body`` the request
    payload bytes (``None`` when the entry's payload was unreadable or stays encrypted: ``problem`` or
    ``body_status`` then says why). ``path`` is the API path or URL path, ``req_type_id`` WeChat's numeric
    request type when the format carries it, ``time`` a timestamp the capture format itself gives (naive
    UTC), ``fields`` further named values of the request that are decoded and inspected like the body, as
    ``(source, name, value)``: ``source`` is ``header``, ``cookie``, ``query``, ``form`` (multipart parts)
    or ``mmtls`` (WeChat's request header), and the leaf path becomes ``source:name``. ``method``, ``url``
    (scheme, host, port and path; never the query string, whose values are personal data),
    ``connection`` (the transport connection within the capture) and ``protocol`` (``http``, ``https``,
    ``mmtls``) describe how it was sent, when the format says. Lone surrogates in its text (mitmproxy decodes
    bytes that are not UTF-8 with ``surrogateescape``) become U+FFFD (:mod:`policycheck.surrogates`).
    """

    line: int
    body: bytes | None
    path: str | None = None
    req_type_id: int | None = None
    host: str | None = None
    time: datetime | None = None
    fields: list[tuple[str, str, str | bytes]] = field(default_factory=list)
    problem: str | None = None
    method: str | None = None
    url: str | None = None
    connection: str | None = None
    protocol: str | None = None
    body_status: str | None = None  # decode status when body is None ('encrypted': inner layer not decrypted)

    def __post_init__(self) -> None:
        for name in ("path", "host", "method", "url", "connection", "protocol"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, scalar(value))
        self.fields = [(scalar(s), scalar(n), scalar(v) if isinstance(v, str) else v) for s, n, v in self.fields]
        if not fits_integer(self.req_type_id):
            self.req_type_id = None
            self.problem = self.problem or "request type id out of range (a 32-bit integer); ignored"


@dataclass(slots=True)
class RawResponse:
    """Data the server sent back. Kept apart from requests: it is not data the phone disclosed.

    ``request_line`` is the ``line`` of the request it answers when the format pairs them (HTTP exchanges),
    ``status`` the HTTP status code, ``body`` the (decrypted, content-decoded) payload or ``None``.
    """

    line: int
    body: bytes | None
    time: datetime | None = None
    request_line: int | None = None
    status: int | None = None
    content_type: str | None = None
    connection: str | None = None
    protocol: str | None = None
    body_status: str | None = None

    def __post_init__(self) -> None:
        for name in ("content_type", "connection", "protocol"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, scalar(value))
        if not fits_integer(self.status):
            self.status = None  # not an HTTP status code


INTEGER_RANGE = (-(2**31), 2**31 - 1)  # the store's INTEGER columns (req_type_id, status)


def fits_integer(value: int | None) -> bool:
    """Whether ``value`` (from a capture) fits a 32-bit INTEGER column of the store; ``None`` fits."""
    return value is None or INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]


@dataclass(slots=True)
class Note:
    """Something about a whole capture worth telling (counts of records that could not be decrypted)."""

    text: str


@dataclass(slots=True)
class Problem:
    """A part of a capture that could not be read (bad line, bad payload): reported, never fatal."""

    line: int | None
    problem: str


MAX_PROBLEMS_KEPT = 1000  # problems stored per capture file; a damaged file can have one per frame or line


class Problems(list[Problem]):
    """The problems of one capture file, in order: the first :data:`MAX_PROBLEMS_KEPT` kept, the rest only counted
    (a damaged pcap or log can have one per frame or line, which would fill the store with rows that say the
    same). ``total`` counts all; :meth:`kept` is what is stored, with one closing problem that says how many more
    there were."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, problem: Problem) -> None:
        self.total += 1
        if len(self) < MAX_PROBLEMS_KEPT:
            super().append(problem)

    def kept(self) -> list[Problem]:
        """The kept problems (list of :class:`Problem`), and when some were only counted, a last one (line None)
        naming their number."""
        more = self.total - len(self)
        if not more:
            return list(self)
        return [*self, Problem(None, f"{more:,} more problems in this file, not stored (the first "
                                     f"{MAX_PROBLEMS_KEPT:,} are)")]


@dataclass(slots=True)
class Leaf:
    """One decoded value of a request body and where it sits.

    ``path`` is the field path through every decoding layer: protobuf field numbers joined by ``.``,
    then ``/`` and the inner layer's own notation (``$.key`` JSON, ``?key`` URL-encoded form, ``[i]``
    comma-separated line, ``xml:/a/b/@attr`` XML, ``b64``/``gzip``/``zlib``/``url`` for encodings),
    e.g. ``2.2/$.devicemodel``. ``name`` is the key that names the value (JSON/form key, XML tag,
    protobuf key-value pair key, or a field name from a known message schema); ``parent`` the name of
    the enclosing container (XML parent tag, JSON key, schema message name, or the name of a known payload
    of ``mappings/endpoints.yaml`` the value sits in). ``group``/``index`` place the leaf among its siblings
    (for detectors that look at neighbours, such as coordinate pairs).
    ``composite`` marks a string that was further decoded into its own leaves (kept for key-name
    detection, skipped by value detectors to avoid counting the same value twice).
    """

    path: str
    value: str | int | float | bytes
    name: str | None = None
    parent: str | None = None
    group: str = ""
    index: int = 0
    composite: bool = False

    def text(self) -> str:
        """The value as text: strings as is, numbers in plain notation, bytes as Latin-1."""
        value = self.value
        if isinstance(value, str):
            return value
        if isinstance(value, bytes):
            return value.decode("latin-1")
        if isinstance(value, float):
            return format_float(value)
        return str(value)


def format_float(value: float) -> str:
    """A float as plain text with at most 6 decimals (float32 readings carry noise beyond that)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(slots=True)
class Finding:
    """A detector's claim that ``leaf`` (or raw bytes at ``path``) carries ``data_type``."""

    data_type: str
    path: str
    detector: str
    confidence: float
    value: str
    field_name: str | None = None
