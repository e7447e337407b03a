"""A device policycheck has never seen: the 2023 logs rewritten at test time to another phone and account.

Every value of the 2023 test device (device id, uin, WeChat ID, model, brand, manufacturer, OS release, API
level, build, carrier, coordinates, IP address, language, Wi-Fi name and BSSID, nickname, push tokens) becomes
a value of a Redmi Note 8 Pro on Android 11 in Shenzhen with a China Mobile SIM and Chinese UI
(``second_device.py`` rewrites the bodies by their wire format: lengths re-encoded, URL-encoded and hashed
forms, float32 coordinates). Ingested with its own profile, the second corpus must give the same data types on the same
requests with the same confidences and the same gap rows, and nothing of the first device; ingested with a
profile that states less, fewer detections and a note saying which types were left to key names and patterns.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from second_device import Device, Value, rewrite_logs

from policycheck import config, store
from policycheck.flows.profile import IDENTIFYING, DeviceProfile
from policycheck.gaps.classify import gap_rows
from policycheck.run import ReportOptions, RunInputs, run
from policycheck.workspace import Paths, Workspace
from tests.conftest import require_shared
from tests.flows.conftest import PROFILES, ingest_into

FIRST_PROFILE = PROFILES / "citizenlab-2023.yaml"
# WeChat's own stand-in for the IMEI on Android 10 and later (../shared/datasets/citizenlab-wechat-2023/README.md,
# "the Android 10+ placeholder"): every such phone sends it, so it is not a value of the first device
SHARED_PLACEHOLDER = "1234567890ABCDEF"
SECOND = Device(
    values=[
        Value("A9543d226cb39f0f", "A3f81c07b92de64a"),
        Value("A9543d226cb39f0", "A3f81c07b92de64"),  # the BaseRequest's 16-byte buffer: 15 characters and a NUL
        Value("1505495844", "3094716528", bounded=True),
        Value("wxid_26p3vbxxl9tu22", "wxid_k7m2q9zx4hfa12"),
        Value("android-32", "android-30"),
        # the OS release is also a counter value: rewritten only where it is the release
        Value("12", "11", context=("Android {}", ":{}/", "-userdebug {} ", 'VERSION_RELEASE name="{}"')),
        Value("8015633", "V12.5.8.0.RGGMIXM", bounded=True),
        Value("sdk_gphone64_arm64", "Redmi Note 8 Pro"),
        Value("emulator64_arm64", "begonia"),
        Value("google", "xiaomi"),  # Build.BRAND and Build.MANUFACTURER of older Xiaomi phones differ by case too
        Value("Google", "Xiaomi"),
        Value("S2B2.211203.006", "RP1A.200720.011"),
        Value("T-Mobile", "中国移动", bounded=True),
        Value("128.100.127.10", "120.229.19.36", bounded=True),
        Value("en", "zh_CN", bounded=True),
        Value("AndroidWifi", "CMCC-5G-A7F2"),
        Value("00:13:10:85:fe:01", "c8:3a:35:1e:42:90"),
        Value("Lena Xu", "Li Wei"),
    ],
    numbers={1505495844: 3094716528},
    coordinates=[(37.422, 22.543), (-122.08407, 114.05787)],
    # the uin as the phone's preferences give it (default_uin, a Java int: negative above 2^31); the requests carry
    # the unsigned 3094716528
    profile={"platform_device_id": "A3f81c07b92de64a", "internal_user_id": "-1200250768",
             "wechat_id": "wxid_k7m2q9zx4hfa12", "os_api_level": "android-30",
             "os_version": ["11", "Android 11", "V12.5.8.0.RGGMIXM"], "device_model": "Redmi Note 8 Pro",
             "device_brand": "xiaomi", "device_manufacturer": "Xiaomi",
             "build_display": ["Redmi Note 8 Pro 11 RP1A.200720.011 V12.5.8.0.RGGMIXM", "RP1A.200720.011"],
             "imei": SHARED_PLACEHOLDER, "mobile_carrier": "中国移动",
             "precise_location": {"latitude": 22.543, "longitude": 114.05787},
             "ip_address": "120.229.19.36", "language_setting": "zh_CN"})
# the commonest case: a phone whose model is short and whose brand and manufacturer are one word
SAMSUNG = replace(SECOND, values=[
    Value("sdk_gphone64_arm64", "SM-S9110") if v.old == "sdk_gphone64_arm64" else
    Value(v.old, "samsung") if v.old in ("google", "Google") else v for v in SECOND.values],
    profile={**SECOND.profile, "device_model": "SM-S9110", "device_brand": "samsung",
             "device_manufacturer": "samsung",
             "build_display": ["SM-S9110 11 RP1A.200720.011 V12.5.8.0.RGGMIXM", "RP1A.200720.011"]})
# a profile that states only what is on the phone's About screen
SPARSE = {"device_model": "Redmi Note 8 Pro", "os_version": "Android 11"}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """(folder of the first device's logs, folder of the second's, the second device's profile file)."""
    first = require_shared("datasets", "citizenlab-wechat-2023")
    tmp = tmp_path_factory.mktemp("second-device")
    second = rewrite_logs(first, tmp / "data" / "second-device-2023", SECOND)
    profile = tmp / "second-device.yaml"
    profile.write_text(SECOND.profile_yaml(), encoding="utf-8")
    return first, second, profile


def _logs(folder: Path) -> list[Path]:
    return sorted((folder / "network_logs").glob("*.jsonl"))


def per_request(con) -> dict[tuple, tuple[float, bool]]:
    """(scenario, run, line, data type) -> (highest confidence, whether every observation is in the envelope)."""
    rows = con.execute("select c.scenario, c.run, f.line, o.data_type, max(o.confidence), bool_and(o.envelope) "
                       "from observations o join flows f using (flow_id) join captures c using (capture_id) "
                       "group by all").fetchall()
    return {tuple(r[:4]): (r[4], r[5]) for r in rows}


def by_profile(con) -> Counter:
    return Counter(dict(con.execute("select data_type, count(*) from observations where detector like 'profile%' "
                                    "group by all").fetchall()))


def test_same_detections_on_the_same_requests(tmp_path, onto, corpora):
    first, second, profile = corpora
    con_a, _ = ingest_into(tmp_path / "a.duckdb", onto, _logs(first), profile=FIRST_PROFILE)
    con_b, results = ingest_into(tmp_path / "b.duckdb", onto, _logs(second), profile=profile)
    assert {r.status for r in results} == {"ingested", "duplicate"}
    seen_a, seen_b = per_request(con_a), per_request(con_b)
    assert len(seen_a) > 50_000
    differing = {k: (seen_a.get(k), seen_b.get(k)) for k in seen_a.keys() | seen_b.keys()
                 if seen_a.get(k) != seen_b.get(k)}
    assert not differing, list(differing.items())[:10]
    # the second profile finds every data type the first finds (values differ, the requests do not)
    assert set(by_profile(con_b)) == set(by_profile(con_a)) >= {*IDENTIFYING, "imei"}
    flows = "select c.scenario, c.run, f.line, f.feature, f.recipient, f.decode_status from flows f join captures c " \
            "using (capture_id) order by all"
    assert con_a.execute(flows).fetchall() == con_b.execute(flows).fetchall()


def test_a_phone_whose_brand_is_its_manufacturer(tmp_path, onto, corpora):
    """SM-S9110, samsung, samsung: the model is found inside ``SM-S9110arm64-v8a`` as the emulator's was; a bare
    ``samsung`` is brand and manufacturer at once, a field whose key names one of them is that one; nothing else
    differs from the first device."""
    first, _, _ = corpora
    phone = rewrite_logs(first, tmp_path / "samsung", SAMSUNG)
    profile = tmp_path / "samsung.yaml"
    profile.write_text(SAMSUNG.profile_yaml(), encoding="utf-8")
    con_a, _ = ingest_into(tmp_path / "a.duckdb", onto, _logs(first), profile=FIRST_PROFILE)
    con_s, _ = ingest_into(tmp_path / "s.duckdb", onto, _logs(phone), profile=profile)
    seen_a, seen_s = per_request(con_a), per_request(con_s)
    differing = {k for k in seen_a.keys() | seen_s.keys() if seen_a.get(k) != seen_s.get(k)}
    assert {k[3] for k in differing} == {"device_manufacturer"}
    assert all(seen_s[k][0] > seen_a.get(k, (0,))[0] and seen_s[(*k[:3], "device_brand")] for k in differing)
    keyed = con_s.execute("select distinct data_type from observations where detector = 'profile' and "
                          "lower(field_name) in ('devicebrand', 'device-brand')").fetchall()
    assert keyed == [("device_brand",)]


def test_no_value_of_either_device_in_the_other_corpus(tmp_path, onto, corpora):
    """The first device's profile finds nothing in the second corpus and the second's nothing in the first, but
    for the IMEI stand-in both send; no form of a first-device value is left in the rewritten bodies."""
    first, second, profile = corpora
    con, _ = ingest_into(tmp_path / "ba.duckdb", onto, _logs(second), profile=FIRST_PROFILE)
    assert set(by_profile(con)) == {"imei"}
    con, _ = ingest_into(tmp_path / "ab.duckdb", onto, _logs(first), profile=profile)
    assert set(by_profile(con)) == {"imei"}
    forms = {old for old, _, _ in SECOND.replacements() if old != SHARED_PLACEHOLDER and len(old) >= 8}
    tokens = {t for body in _bodies(first) for shape in SECOND.shapes for t in shape.findall(body)}
    assert len(tokens) == 3  # the first device's FCM push tokens
    leftovers = Counter(old for body in _bodies(second) for old in forms | tokens if old in body)
    assert not leftovers, leftovers.most_common(5)


def _bodies(folder: Path) -> Iterator[str]:
    for log in _logs(folder):
        for line in log.read_text(encoding="utf-8").splitlines():
            yield bytes.fromhex(json.loads(line)["data"]).decode("latin-1")


def test_gaps_and_report_of_the_second_device(tmp_path, corpora):
    """The main job on each corpus: the same gap rows (recipient, data type, feature, scenario, class), and no
    raw value of either device in the report files."""
    first, second, profile = corpora
    policies = require_shared("datasets", "policies")
    warm = tmp_path / "policies.duckdb"
    _run(warm, {"policies": policies}, {}, tmp_path / "warm")
    judged = {}
    for name, folder, device_profile in (("first", first, FIRST_PROFILE), ("second", second, profile)):
        db = tmp_path / f"{name}.duckdb"
        shutil.copy(warm, db)
        result = _run(db, {"policies": policies, folder.name: folder}, {folder.name: device_profile},
                      tmp_path / name)
        con = store.connect(db)
        judged[name] = Counter((r["recipient"], r["data_type"], r["feature"], r["scenario"], r["disclosure"],
                                r["handoff_verdict"]) for r in gap_rows(con))
        con.close()
        if name == "second":
            report = "\n".join(path.read_text(encoding="utf-8") for path in result.report_paths.values())
    assert judged["first"] == judged["second"]
    assert sum(judged["second"].values()) > 500
    identifying = [v for v in (*_texts(FIRST_PROFILE), *_texts(profile)) if len(v) >= 4 and v != SHARED_PLACEHOLDER]
    identifying += [old for old, _, _ in SECOND.replacements() if len(old) >= 8]
    assert not [v for v in identifying if v.lower() in report.lower()]


def _run(db: Path, folders: dict[str, Path], profiles: dict[str | None, Path], out: Path):
    data = out / "data"
    data.mkdir(parents=True)
    for name, folder in folders.items():
        (data / name).symlink_to(folder, target_is_directory=True)
    with Workspace.open(Paths(db, config.mappings_dir(), out), store.WRITE) as ws:
        return run(ws, RunInputs(data=data, profiles=profiles), ReportOptions(name="report"))


def _texts(profile: Path) -> list[str]:
    values = yaml.safe_load(profile.read_text(encoding="utf-8"))["values"]
    return [str(v) for item in values.values() for v in (item if isinstance(item, list) else [item])
            if not isinstance(v, dict)]


def test_a_profile_that_states_less(tmp_path, onto, corpora):
    """Optional fields left out: fewer detections by profile, the same by key names and patterns, no failure, and
    a note naming the data types left to the other detectors (never a value)."""
    _, second, profile = corpora
    sparse = tmp_path / "sparse.yaml"
    sparse.write_text(json.dumps({"device": "About phone", "values": SPARSE}), encoding="utf-8")
    con_full, _ = ingest_into(tmp_path / "full.duckdb", onto, _logs(second), profile=profile)
    con, results = ingest_into(tmp_path / "sparse.duckdb", onto, _logs(second), profile=sparse)
    assert {r.status for r in results} == {"ingested", "duplicate"}
    assert set(by_profile(con)) == {"device_model", "os_version"}
    other = "select c.scenario, c.run, f.line, o.data_type, o.field_path, o.detector, o.confidence from observations " \
            "o join flows f using (flow_id) join captures c using (capture_id) where o.detector not like 'profile%'"
    assert Counter(con.execute(other).fetchall()) == Counter(con_full.execute(other).fetchall())
    full, less = per_request(con_full), per_request(con)
    assert less.keys() < full.keys()
    notes = [n for r in results for n in r.notes if "sparse.yaml" in n]
    assert len(notes) == 1 and "internal_user_id" in notes[0] and "device_model" not in notes[0]
    stored = con.execute("select problem from ingest_problems where line is null").fetchall()
    assert (notes[0],) in stored
    assert not any(v in notes[0] for v in SPARSE.values())


def test_profile_notes_name_types_never_values(tmp_path, onto):
    """What a profile leaves to the other detectors: identifying types it lacks, and short numbers (an OS
    release ``12``) it cannot search."""
    first = DeviceProfile.load(FIRST_PROFILE, onto)
    assert first.notes() == ["device profile citizenlab-2023.yaml: values.os_version: 1 number(s) of fewer than 6 "
                             "digits not searched (counters take such values everywhere); found only under a key that "
                             "names the type"]
    second_2024 = DeviceProfile.load(PROFILES / "citizenlab-2024.yaml", onto)
    missing = second_2024.notes()[0]
    assert "internal_user_id" in missing and "device_model" not in missing and "android" not in missing.lower()
