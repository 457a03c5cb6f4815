"""NGO editors change the directory through the API: permissions, live
effect in the bot, versions and restore, all-or-nothing import, phrases."""
from __future__ import annotations

import sqlite3

import httpx
import pytest
import yaml

from api import accounts
from tests.conftest import ADMIN_PASSWORD

EDITOR_PASSWORD = "editor-password-2"


def _client(server, username, password):
    client = httpx.Client(base_url=server.base_url, timeout=30)
    response = client.post("/api/v1/console/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf"]
    client.headers["Cookie"] = f"staff_session={response.cookies['staff_session']}"
    return client


@pytest.fixture(scope="module")
def editor(server):
    try:
        accounts.create(server.data_dir / "app.db", "ngo-editor", EDITOR_PASSWORD, "editor")
    except ValueError:
        pass
    client = _client(server, "ngo-editor", EDITOR_PASSWORD)
    yield client
    client.close()


CLINIC = {
    "name": "Demo night clinic, Sharjah", "category": "medical", "country": "AE", "regions": ["Sharjah"],
    "phones": [{"number": "050 123 4567", "kind": "voice"}], "hours": "always", "languages": ["ar", "en"],
    "serves": {}, "free": True, "sources": ["https://example.org/demo"], "verified_on": "2026-11-01", "demo": True,
}


def test_only_editors_and_admins_edit(server, editor):
    operator_pw = "operator-password-2"
    try:
        accounts.create(server.data_dir / "app.db", "operator-2", operator_pw, "operator")
    except ValueError:
        pass
    operator = _client(server, "operator-2", operator_pw)
    assert operator.put("/api/v1/directory/services/demo-x", json=CLINIC).status_code == 403
    assert operator.get("/api/v1/directory/export").status_code == 403
    assert httpx.get(f"{server.base_url}/api/v1/directory/services").status_code == 401
    admin = _client(server, "admin", ADMIN_PASSWORD)
    assert admin.get("/api/v1/directory/services").status_code == 200
    operator.close()
    admin.close()


def publish(editor, service_id: str, entry: dict) -> dict:
    draft = editor.put(f"/api/v1/directory/services/{service_id}", json=entry)
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["id"]
    assert editor.post(f"/api/v1/directory/drafts/{draft_id}/submit").json()["status"] == "in_review"
    published = editor.post(f"/api/v1/directory/drafts/{draft_id}/publish")
    assert published.json()["status"] == "published", published.text
    return editor.get(f"/api/v1/directory/services/{service_id}").json()["entry"]


def doctor_reply(server, user: str) -> str:
    reply = server.chat(user, "I need a doctor in Sharjah", language="en")
    return "\n".join(m["text"] for m in reply["messages"])


def test_a_draft_goes_live_only_when_published(server, editor):
    draft = editor.put("/api/v1/directory/services/demo-ae-draft-clinic", json={**CLINIC, "name": "Draft clinic"})
    assert draft.json()["status"] == "draft"
    assert "Draft clinic" not in doctor_reply(server, "draft-user-1")
    draft_id = draft.json()["id"]
    assert editor.post(f"/api/v1/directory/drafts/{draft_id}/publish").status_code == 409  # not submitted
    operator = _client(server, "operator-2", "operator-password-2")
    assert operator.post(f"/api/v1/directory/drafts/{draft_id}/publish").status_code == 403
    operator.close()
    editor.post(f"/api/v1/directory/drafts/{draft_id}/submit")
    assert editor.post(f"/api/v1/directory/drafts/{draft_id}/reject").json()["status"] == "rejected"
    assert "Draft clinic" not in doctor_reply(server, "draft-user-2")


def test_an_edit_is_live_in_the_next_answer_and_can_be_restored(server, editor):
    saved = publish(editor, "demo-ae-night-clinic", CLINIC)
    assert saved["phones"][0]["number"] == "+971501234567"
    text = doctor_reply(server, "editing-user")
    assert "Demo night clinic, Sharjah" in text and "+971 50 123 4567" in text

    renamed = publish(editor, "demo-ae-night-clinic", {**CLINIC, "name": "Renamed clinic"})
    assert renamed["name"] == "Renamed clinic"
    assert "Renamed clinic" in doctor_reply(server, "editing-user-2")
    history = editor.get("/api/v1/directory/services/demo-ae-night-clinic").json()["versions"]
    assert [v["author"] for v in history[:2]] == ["ngo-editor", "ngo-editor"]
    assert "-name: Demo night clinic, Sharjah" in history[0]["diff"] and "+name: Renamed clinic" in history[0]["diff"]
    first = history[-1]["id"]
    restored = editor.post(f"/api/v1/directory/services/demo-ae-night-clinic/restore/{first}")
    assert restored.json()["name"] == "Demo night clinic, Sharjah"


