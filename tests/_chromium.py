"""Open a page in headless Chromium and record what it does, with no extra dependency.

Chromium speaks the DevTools protocol over a pair of pipes when started with
``--remote-debugging-pipe`` (file descriptors 3 and 4, messages separated by
NUL bytes): no websocket client is needed. :func:`load` opens a file, waits
for it to load, and returns the network requests, console messages and
exceptions it saw, the result of a few checks run in the page, and a
screenshot of the whole page.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--disable-extensions", "--mute-audio"]


@dataclass
class PageRun:
    """What happened while a page loaded."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    checks: dict[str, object] = field(default_factory=dict)
    screenshot: bytes = b""


class _Pipe:
    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._messages: queue.Queue = queue.Queue()
        self._write = os.fdopen(write_fd, "wb", buffering=0)
        self._next = 0
        self.events: list[dict] = []
        threading.Thread(target=self._read, args=(read_fd,), daemon=True).start()

    def _read(self, fd: int) -> None:
        buffer = b""
        with os.fdopen(fd, "rb", buffering=0) as stream:
            while chunk := stream.read(1 << 16):
                buffer += chunk
                while b"\0" in buffer:
                    message, buffer = buffer.split(b"\0", 1)
                    self._messages.put(json.loads(message))

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._write.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._messages.get(timeout=max(0.05, deadline - time.monotonic()))
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30.0, settle: float = 0.5) -> None:
        """Collect events until ``method`` was seen, then for ``settle`` seconds more."""
        deadline = time.monotonic() + timeout
        seen_at = None
        while time.monotonic() < deadline:
            if seen_at is None and any(e.get("method") == method for e in self.events):
                seen_at = time.monotonic()
            if seen_at is not None and time.monotonic() - seen_at >= settle:
                return
            try:
                self.events.append(self._messages.get(timeout=0.05))
            except queue.Empty:
                pass
        raise TimeoutError(f"{method} not seen in {timeout} s")


def _above(fd: int, lowest: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
    os.close(fd)
    return moved


def load(path: Path, checks: dict[str, str], width: int = 1000) -> PageRun:
    """Open ``path`` in headless Chromium and report what the page did.

    Parameters
    ----------
    path : Path
        The HTML file.
    checks : dict of str to str
        Name -> JavaScript expression evaluated in the page once loaded.
    width : int, default=1000
        Viewport width in CSS pixels; the screenshot spans the whole page.
    """
    profile = tempfile.mkdtemp(prefix="exposure-chromium-")
    to_chromium, from_us = os.pipe()
    to_us, from_chromium = os.pipe()
    # Chromium reads fd 3 and writes fd 4. Its ends are first moved above 9 so that placing
    # one on 3 cannot overwrite the other, then placed in the child before exec.
    to_chromium, from_chromium = (_above(fd, 10) for fd in (to_chromium, from_chromium))

    def place() -> None:
        os.dup2(to_chromium, 3)
        os.dup2(from_chromium, 4)

    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
               "about:blank"]
    process = subprocess.Popen(command, preexec_fn=place, close_fds=False,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    os.close(to_chromium)
    os.close(from_chromium)
    run = PageRun()
    try:
        pipe = _Pipe(to_us, from_us)
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            pipe.call(f"{domain}.enable", session=session)
        pipe.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900,
                                                         "deviceScaleFactor": 1,
                                                         "mobile": False}, session=session)
        pipe.call("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired")
        for name, expression in checks.items():
            result = pipe.call("Runtime.evaluate", {"expression": expression,
                                                    "returnByValue": True}, session=session)
            run.checks[name] = result.get("result", {}).get("value")
        size = pipe.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
        shot = pipe.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                     "scale": 1}}, session=session)
        run.screenshot = base64.b64decode(shot["data"])
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                run.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                "assert"):
                run.console_errors.append(json.dumps(params.get("args", []))[:300])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                run.console_errors.append(params["entry"].get("text", "")[:300])
            elif method == "Runtime.exceptionThrown":
                run.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        try:
            pipe.call("Browser.close", timeout=10)
        except (RuntimeError, queue.Empty):
            pass
    finally:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return run
