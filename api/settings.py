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
    def secret_file(self) -> Path:
        return self.data_dir / "sender-id.key"


def get_settings() -> Settings:
    return Settings()
