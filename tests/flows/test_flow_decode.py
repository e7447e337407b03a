"""Payload decoding on constructed bodies: every layer, field paths, ambiguous readings, bad bodies."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re

from pbwrite import field, message

from policycheck.flows import protobuf
from policycheck.flows.decode import MessageSchema, PayloadSchema, decode, in_envelope


def leaves_by_path(decoded):
    found = {}
    for leaf in decoded.leaves:
        found.setdefault(leaf.path, []).append(leaf)
    return found


def test_every_layer_gets_a_field_path():
    analytics = json.dumps({"appid": "wx0123456789abcdef", "devicemodel": "Pixel 7",
                            "sessionid": "hash=42&ts=1700000000123&device=2", "event_value": '{"n":3}'})
    inner = message(field(1, "secret-ish"), field(2, 7))
    body = message(
        field(1, message(field(1, 1), field(2, analytics))),
        field(3, "a,b,-122.084,37.422,"),
        field(4, '<deviceinfo><MODEL name="Pixel 7"></MODEL></deviceinfo>'),
        field(5, base64.b64encode(inner).decode()),
        field(6, gzip.compress(json.dumps({"os_version": "Android 14"}).encode())),
        field(7, "query=%E5%B0%8F%E7%A8%8B%E5%BA%8F&scene=3"),
    )
    decoded = decode(body)
    paths = leaves_by_path(decoded)
    assert paths["1.2/$.devicemodel"][0].value == "Pixel 7"
    assert paths["1.2/$.devicemodel"][0].name == "devicemodel"
    assert paths["1.2/$.sessionid/?ts"][0].value == "1700000000123"
    assert paths["1.2/$.sessionid"][0].composite  # the named whole is kept for key-name detection
    assert paths["1.2/$.event_value/$.n"][0].value == 3
    assert [leaf.value for leaf in paths["3/[2]"]] == ["-122.084"]
    model = paths["4/xml:/deviceinfo/MODEL/@name"][0]
    assert (model.name, model.value) == ("MODEL", "Pixel 7")
    assert paths["5/b64.2"][0].value == 7
    assert paths["6/gzip/$.os_version"][0].value == "Android 14"
    assert paths["7/?query"][0].value == "小程序"
    assert decoded.status == "protobuf+json+xml+form+csv+base64+gzip"


def test_ambiguous_bytes_keep_every_reading():
    # b"(x" is printable text and also the message {5: 120}
    decoded = decode(message(field(1, b"(x"), field(2, -122.08406829833984, fixed32=True)))
    paths = leaves_by_path(decoded)
    assert [leaf.value for leaf in paths["1"]] == ["(x"]
    assert [leaf.value for leaf in paths["1.5"]] == [120]
    readings = [leaf.value for leaf in paths["2"]]
    assert isinstance(readings[0], int) and abs(readings[1] - -122.084068) < 1e-5


def test_key_value_pairs_and_schemas_name_fields():
    schema = MessageSchema("BaseRequest", {2: "uin", 3: "deviceid", 5: "devicetype"},
                           signature=((5, re.compile("^android", re.I)),))
    header = message(field(1, b"\x00"), field(2, 123456789), field(3, "Aabcdef012345678"),
                     field(5, "android-30"))
    body = message(field(1, header), field(3, message(field(1, "netType"), field(2, 0), field(3, "wifi"))))
    paths = leaves_by_path(decode(body, [schema]))
    assert (paths["1.2"][0].name, paths["1.2"][0].parent) == ("uin", "BaseRequest")
    assert paths["1.5"][0].name == "devicetype"
    assert paths["3.3"][0].name == "netType"
    # a schema bound to another endpoint is not applied
    bound = MessageSchema("Other", {2: "uin"}, at=frozenset({"1"}), endpoints=frozenset({"/elsewhere"}))
    assert leaves_by_path(decode(body, [bound], endpoint="/here"))["1.2"][0].name is None


def test_payloads_are_named_by_their_keys():
    """A form or JSON object holding every key of a payload schema (case ignored) names its values' container, so a
    key can be typed in that payload only; one lacking a key keeps its own container's name; a schema bound to
    another endpoint is not applied."""
    ticket = PayloadSchema("SessionTicket", frozenset({"hash", "ts", "version"}))
    body = json.dumps({"sessionid": "Hash=1&ts=2&version=3&device=4", "report": {"version": "2.24.7", "ts": 5},
                       "nested": {"HASH": 1, "ts": 2, "version": 3}}).encode()
    paths = leaves_by_path(decode(body, [ticket]))
    assert (paths["$.sessionid/?version"][0].name, paths["$.sessionid/?version"][0].parent) == ("version",
                                                                                                "SessionTicket")
    assert paths["$.nested.version"][0].parent == "SessionTicket"
    assert paths["$.report.version"][0].parent == "report"
    bound = PayloadSchema("SessionTicket", ticket.keys, frozenset({"/elsewhere"}))
    assert leaves_by_path(decode(body, [bound], endpoint="/here"))["$.nested.version"][0].parent == "nested"


def test_envelope_messages_mark_where_the_request_header_lies():
    """A message marked ``envelope`` (WeChat's BaseRequest) is found wherever its signature holds, nested too;
    only the values inside it lie in the envelope."""
    header = message(field(2, 123456789), field(3, "Aabcdef012345678"), field(5, "android-30"))
    body = message(field(1, header), field(3, message(field(2, message(field(1, header), field(4, "page/index"))))))
    schema = MessageSchema("BaseRequest", {2: "uin", 3: "deviceid", 5: "devicetype"},
                           signature=((5, re.compile("^android", re.I)),), envelope=True)
    decoded = decode(body, [schema])
    assert decoded.envelopes == ("1", "3.2.1")
    inside = {leaf.path for leaf in decoded.leaves if in_envelope(leaf.path, decoded.envelopes)}
    assert inside == {"1.2", "1.3", "1.5", "3.2.1.2", "3.2.1.3", "3.2.1.5"}
    assert not in_envelope("3.2.4", decoded.envelopes) and not in_envelope("11.2", ("1",))
    assert in_envelope("1.2/b64", ("1",)) and in_envelope("9", ("",))  # inner layers; a top-level envelope
    assert decode(body, [MessageSchema("BaseRequest", schema.fields, signature=schema.signature)]).envelopes == ()


def test_truncated_undecodable_empty_and_too_large():
    body = message(field(1, message(field(1, 1), field(2, "x" * 40))),
                   field(2, json.dumps({"a": "b" * 200})))
    cut = decode(body[: len(body) // 2])
    assert cut.status.endswith("+truncated") and cut.truncated_at is not None
    kept = [leaf for leaf in cut.leaves if leaf.path == "1.2"]
    assert [leaf.value for leaf in kept] == ["x" * 40], "the readable prefix is kept"
    noise = decode(bytes([0x27]) + os.urandom(300))  # wire type 7 at the first byte: not protobuf
    assert noise.status == "undecodable" and noise.leaves[0].value[:1] == b"\x27"
    assert decode(b"").status == "empty" and decode(None).status == "empty"
    assert decode(b"\x08\x01" * 100, max_bytes=10).status == "too_large"


def test_parser_reports_how_parsing_ended():
    assert protobuf.parse(field(1, "abc")).status == "ok"
    assert protobuf.parse(field(1, "abc")[:-1]).status == "truncated"
    assert protobuf.parse(b"\x0b").status == "invalid"  # group start: never used by WeChat
    assert protobuf.parse(field(70000, 1), max_field_number=1000).status == "invalid"


def test_keys_that_look_like_data_stay_out_of_paths():
    body = field(1, json.dumps({"+16502530000": {"nick": "x"}, "user12345678": 1, "page_path": "a/b"}))
    leaves = decode(body).leaves
    assert sorted(leaf.path for leaf in leaves) == ["1/$.page_path", "1/$.{0}.nick", "1/$.{1}"]
    assert {leaf.name for leaf in leaves} == {"nick", None, "page_path"}
