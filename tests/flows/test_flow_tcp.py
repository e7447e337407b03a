"""TCP reassembly of the pcap reader on packets written with dpkt: out of order, retransmitted, lost."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import dpkt
import pytest

from policycheck.flows.model import Note, Problem, RawRequest, RawResponse
from policycheck.flows.readers import ReaderSettings, detect_format, open_reader

CLIENT, SERVER = ("10.1.2.3", 40000), ("127.0.0.1", 8080)


def packet(src, dst, seq, flags=dpkt.tcp.TH_ACK, data=b"") -> bytes:
    tcp = dpkt.tcp.TCP(sport=src[1], dport=dst[1], seq=seq, flags=flags, data=data)
    ip = dpkt.ip.IP(src=socket.inet_aton(src[0]), dst=socket.inet_aton(dst[0]), p=dpkt.ip.IP_PROTO_TCP, data=tcp)
    ip.len = len(bytes(ip))
    return bytes(dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, data=ip))


def request(body: dict) -> bytes:
    payload = json.dumps(body).encode()
    return (b"POST /report?uin=2086153344 HTTP/1.1\r\nHost: t.ads.test\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)


def write(path: Path, packets: list[bytes]) -> None:
    with path.open("wb") as handle:
        writer = dpkt.pcap.Writer(handle)
        for i, data in enumerate(packets):
            writer.writepkt(data, ts=1_700_000_000 + i)


def test_out_of_order_retransmitted_and_lost_segments(tmp_path):
    first = request({"imei": "490154203237518", "n": 1})
    second = request({"imei": "490154203237518", "n": 2})
    third = request({"imei": "490154203237518", "n": 3})
    isn = 0xFFFFFF00  # the sequence numbers wrap around 2**32 inside the first request
    a, b, c = first[:40], first[40:90], first[90:]
    seq = (isn + 1) % (1 << 32)
    packets = [
        packet(CLIENT, SERVER, isn, dpkt.tcp.TH_SYN),                                     # frame 1
        packet(SERVER, CLIENT, 5000, dpkt.tcp.TH_SYN | dpkt.tcp.TH_ACK),                  # frame 2
        packet(CLIENT, SERVER, (seq + 40) % (1 << 32), data=b),                           # frame 3: early
        packet(CLIENT, SERVER, seq, data=a),                                              # frame 4
        packet(CLIENT, SERVER, seq, data=a),                                              # frame 5: again
        packet(CLIENT, SERVER, (seq + 90) % (1 << 32), data=c),                           # frame 6
        packet(SERVER, CLIENT, 5001, data=b"HTTP/1.1 204 No Content\r\n\r\n"),           # frame 7
    ]
    offset = (seq + len(first)) % (1 << 32)
    # the second request loses its middle segment; the third follows and must still be read
    packets.append(packet(CLIENT, SERVER, offset, data=second[:30]))                      # frame 8
    packets.append(packet(CLIENT, SERVER, (offset + 60) % (1 << 32), data=second[60:]))  # frame 9
    packets.append(packet(CLIENT, SERVER, (offset + len(second)) % (1 << 32), data=third))  # frame 10
    packets.append(packet(CLIENT, SERVER, (offset + len(second) + len(third)) % (1 << 32),
                          dpkt.tcp.TH_FIN | dpkt.tcp.TH_ACK))                              # frame 11
    path = tmp_path / "handmade.pcap"
    write(path, packets)
    assert detect_format(path.read_bytes()[:64]) == "pcap"
    items = list(open_reader("pcap", ReaderSettings()).read(path))
    requests = [i for i in items if isinstance(i, RawRequest)]
    assert [json.loads(r.body)["n"] for r in requests] == [1, 3]
    assert requests[0].line == 4 and requests[0].host == "t.ads.test" and requests[0].path == "/report"
    assert ("query", "uin", "2086153344") in requests[0].fields
    assert requests[0].connection == "tcp1 127.0.0.1:8080" and requests[0].url == "http://t.ads.test:8080/report"
    responses = [i for i in items if isinstance(i, RawResponse)]
    assert [(r.status, r.request_line) for r in responses] == [(204, 4)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert any(p.line == 9 and "30 bytes" in p.problem and "missing" in p.problem for p in problems)
    assert any(isinstance(i, Note) and "http requests 2" in i.text for i in items)


def test_unreadable_and_empty_captures(tmp_path):
    broken = tmp_path / "broken.pcap"
    broken.write_bytes(b"\xd4\xc3\xb2\xa1" + b"\x00" * 7)
    items = list(open_reader("pcap", ReaderSettings()).read(broken))
    assert next(i.problem for i in items if isinstance(i, Problem)).startswith("not a readable pcap")


@pytest.mark.slow
def test_content_codings_are_bounded():
    import gzip
    import zlib

    import brotli
    import pytest
    import zstandard

    from policycheck.flows import limits
    from policycheck.flows.readers.http import content_decode, decode_body

    text = b'{"imei": "490154203237518"}'
    for coding, packed in [("gzip", gzip.compress(text)), ("deflate", zlib.compress(text)),
                           ("br", brotli.compress(text)), ("zstd", zstandard.ZstdCompressor().compress(text))]:
        assert content_decode(packed, coding) == text
    bomb = b"\0" * (64 * 1024 * 1024)
    for coding, packed in [("gzip", gzip.compress(bomb)), ("br", brotli.compress(bomb)),
                           ("zstd", zstandard.ZstdCompressor().compress(bomb))]:
        with pytest.raises(limits.LimitExceeded):
            content_decode(packed, coding)
    body, _, problem = decode_body(gzip.compress(bomb), [("Content-Encoding", "gzip")])
    assert len(body) < 1024 * 1024 and "decompresses to more than" in problem
    _, _, problem = decode_body(b"not gzip", [("Content-Encoding", "gzip")])
    assert problem == "body is not valid gzip (Content-Encoding); kept as sent"


def test_chunked_response_across_segments(tmp_path):
    ask = b"GET /cfg?lang=en HTTP/1.1\r\nHost: api.wechat.test\r\n\r\n"
    answer = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
              b"6\r\nhello \r\n10\r\n0123456789abcdef\r\n0\r\n\r\n")
    packets = [packet(CLIENT, SERVER, 100, dpkt.tcp.TH_SYN), packet(SERVER, CLIENT, 900, dpkt.tcp.TH_SYN | 16),
               packet(CLIENT, SERVER, 101, data=ask)]
    packets += [packet(SERVER, CLIENT, 901 + i, data=answer[i:i + 7]) for i in range(0, len(answer), 7)]
    path = tmp_path / "chunked.pcap"
    write(path, packets)
    items = list(open_reader("pcap", ReaderSettings()).read(path))
    (response,) = [i for i in items if isinstance(i, RawResponse)]
    assert (response.body, response.status, response.request_line) == (b"hello 0123456789abcdef", 200, 3)
    assert not [i for i in items if isinstance(i, Problem)]
