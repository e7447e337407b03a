"""Captures made by real tools on this machine: a HAR recorded by Playwright driving Debian's chromium, and a
mitmproxy flow file written by mitmdump, of one test page on 127.0.0.1 that sends identifiers to two hosts.

The page is served by a local HTTP server; the host names (``*.wechat.test``, ``*.ads.test``, reserved by RFC
2606) are resolved to 127.0.0.1 by mitmdump (an addon that redirects the upstream connection), so no request
leaves the machine. The browser goes through mitmdump while Playwright records the HAR: the two files hold the
same traffic. Tools: ``/usr/bin/chromium`` (Debian package ``chromium``; never a downloaded browser build) and
``mitmdump`` from the mitmproxy package. When one is missing the tests fail, or skip when
``POLICYCHECK_ALLOW_MISSING_TOOLS=1``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policycheck.policies.browser import CHROMIUM_FLAGS, find_chromium

FIRST_PARTY = "api.wechat.test"
THIRD_PARTY = "t.ads.test"
# Identifiers of an imaginary test device (the IMEI is the GSMA example with a valid check digit).
DEVICE = {"imei": "490154203237518", "android_id": "8af3c21b9d4e7f60", "internal_user_id": "2086153344",
          "device_model": "Pixel 7 Pro"}

PAGE = """<!doctype html><html><head><title>test app</title><link rel="icon" href="data:,"></head><body><script>
document.cookie = "uin=%(internal_user_id)s; path=/";
async function go() {
  await fetch("/cgi-bin/micromsg-bin/getprofile?uin=%(internal_user_id)s&devicetype=android-34",
              {headers: {"X-Device-Id": "%(android_id)s"}});
  await fetch("http://%(third)s:%(port)d/collect", {method: "POST", mode: "no-cors",
              headers: {"Content-Type": "text/plain"},
              body: JSON.stringify({imei: "%(imei)s", model: "%(device_model)s", ts: Date.now()})});
  document.title = "done";
}
go();
</script></body></html>"""

ADDON = """
from mitmproxy import http


class Loopback:
    # requests to the test hosts go to the local server; anything else (the browser's own update checks) is
    # answered by the proxy itself, so nothing leaves the machine
    def request(self, flow):
        if not flow.request.pretty_host.endswith(".test"):
            flow.response = http.Response.make(403, b"blocked by the test proxy")

    def server_connect(self, data):
        data.server.address = ("127.0.0.1", {port})


addons = [Loopback()]
"""


def tool(path_or_name: str) -> str:
    """The tool's path, or fail (skip with POLICYCHECK_ALLOW_MISSING_TOOLS=1) naming the package to install."""
    found = find_chromium() if path_or_name == "chromium" else shutil.which(path_or_name)
    if found is None and path_or_name == "mitmdump":
        candidate = Path(sys.executable).parent / "mitmdump"
        found = str(candidate) if candidate.is_file() else None
    if found is None:
        message = (f"{path_or_name} is missing: install Debian's chromium and tshark (apt-get install chromium "
                   "tshark) and the mitmproxy package (pip install -c constraints.txt -e '.[dev]'); .ci/run does")
        if os.environ.get("POLICYCHECK_ALLOW_MISSING_TOOLS") == "1":
            pytest.skip(message)
        pytest.fail(message)
    return found


@dataclass
class LocalApp:
    """The test app's server: the page, the first-party API and the third-party collector."""

    received: list[tuple[str, str, str]] = field(default_factory=list)  # (method, host, path)

    def __post_init__(self) -> None:
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                app.received.append((self.command, self.headers.get("Host", ""), self.path))
                if self.path == "/page.html":
                    body = (PAGE % {**DEVICE, "third": THIRD_PARTY, "port": app.port}).encode()
                    kind = "text/html; charset=utf-8"
                else:
                    body, kind = json.dumps({"ok": True}).encode(), "application/json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record(folder: Path, visits: int = 1) -> tuple[Path, Path, LocalApp]:
    """Load the test page ``visits`` times in chromium through mitmdump; returns (HAR, flow file, server)."""
    chromium, mitmdump = tool("chromium"), tool("mitmdump")
    from playwright.sync_api import sync_playwright

    app = LocalApp()
    addon = folder / "loopback.py"
    addon.write_text(ADDON.replace("{port}", str(app.port)), encoding="utf-8")
    flows, har = folder / "session.mitm", folder / "session.har"
    proxy_port = free_port()
    proxy = subprocess.Popen([mitmdump, "--listen-host", "127.0.0.1", "--listen-port", str(proxy_port), "-q",
                              "-w", str(flows), "--set", "save_stream_filter=~d \\.test$", "-s", str(addon),
                              "--set", f"confdir={folder / 'mitm'}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", proxy_port), timeout=0.5).close()
                break
            except OSError:
                if proxy.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"mitmdump did not start: {proxy.stderr.read().decode()[-500:]}") from None
                time.sleep(0.1)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS,
                                         proxy={"server": f"http://127.0.0.1:{proxy_port}"})
            context = browser.new_context(record_har_path=str(har), record_har_content="embed")
            page = context.new_page()
            for _ in range(visits):
                page.goto(f"http://{FIRST_PARTY}:{app.port}/page.html")
                page.wait_for_function("document.title === 'done'", timeout=20_000)
            context.close()
            browser.close()
    finally:
        proxy.terminate()
        try:
            proxy.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proxy.kill()
            proxy.wait()
    return har, flows, app


def profile(folder: Path) -> Path:
    path = folder / "device.yaml"
    path.write_text("device: imaginary test phone\nvalues:\n" + "".join(
        f"  {key}: \"{value}\"\n" for key, value in DEVICE.items()), encoding="utf-8")
    return path


def mappings_with_test_hosts(folder: Path) -> Path:
    """A copy of mappings/ whose entities claim the test hosts: ``*.wechat.test`` WeChat, ``*.ads.test`` an
    advertising partner (a third party)."""
    import yaml

    from policycheck import config

    target = folder / "mappings"
    shutil.copytree(config.mappings_dir(), target)
    entities = yaml.safe_load((target / "entities.yaml").read_text(encoding="utf-8"))
    for entity in entities:
        if entity["id"] == "wechat":
            entity["hosts"] = [*entity.get("hosts", []), "*.wechat.test"]
        if entity["id"] == "advertiser":
            entity["hosts"] = [*entity.get("hosts", []), "*.ads.test"]
    (target / "entities.yaml").write_text(yaml.safe_dump(entities, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return target
