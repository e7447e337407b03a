"""Field by field, a data type is what the field holds (issue 9 item 3), on the real captures of ../shared.

A key name alone can mean different things in different payloads: ``version`` is WeChat's client version in its
session ticket, a Mini Program's or a base library's own version in a Mini Program's report, a template's in a
search report. Each test re-reads real requests with the project's endpoint map, decoders, detectors and device
profile (as ingest does) and compares what is typed with what the request itself says, never a raw value.
"""

from __future__ import annotations

from conftest import PROFILES, SESSION_2024, analysed, ingest_into

from policycheck import config
from policycheck.flows import decode as decode_mod
from policycheck.flows.endpoints import EndpointMap
from tests.conftest import require_shared

JUDGED = 0.5  # the default --min-confidence
# keys a Mini Program's payload uses for versions that are not WeChat's (its own, its base library's)
OTHER_VERSIONS = {"appversion", "sdk_version", "publicLibVersion"}


def test_app_version_is_wechats_own_version(onto):
    """In a Mini Program session, app_version is judged only where the value is WeChat's client version (the one
    BaseRequest carries, by value), never a Mini Program's own version or its base library's (``appversion``,
    ``sdk_version``), which a bare key name once made app_version too; the session ticket's ``version`` (WeChat's)
    still is."""
    requests = analysed(onto, "start_miniapp_example_data_1.log.jsonl")
    client = {leaf.text() for _, leaves, _ in requests for leaf in leaves
              if (leaf.parent, leaf.name) == ("BaseRequest", "clientversion")}
    others = {leaf.text() for _, leaves, _ in requests for leaf in leaves if leaf.name in OTHER_VERSIONS}
    typed = [f for _, _, found in requests for f in found if f.data_type == "app_version" and f.confidence >= JUDGED]
    assert client and others and typed
    assert not {f.value for f in typed} & others
    in_ticket = [f for f in typed if f.field_name == "SessionTicket.version"]
    assert in_ticket and {f.value for f in in_ticket} <= client
    named = {f.field_name for f in typed}
    assert not named & {"appversion", "sdk_version", "version", "qbase_meta.sdk_version"}, named


def test_search_report_version_is_its_own(onto):
    """A search report names WeChat's version ``wechatversion`` beside a ``version`` of its own (another number):
    the first is app_version, the second is not."""
    reports = [(leaves, found) for path, leaves, found in analysed(onto, "dl_mini_program_permissions_on_1.log.jsonl")
               if path.endswith("/searchreport")]
    searched = [(leaves, found) for leaves, found in reports if any(leaf.name == "wechatversion" for leaf in leaves)]
    assert searched
    for leaves, found in searched:
        named = {leaf.name: leaf.text() for leaf in leaves if leaf.name in ("version", "wechatversion")}
        assert named.keys() == {"version", "wechatversion"} and named["version"] != named["wechatversion"]
        typed = {f.field_name: f.value for f in found if f.data_type == "app_version" and f.confidence >= JUDGED}
        assert typed.get("wechatversion") == named["wechatversion"]
        assert "version" not in typed


def test_board_name_is_not_the_model(tmp_path, onto):
    """The 2024 login's device report (``softtype``) gives the board name in k35 (the emulator's ``goldfish``
    board, which its profile states as processor information) and the model in k9: k35 is no device model."""
    con, _ = ingest_into(tmp_path / "s24.duckdb", onto, [require_shared(*SESSION_2024)], request_type="763",
                         profile=PROFILES / "citizenlab-2024.yaml", captured_at=None)
    rows = con.execute("select field_name, data_type, detector from observations where field_name like '%k35' "
                       "or field_name like '%k9'").fetchall()
    board = {(t, d) for f, t, d in rows if f.endswith("k35")}
    assert board == {("cpu_information", "key"), ("cpu_information", "profile")}, board
    assert ("softtype.k9", "device_model", "key") in rows


def test_only_wechats_session_ticket_is_one(onto):
    """The session ticket is recognised by all its keys (``host`` too, present in every real ticket even when
    empty) and only in the requests of WeChat's Mini Program APIs that carry it: a form of the same generic keys
    another client sends elsewhere (an SDK's signed request) keeps its ``version`` its own, no WeChat version."""
    schemas = EndpointMap.load(config.mappings_dir(), onto).schemas
    ticket = b"hash=1234567&ts=1690000000&host=&version=671088944&device=2"

    def parents(body: bytes, endpoint: str) -> set[str | None]:
        return {leaf.parent for leaf in decode_mod.decode(body, schemas, endpoint).leaves if leaf.name == "version"}

    assert parents(ticket, "/cgi-bin/mmbiz-bin/wxaattr/launchwxaapp") == {"SessionTicket"}
    assert parents(ticket, "/api/v2/collect") == {None}  # another client's form of the same keys
    assert parents(b"hash=ab12&ts=1690000000&version=3.2.1&device=pixel",
                   "/cgi-bin/mmbiz-bin/wxaattr/launchwxaapp") == {None}  # no host: not the ticket


def test_real_values_under_generic_keys_have_their_formats(store_2023, onto):
    """The value formats that generic key names need (``formats`` in data_types.yaml: ``page``, ``query``,
    ``sdk``, ``rtt`` ...) accept what the real device sent under them: on the real 2023 captures every key
    observation of such a type is judged (0.9), none is pushed below the threshold."""
    con, _ = store_2023
    formatted = sorted(t for t, concept in onto.data_types.items() if concept.attrs["formats"])
    rows = con.execute("select data_type, confidence, count(*) from observations where detector = 'key' "
                       "and data_type in (select unnest(?)) group by all", [formatted]).fetchall()
    assert len({data_type for data_type, _, _ in rows}) >= 3, rows
    assert {confidence for _, confidence, _ in rows} == {0.9}, rows
