"""One settings object, read from the environment with working defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name, default))


def latest_model(models_dir: Path) -> Path | None:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: _path("DATA_DIR", PROJECT_ROOT / "var"))
    model_path: Path | None = field(
        default_factory=lambda: Path(os.environ["MODEL_PATH"])
        if os.environ.get("MODEL_PATH")
        else latest_model(PROJECT_ROOT / "bot" / "models")
    )
    max_text_chars: int = 2000
    max_body_bytes: int = 64 * 1024
    # SMS (Twilio-compatible webhook)
    twilio_auth_token: str = field(default_factory=lambda: os.environ.get("TWILIO_AUTH_TOKEN", ""), repr=False)
    public_base_url: str = field(default_factory=lambda: os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"))
    # Escalation and the console
    retention_days: int = field(default_factory=lambda: int(os.environ.get("RETENTION_DAYS", "90")))
    operator_hours: str = field(default_factory=lambda: os.environ.get("OPERATOR_HOURS", "mon-fri 09:00-17:00"))
    operator_timezone: str = field(default_factory=lambda: os.environ.get("OPERATOR_TIMEZONE", "UTC"))
    admin_username: str = field(default_factory=lambda: os.environ.get("ADMIN_USERNAME", "admin"))
    admin_password: str = field(default_factory=lambda: os.environ.get("ADMIN_PASSWORD", ""), repr=False)
    # Outbound SMS: SMS_PROVIDER=twilio (TWILIO_ACCOUNT_SID, SMS_FROM_NUMBER)
    # or http (SMS_HTTP_SEND_URL, SMS_HTTP_TOKEN); none = nothing is sent.
    sms_provider: str = field(default_factory=lambda: os.environ.get("SMS_PROVIDER", "twilio"))
    twilio_account_sid: str = field(default_factory=lambda: os.environ.get("TWILIO_ACCOUNT_SID", ""))
    twilio_api_base_url: str = field(default_factory=lambda: os.environ.get("TWILIO_API_BASE_URL", ""))
    sms_from_number: str = field(default_factory=lambda: os.environ.get("SMS_FROM_NUMBER", ""))
    sms_http_send_url: str = field(default_factory=lambda: os.environ.get("SMS_HTTP_SEND_URL", ""))
    sms_http_token: str = field(default_factory=lambda: os.environ.get("SMS_HTTP_TOKEN", ""), repr=False)
    sms_daily_segment_cap: int = field(default_factory=lambda: int(os.environ.get("SMS_DAILY_SEGMENT_CAP", "30")))
    sms_retry_base_seconds: float = field(default_factory=lambda: float(os.environ.get("SMS_RETRY_BASE_SECONDS", "30")))
    sms_outbox_poll_seconds: float = field(default_factory=lambda: float(os.environ.get("SMS_OUTBOX_POLL_SECONDS", "2")))
    sms_max_segments: int = field(default_factory=lambda: int(os.environ.get("SMS_MAX_SEGMENTS", "3")))

    @property
    def knowledge_db(self) -> Path:
        return _path("KNOWLEDGE_DB", self.data_dir / "knowledge.db")

    @property
    def tracker_db(self) -> Path:
        return _path("TRACKER_DB", self.data_dir / "tracker.db")

    @property
    def directory_db(self) -> Path:
        return _path("DIRECTORY_DB", self.data_dir / "directory.db")

    @property
    def app_db(self) -> Path:
        return _path("APP_DB", self.data_dir / "app.db")

    @property
    def sms_number_key_file(self) -> Path:
        return self.data_dir / "sms-number.key"

    @property
    def secret_file(self) -> Path:
        return self.data_dir / "sender-id.key"


def get_settings() -> Settings:
    return Settings()
