"""mitmproxy flow files (``mitmdump -w``, mitmweb "Save"), read with mitmproxy's own ``mitmproxy.io.FlowReader``.

The file is a sequence of tnetstring-serialised flows; ``FlowReader`` migrates flows written by older
mitmproxy versions to the installed one's format (``mitmproxy.io.compat``) and refuses newer ones. One
request per HTTP flow (TCP, UDP and DNS flows are counted, not read): method, URL, host (the Host header
as the client sent it), headers, cookies and query parameters as fields, the body decoded by its
Content-Encoding, the time the request started. A flow that cannot be migrated is one problem and the
flows after it are still read; a corrupt file stops at the corruption, the flows before it kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from policycheck.flows import limits
from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import http
from policycheck.flows.readers.tcp import epoch_utc
from policycheck.sizes import size_text

if TYPE_CHECKING:
    from mitmproxy import http as mitm_http

_SNIFF = re.compile(rb"^\d{1,12}:\d{1,12}:[A-Za-z_]{1,40}[,;]")


class MitmproxyReader:
    format = "mitmproxy"
    description = "mitmproxy flow file (mitmdump -w), read with mitmproxy.io.FlowReader"

    @staticmethod
    def sniff(head: bytes) -> bool:
        return bool(_SNIFF.match(head))

    def read(self, path: Path) -> Iterator[RawRequest | RawResponse | Problem | Note]:
        """One request (and response) per HTTP flow; ``line`` is the flow's 1-based number in the file."""
        from mitmproxy import exceptions, io  # imported when a flow file is read: ~0.4 s no other command needs
        from mitmproxy import http as mitm_http

        number = 0
        other = 0
        with path.open("rb") as raw:
            handle = _Bounded(raw, path.stat().st_size)
            while True:
                before = handle.tell()
                try:
                    for flow in io.FlowReader(handle).stream():
                        number += 1
                        if isinstance(flow, mitm_http.HTTPFlow):
                            yield from _flow(number, flow)
                        else:
                            other += 1
                    break
                except _FlowTooLarge as exc:  # its bytes are skipped unread, the next flows read
                    number += 1
                    yield Problem(number, f"flow {number} of {size_text(exc.size)} exceeds "
                                          f"{size_text(limits.MAX_ENTRY_BYTES)}; skipped")
                    handle.seek(exc.size + 1, 1)  # its data and its type byte
                except (exceptions.FlowReadException, RecursionError, *_NOT_A_FLOW) as exc:
                    number += 1
                    if isinstance(exc, RecursionError):
                        message = "nested too deeply"
                    elif isinstance(exc, _NOT_A_FLOW):  # tnetstring data that is no flow of any mitmproxy version
                        message = f"not a mitmproxy flow: {type(exc).__name__}"
                    else:
                        message = str(exc).splitlines()[0] if str(exc) else "invalid flow"
                    migratable = "flow format version" in message
                    if migratable:
                        yield Problem(number, f"flow {number} of another mitmproxy version: {message}; skipped")
                    else:
                        yield Problem(number, f"flow {number} cannot be read ({message}); the rest of the file "
                                              "is not read")
                    if not migratable or handle.tell() <= before:
                        break
        if other:
            yield Note(f"{other} non-HTTP flows (TCP, UDP, DNS) not read")


# what mitmproxy's migration and state code raise for well-formed tnetstrings that are not flows (a list where it
# expects a dict, a missing key, a key no flow has: ``Flow.set_state`` asserts none is left): the values are never
# shown, they can hold personal data
_NOT_A_FLOW = (AttributeError, KeyError, IndexError, TypeError, ValueError, UnicodeDecodeError, AssertionError)


class _FlowTooLarge(Exception):
    """``FlowReader`` asked for the ``size`` bytes of one flow (its tnetstring length), more than a flow may have."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _Bounded:
    """A binary file handle whose ``read(n)`` never asks for more than the file holds: a tnetstring length prefix
    of a damaged file (``999999999999:``) must not make ``FlowReader`` allocate that many bytes, nor read the rest of
    the file. ``FlowReader`` reads a whole flow at once: a read of more than :data:`~.limits.MAX_ENTRY_BYTES` raises
    :class:`_FlowTooLarge` instead, with the file positioned at the flow's data; a read of more than the file has left
    (but for the one byte that finds its end) raises ``FlowReadException``."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle, self._size = handle, size

    def read(self, n: int = -1) -> bytes:
        left = max(self._size - self._handle.tell(), 0)
        n = left if n is None or n < 0 else n
        if limits.MAX_ENTRY_BYTES < n <= left:
            raise _FlowTooLarge(n)
        if n > max(left, 1):  # a length beyond the file's end (a damaged or cut file): its rest, however large, unread
            from mitmproxy import exceptions
            raise exceptions.FlowReadException(f"its length, {n:,} bytes, goes beyond the end of the file")
        return self._handle.read(min(n, left))

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def readline(self, n: int = -1) -> bytes:
        return self._handle.readline(n)


def _flow(number: int, flow: mitm_http.HTTPFlow) -> Iterator[RawRequest | RawResponse]:
    from mitmproxy.utils import strutils
    request = flow.request
    headers = [(strutils.always_str(k, "latin-1"), strutils.always_str(v, "latin-1"))
               for k, v in request.headers.fields]
    host, base, path, query = http.split_url(request.pretty_url)
    cookies = [(str(k), str(v)) for k, v in request.cookies.items(multi=True)]
    fields = http.request_fields(headers, query, cookies)
    body, form, problem = http.decode_body(request.raw_content or b"", headers)
    fields.extend(form)
    time = epoch_utc(request.timestamp_start) if request.timestamp_start else None
    server = flow.server_conn.peername or flow.server_conn.address
    connection = f"{server[0]}:{server[1]}" if server else None
    scheme = request.scheme if request.scheme in ("http", "https") else None
    yield RawRequest(number, body, path=path, host=host, time=time, fields=fields, problem=problem,
                     method=request.method.upper(), url=base, connection=connection, protocol=scheme)
    response = flow.response
    if response is not None:
        response_headers = [(strutils.always_str(k, "latin-1"), strutils.always_str(v, "latin-1"))
                            for k, v in response.headers.fields]
        content, _, _ = http.decode_body(response.raw_content or b"", response_headers)
        when = epoch_utc(response.timestamp_start) if response.timestamp_start else time
        yield RawResponse(number, content, when, number, response.status_code,
                          http.header(response_headers, "content-type"), connection, scheme)