def test_a_bad_edit_or_import_is_refused_with_reasons_and_writes_nothing(server, editor):
    bad = editor.put("/api/v1/directory/services/demo-bad", json={**CLINIC, "phones": [{"number": "12"}]})
    assert bad.status_code == 422 and "phones" in bad.json()["problems"][0]["reasons"][0]
    before = editor.get("/api/v1/directory/export", params={"format": "csv"}).text
    lines = before.splitlines()
    broken = "\n".join([lines[0], lines[1], lines[1].replace(",AE,", ",ZZ,", 1)]) + "\n"
    response = editor.post("/api/v1/directory/import", params={"format": "csv"}, content=broken.encode(),
                           headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert [p["line"] for p in response.json()["problems"]] == [3]
    assert editor.get("/api/v1/directory/export", params={"format": "csv"}).text == before
    again = editor.post("/api/v1/directory/import", params={"format": "csv"}, content=before.encode(),
                        headers={"Content-Type": "text/csv"})
    assert again.status_code == 200 and again.json()["imported"] == len(lines) - 1


def test_the_entry_page_gives_the_reasons_in_the_editors_language(server, editor):
    """The JSON API says why in English; the page in the console's language,
    keeping the field names as they are typed in the YAML."""
    from markupsafe import escape

    from locales import CONSOLE_DOMAIN, translations

    fr = translations("fr", CONSOLE_DOMAIN).gettext
    source = yaml.safe_dump({**CLINIC, "id": "demo-fr-entry", "name": "", "phones": [{"kind": "voice"}]})
    page = editor.post("/console/directory/services/demo-fr-entry", headers={"Accept-Language": "fr"},
                       data={"source": source})
    assert page.status_code == 422
    for problem in (fr("is required"), fr("#{n} needs a number").format(n=1)):
        field = "name" if problem == fr("is required") else "phones"
        assert str(escape(fr("{key}: {problem}").format(key=field, problem=problem))) in page.text
    assert "is required" not in page.text and "needs a number" not in page.text


def test_a_new_danger_phrase_takes_effect_at_once(server, editor):
    message = "they poured boiling water on my hands"
    assert not server.chat("phrase-user-1", message, language="en")["escalated"]
    added = editor.post("/api/v1/directory/danger-phrases",
                        json={"lang": "en", "kind": "danger", "phrase": "boiling water on my"})
    assert added.status_code == 201
    assert server.chat("phrase-user-2", message, language="en")["escalated"]


def test_an_update_brings_newly_shipped_danger_phrases_but_not_those_an_editor_deleted(server, editor):
    from directory.seed import seed

    db_path = server.data_dir / "directory.db"
    phrases = {p["phrase"]: p for p in editor.get("/api/v1/directory/danger-phrases", params={"lang": "es"}).json()}
    assert editor.delete(f"/api/v1/directory/danger-phrases/{phrases['abuso sexual']['id']}").status_code == 200
    with sqlite3.connect(db_path) as conn:  # as if these were new in the files
        conn.execute("DELETE FROM danger_phrases WHERE id IN (?, ?)",
                     [phrases["no estoy a salvo"]["id"], phrases["matar el tiempo"]["id"]])
    assert seed(db_path) == {"new danger_phrases": 1}
    now = {p["phrase"] for p in editor.get("/api/v1/directory/danger-phrases", params={"lang": "es"}).json()}
    assert "no estoy a salvo" in now  # a new danger phrase arrives
    assert "abuso sexual" not in now  # one an editor deleted does not come back
    assert "matar el tiempo" not in now  # harmless ones are never added by an update: they can hide danger
    assert seed(db_path) == {}  # nothing more to bring
    for kind, phrase in (("danger", "abuso sexual"), ("harmless", "matar el tiempo")):
        editor.post("/api/v1/directory/danger-phrases", json={"lang": "es", "kind": kind, "phrase": phrase})
    now = {p["phrase"] for p in editor.get("/api/v1/directory/danger-phrases", params={"lang": "es"}).json()}
    assert {"abuso sexual", "matar el tiempo"} <= now


def test_an_editor_adds_an_entry_in_the_browser_and_publishes_it(server, editor, browser):
    """The directory pages in headless Chromium: a bad entry is refused with
    its reasons, a good one goes to the shared review queue, and once
    published the bot gives it."""
    import yaml
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.base_url + "/console/directory")
    browser.find_element(By.NAME, "username").send_keys("ngo-editor")
    browser.find_element(By.NAME, "password").send_keys(EDITOR_PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "entries")))
    browser.get(server.base_url + "/console/directory/services/demo-ae-page-clinic")
    entry = {**CLINIC, "name": "Clinic added on the page", "regions": ["Ajman"]}

    def submit(source: str) -> None:
        box = browser.find_element(By.NAME, "source")
        browser.execute_script("arguments[0].value = arguments[1]", box, source)
        browser.find_element(By.CSS_SELECTOR, "#edit button").click()

    submit(yaml.safe_dump({**entry, "category": "bakery"}))
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "category" in d.find_element(By.ID, "problems").text)
    submit(yaml.safe_dump(entry))
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        EC.presence_of_element_located((By.ID, "drafts")))
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#drafts tr[data-draft]")
               if "demo-ae-page-clinic" in r.text)
    row.find_element(By.CSS_SELECTOR, "button[name=publish]").click()
    WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "published" in d.find_element(By.ID, "message").text)
    reply = server.chat("page-editing-user", "I need a doctor in Ajman", language="en")
    assert "Clinic added on the page" in "\n".join(m["text"] for m in reply["messages"])
