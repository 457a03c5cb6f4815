"""Fixtures: the real knowledge database, the real trained model, a real server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.settings import PROJECT_ROOT, latest_model

VENV_BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 180
GATEWAY_TOKEN = "gateway-test-token"
TWILIO_TOKEN = "test-auth-token"
ADMIN_PASSWORD = "admin-test-password"


@pytest.fixture(scope="session")
def model_path() -> Path:
    path = Path(os.environ["MODEL_PATH"]) if os.environ.get("MODEL_PATH") else latest_model(PROJECT_ROOT / "bot" / "models")
    if not path or not path.exists():
        pytest.fail("no trained model: run the tests with `make test`")
    return path


@pytest.fixture(scope="session")
def knowledge_db(tmp_path_factory) -> Path:
    """A knowledge database built from knowledge/ for this test run."""
    from knowledge.build import build

    path = tmp_path_factory.mktemp("knowledge") / "knowledge.db"
    build(path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: process exited with {process.returncode}")
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what}: not ready after {timeout} s")


class Server:
    def __init__(self, base_url: str, data_dir: Path, process: subprocess.Popen, log: Path) -> None:
        self.base_url, self.data_dir, self.process, self.log = base_url, data_dir, process, log
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def chat(self, sender_id: str, text: str, **fields) -> dict:
        response = self.client.post("/api/v1/chat", json={"sender_id": sender_id, "text": text, **fields})
        assert response.status_code == 200, response.text
        return response.json()

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(data_dir: Path, model: Path | None, knowledge: Path, wait_ready: bool = True,
                 extra_env: dict | None = None) -> Server:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = os.environ | {
        "DATA_DIR": str(data_dir),
        "KNOWLEDGE_DB": str(knowledge),
        "MODEL_PATH": str(model) if model else str(data_dir / "no-model.tar.gz"),
        "RASA_TELEMETRY_ENABLED": "false",
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "PUBLIC_BASE_URL": f"https://sms.example.test:{port}",  # as if behind a proxy
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
    } | (extra_env or {})
    log = data_dir / "server.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "api.main:app", "--host", "127.0.0.1", "--port", str(port), "--ws", "wsproto"],
        cwd=PROJECT_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log)

    def up() -> bool:
        status = server.client.get("/health").json()["status"]
        return status == "ready" or (not wait_ready and status in ("loading", "failed"))

    try:
        wait_until(up, STARTUP_TIMEOUT, "server", process)
    except Exception:
        server.stop()
        print(log.read_text(errors="replace")[-5000:])
        raise
    return server


@pytest.fixture(scope="session")
def sms_provider():
    """The stand-in for Twilio's REST API that the session's server sends to."""
    from tests.fake_sms_provider import FakeProvider

    provider = FakeProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, model_path, knowledge_db, sms_provider):
    server = start_server(tmp_path_factory.mktemp("server"), model_path, knowledge_db, extra_env={
        "SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "ACtest0000000000000000000000000000",
        "TWILIO_API_BASE_URL": sms_provider.url, "SMS_FROM_NUMBER": "+15550001111",
        "SMS_RETRY_BASE_SECONDS": "1", "SMS_OUTBOX_POLL_SECONDS": "0.3", "SMS_DAILY_SEGMENT_CAP": "6",
        "SMS_HTTP_TOKEN": GATEWAY_TOKEN,  # the generic gateway's inbound side (tests/test_sms_gateway.py)
    })
    yield server
    server.stop()
    if "Traceback" in server.log.read_text(errors="replace"):
        print(server.log.read_text(errors="replace")[-5000:])


@pytest.fixture(scope="session")
def chromedriver() -> str:
    path = shutil.which("chromedriver")
    if not path or not shutil.which("chromium"):
        pytest.fail("chromium and chromedriver are needed: `make browser` installs them")
    return path


@pytest.fixture(scope="module")
def browser(chromedriver, tmp_path_factory):
    """Real headless Chromium (Debian's chromium and chromium-driver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}", "--window-size=360,740"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()
