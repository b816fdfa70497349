"""Fixtures of the reliability suite (hostile inputs, faults, secrets, browser).

Nothing here is autouse: other test modules are unaffected. Every process these
fixtures start runs with the settings variables masked (a developer's ``.env``
cannot leak in), the weather off unless a test turns it on, and Jupyter, IPython,
matplotlib and the weather cache pointed at a temporary folder. Servers listen on
127.0.0.1 only: nothing leaves the machine.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ticket_analysis.config import ENV_VARS

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_DIR = ROOT / "tests" / "fixtures" / "hostile"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of the reliability suite's slowest tests."""
    config.addinivalue_line(
        "markers", "slow: takes several seconds (still part of `make test`)"
    )


#: Runs ``run_report.main`` with a fixture notebook (argv after the notebook path).
_RUN_REPORT_WITH_NOTEBOOK = (
    "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    "import run_report; "
    "raise SystemExit(run_report.main(sys.argv[3:], notebook=Path(sys.argv[2])))"
)


class Sandbox:
    """A private home for the processes of one test (or one module).

    Args:
        home: An empty folder; ``cache``, ``jupyter-*``, ``ipython`` and
            ``matplotlib`` are created below it on demand.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.cache = home / "cache"

    def env(self, **overrides: str) -> dict[str, str]:
        """Return an environment for a child process.

        Every settings variable is set empty (which masks ``.env``), then
        ``WEATHER_ENABLED=false``, the private folders, then ``overrides``.
        """
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("WEATHER", "OPEN", "JUPYTER", "PYTEST"))
        }
        env.update(dict.fromkeys(ENV_VARS, ""))
        env.update(
            {
                "WEATHER_ENABLED": "false",
                "WEATHER_CACHE_DIR": str(self.cache),
                "XDG_CACHE_HOME": str(self.home / "xdg-cache"),
                "MPLCONFIGDIR": str(self.home / "matplotlib"),
                "IPYTHONDIR": str(self.home / "ipython"),
                "JUPYTER_CONFIG_DIR": str(self.home / "jupyter-config"),
                "JUPYTER_DATA_DIR": str(self.home / "jupyter-data"),
                "JUPYTER_RUNTIME_DIR": str(self.home / "jupyter-runtime"),
                "MPLBACKEND": "Agg",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        env.update(overrides)
        return env

    def cli(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python -m ticket_analysis`` in a fresh process (cwd: the home)."""
        return self._run(["-m", "ticket_analysis", *args], env, timeout)

    def report(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        notebook: Path | None = None,
        timeout: float = 240,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``run_report.py`` in a fresh process, optionally on another notebook."""
        if notebook is None:
            command = [str(ROOT / "run_report.py"), *args]
        else:
            command = ["-c", _RUN_REPORT_WITH_NOTEBOOK, str(ROOT), str(notebook), *args]
        return self._run(command, env, timeout)

    def _run(
        self, command: list[str], env: dict[str, str] | None, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *command],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=self.home,
            env=self.env() if env is None else env,
            timeout=timeout,
            check=False,
        )


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A private home for this test's processes."""
    home = tmp_path / "home"
    home.mkdir()
    return Sandbox(home)


@pytest.fixture(scope="module")
def module_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """A private home shared by the processes of one test module."""
    return Sandbox(tmp_path_factory.mktemp("module-home"))


@pytest.fixture(scope="session")
def payload_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``run_report.py`` (HTML included) on ``script_payloads.csv``, run once.

    Shared by the hostile-input and the browser tests (one kernel run).

    Returns:
        ``result`` (the completed process) and ``out`` (the output folder).
    """
    box = Sandbox(tmp_path_factory.mktemp("payload-home"))
    out = box.home / "out"
    result = box.report(
        "--input",
        str(HOSTILE_DIR / "script_payloads.csv"),
        "--output-dir",
        str(out),
        # low thresholds, so that every customer and open ticket is listed
        "--escalation-threshold",
        "1",
        "--open-days",
        "1",
    )
    return {"result": result, "out": out}


# --- a stand-in HTTP server on the loopback interface ----------------------------


@dataclass
class Reply:
    """What the stand-in answers to every request (mutable between runs).

    Attributes:
        status: HTTP status code.
        body: Response body.
        content_type: Content-Type header.
        delay: Seconds to wait before answering (a slow server).
    """

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class StandIn:
    """A running stand-in server: its base URL, its reply and the requests it saw."""

    url: str
    reply: Reply
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class answering with ``stand_in.reply``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            stand_in.requests.append(self.path)
            reply = stand_in.reply
            if reply.delay:
                stand_in.release.wait(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:  # the client gave up (timeout): nothing to answer
                pass

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return Handler


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """A threaded stdlib HTTP server on 127.0.0.1 with a scripted reply."""
    state = StandIn(url="", reply=Reply())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo what an in-process ``cli.main`` call does to the logging set-up."""
    root = logging.getLogger()
    package = logging.getLogger("ticket_analysis")
    saved = list(root.handlers), root.level, package.level
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    package.setLevel(saved[2])


@pytest.fixture
def clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_logging: None
) -> None:
    """No settings variable from the developer's shell or .env; cwd is empty."""
    for var in ENV_VARS:
        monkeypatch.setenv(var, "")
    monkeypatch.chdir(tmp_path)
