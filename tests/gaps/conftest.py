"""A builder for small hand-made stores: documents, versions, claims, captures, flows and observations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from policycheck.flows import overlap
from policycheck.gaps.classify import install

WECHAT = "wechat-privacy-policy-en"
WEIXIN = "weixin-privacy-policy-zh"


class Store:
    """Builds a minimal store: documents, versions (one block each), claims, captures, flows, observations."""

    def __init__(self, con) -> None:
        self.con = con
        self.ids = {"version": 0, "claim": 0, "flow": 0, "obs": 0, "capture": 0}
        con.execute("insert into documents values (?, 'WeChat', 'Privacy Policy', 'en', null, "
                    "'wechat-privacy-policy', 'wechat')", [WECHAT])
        con.execute("insert into documents values (?, 'Weixin', 'Privacy Policy', 'zh', null, "
                    "'weixin-privacy-policy', 'weixin')", [WEIXIN])

    def _next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def version(self, document: str, effective: str, first_seen: str | None = None) -> int:
        vid = self._next("version")
        seen = datetime.fromisoformat(first_seen or effective)
        self.con.execute("insert into versions values (?, ?, ?, ?, ?, ?, ?, 'text', 'archive', null, null)",
                         [vid, document, document[-2:], date.fromisoformat(effective), seen, seen, f"sha{vid}"])
        self.con.execute("insert into blocks values (?, ?, 0, 'paragraph', null, '', 'text', 0, 4, null, null, "
                         "null)", [vid, vid])
        return vid

    def claim(self, version: int, actor: str, action: str, data_type: str, *, negated: bool = False,
              context: str | None = None, scope: str = "in_scope", recipient: str | None = None,
              role: str = "first_party", condition: str | None = None, data_subject: str | None = None,
              sentence: str = "sentence") -> int:
        cid = self._next("claim")
        self.con.execute(
            "insert into claims (claim_id, version_id, block_id, sentence, start, \"end\", actor, actor_role, action, "
            "negated, data_text, data_type, context, \"condition\", scope, recipient, language, extractor, "
            "data_subject) values (?, ?, ?, ?, 0, 4, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', 'test 1', ?)",
            [cid, version, version, sentence, actor, role, action, negated, data_type, data_type, context, condition,
             scope, recipient, data_subject])
        return cid

    def term(self, version: int, term: str, member: str) -> None:
        self.con.execute("insert into defined_terms values (?, ?, ?, ?, ?)", [version, version, term, member, member])

    def capture(self, scenario: str = "s", when: str | None = "2023-05-01T12:00:00", region: str = "wechat",
                requests: int = 1) -> int:
        cap = self._next("capture")
        self.con.execute("insert into captures (capture_id, path, format, scenario, account_region, sha256, "
                         "ingested_at, captured_at, requests) values (?, ?, 'test', ?, ?, ?, now(), ?, ?)",
                         [cap, f"c{cap}", scenario, region, f"h{cap}", when, requests])
        return cap

    def flow(self, capture: int, data_type: str, feature: str, *, line: int = 1, when: str | None = None,
             recipient: str = "wechat", body: str | None = None, confidence: float = 1.0,
             envelope: bool = False) -> int:
        """A flow carrying ``data_type`` (``envelope``: only in the request header)."""
        fid = self._next("flow")
        self.con.execute("insert into flows (flow_id, capture_id, line, time, feature, recipient, body_bytes, "
                         "decode_status, body_hash, req_type_id) values (?, ?, ?, ?, ?, ?, 10, 'test', ?, 1)",
                         [fid, capture, line, when, feature, recipient, body or f"b{fid}"])
        self.con.execute("insert into observations (observation_id, flow_id, data_type, field_path, detector, "
                         "confidence, value_redacted, envelope) values (?, ?, ?, '1', 'test', ?, 'x:abc', ?)",
                         [self._next("obs"), fid, data_type, confidence, envelope])
        overlap.fill_prefixes(self.con, [capture])  # what ingest writes with every capture
        overlap.fill_coverage(self.con)
        return fid

    def detect(self, flow: int, data_type: str, confidence: float = 1.0, envelope: bool = False) -> None:
        """One more observation in an existing flow (``envelope``: in the request header)."""
        self.con.execute("insert into observations (observation_id, flow_id, data_type, field_path, detector, "
                         "confidence, value_redacted, envelope) values (?, ?, ?, '2', 'test', ?, 'x:def', ?)",
                         [self._next("obs"), flow, data_type, confidence, envelope])

    def observe(self, data_type: str, feature: str, *, scenario: str = "s", recipient: str = "wechat",
                when: str = "2023-05-01T12:00:00", region: str = "wechat", confidence: float = 1.0) -> int:
        """One capture with one flow carrying ``data_type``."""
        return self.flow(self.capture(scenario, when, region), data_type, feature, when=when, recipient=recipient,
                         confidence=confidence)


@pytest.fixture
def store(con):
    install(con)
    return Store(con)


@pytest.fixture(scope="session")
def real_store(main_job, tmp_path_factory):
    """A store made by the main job on the real data (../shared; skipped when absent), shared by the modules that
    compare engines and implementations on it: a copy of the session's :func:`tests.conftest.main_job` store, open
    for writing (temporary views of a reference implementation)."""
    from policycheck import store as store_module

    con = store_module.open_store(main_job.copy(tmp_path_factory.mktemp("real")), store_module.WRITE)
    yield con
    con.close()
