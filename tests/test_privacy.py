"""Pseudonymous sender ids."""
import stat

from api.privacy import load_or_create_key, pseudonym


def test_pseudonym_is_stable_keyed_and_hides_the_id(tmp_path, monkeypatch):
    monkeypatch.delenv("SENDER_ID_SECRET", raising=False)
    key_file = tmp_path / "sender-id.key"
    key = load_or_create_key(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_or_create_key(key_file) == key
    a = pseudonym(key, "sms", "+971501234567")
    assert a == pseudonym(key, "sms", "+971501234567")
    assert "971501234567" not in a
    assert a != pseudonym(b"another key", "sms", "+971501234567")
    assert a != pseudonym(key, "web", "+971501234567")


def test_secret_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SENDER_ID_SECRET", "from-env")
    assert load_or_create_key(tmp_path / "unused.key") == b"from-env"
    assert not (tmp_path / "unused.key").exists()
