"""NGO editors change the knowledge base: permissions, the workflow, live
effect in the bot, versions and restore, translation status, country notes,
all-or-nothing import and a lossless round trip (API and command line)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

from api import accounts, audit
from knowledge import build, edits, transfer
from tests.conftest import PROJECT_ROOT, start_server
from tests.test_directory_editing import _client

EDITOR_PASSWORD = "kb-editor-password"
PASSPORT_QUESTION = "my boss took my passport and will not give it back"


@pytest.fixture(scope="module")
def kb_server(tmp_path_factory, model_path, knowledge_db):
    """A server of its own, on a copy of the knowledge base, as these tests change it."""
    copy = tmp_path_factory.mktemp("kb") / "knowledge.db"
    shutil.copy(knowledge_db, copy)
    server = start_server(tmp_path_factory.mktemp("kb-server"), model_path, copy)
    server.knowledge_db = copy
    yield server
    server.stop()


@pytest.fixture(scope="module")
def editor(kb_server):
    accounts.create(kb_server.data_dir / "app.db", "kb-editor", EDITOR_PASSWORD, "editor")
    client = _client(kb_server, "kb-editor", EDITOR_PASSWORD)
    yield client
    client.close()


def publish(editor, path: str, body: dict) -> dict:
    draft = editor.put(path, json=body)
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["id"]
    assert editor.post(f"/api/v1/drafts/{draft_id}/submit").json()["status"] == "in_review"
    published = editor.post(f"/api/v1/drafts/{draft_id}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published", published.text
    return draft.json()


def answer(server, user: str, text: str, **fields) -> str:
    return "\n".join(m["text"] for m in server.chat(user, text, **fields)["messages"])


def current(editor, topic_id: str, lang: str) -> dict:
    text = editor.get(f"/api/v1/knowledge/topics/{topic_id}").json()["texts"][lang]
    return {k: text[k] for k in ("title", "short", "answer", "steps", "questions", "reviewed")}


def test_operators_cannot_edit_or_publish(kb_server, editor):
    accounts.create(kb_server.data_dir / "app.db", "kb-operator", "kb-operator-password", "operator")
    operator = _client(kb_server, "kb-operator", "kb-operator-password")
    text = current(editor, "rights.fair_pay", "en")
    assert operator.put("/api/v1/knowledge/topics/rights.fair_pay/texts/en", json=text).status_code == 403
    draft = editor.put("/api/v1/knowledge/topics/rights.fair_pay/texts/en", json=text).json()
    editor.post(f"/api/v1/drafts/{draft['id']}/submit")
    assert operator.post(f"/api/v1/drafts/{draft['id']}/publish").status_code == 403
    assert operator.get("/api/v1/knowledge/export").status_code == 403
    assert kb_server.client.get("/api/v1/knowledge/topics").status_code == 401
    assert editor.get(f"/api/v1/drafts/{draft['id']}").json()["status"] == "in_review"
    assert editor.post(f"/api/v1/drafts/{draft['id']}/reject").json()["status"] == "rejected"
    operator.close()


def test_a_published_edit_answers_the_next_question_and_can_be_restored(kb_server, editor):
    topic = "rights.identity_documents"
    before = current(editor, topic, "en")
    assert "Nobody else may hold it." not in answer(kb_server, "kb-1", PASSPORT_QUESTION, language="en")
    changed = {**before, "answer": before["answer"] + " Nobody else may hold it."}
    draft = editor.put(f"/api/v1/knowledge/topics/{topic}/texts/en", json=changed).json()
    assert "Nobody else may hold it." not in answer(kb_server, "kb-2", PASSPORT_QUESTION, language="en")  # draft
    editor.post(f"/api/v1/drafts/{draft['id']}/submit")
    assert editor.post(f"/api/v1/drafts/{draft['id']}/publish").json()["status"] == "published"
    assert "Nobody else may hold it." in answer(kb_server, "kb-3", PASSPORT_QUESTION, language="en")

    versions = editor.get(f"/api/v1/knowledge/topics/{topic}/texts/en/versions").json()
    newest, previous = versions[0], versions[1]
    assert newest["author"] == "kb-editor" and newest["at"]
    assert "+" in newest["diff"] and "Nobody else may hold it." in newest["diff"]
    restored = editor.post(f"/api/v1/knowledge/topics/{topic}/texts/en/restore/{previous['id']}")
    assert restored.status_code == 200, restored.text
    assert "Nobody else may hold it." not in answer(kb_server, "kb-4", PASSPORT_QUESTION, language="en")
    assert editor.get(f"/api/v1/knowledge/topics/{topic}/texts/en/versions").json()[0]["action"] == "restore"
    logged = {(e["actor"], e["action"]) for e in audit.entries(kb_server.data_dir / "app.db", f"text:{topic}:en")}
    assert {("kb-editor", step) for step in ("draft", "submit", "publish", "knowledge_restore")} <= logged


def test_the_english_page_shows_the_reading_grade(kb_server, editor):
    page = editor.get("/console/knowledge/topics/rights.children_education/en")
    assert page.status_code == 200 and 'id="reading"' in page.text and "grade" in page.text
    assert 'id="reading"' not in editor.get("/console/knowledge/topics/rights.children_education/ar").text


def test_translation_status_follows_the_english(kb_server, editor):
    topic = "rights.working_conditions"
    assert editor.get("/api/v1/knowledge/status").json()[topic] == {lang: "current" for lang in
                                                                    ("en", "es", "fr", "ar", "tl", "id")}
    english = current(editor, topic, "en")
    publish(editor, f"/api/v1/knowledge/topics/{topic}/texts/en",
            {**english, "steps": [*english["steps"], "Keep a diary of your hours."]})
    status = editor.get("/api/v1/knowledge/status").json()[topic]
    assert status["en"] == "current" and status["es"] == "outdated" and status["ar"] == "outdated"
    # An outdated translation is still served.
    assert current(editor, topic, "es")["title"] in answer(kb_server, "kb-5", "/ask_right{\"topic\": \"" + topic + "\"}",
                                                           language="es")
    spanish = current(editor, topic, "es")
    publish(editor, f"/api/v1/knowledge/topics/{topic}/texts/es",
            {**spanish, "steps": [*spanish["steps"], "Anote sus horas en un cuaderno."]})
    assert editor.get("/api/v1/knowledge/status").json()[topic]["es"] == "current"


def test_a_new_topic_starts_missing_everywhere_and_goes_live(kb_server, editor):
    topic = "rights.test_new_topic"
    publish(editor, f"/api/v1/knowledge/topics/{topic}",
            {"kind": "right", "applies_to": "all", "sources": ["ICRMW art. 7"], "services": ["legal_aid"]})
    assert set(editor.get("/api/v1/knowledge/status").json()[topic].values()) == {"missing"}
    text = {"title": "A topic made by an editor", "short": "A short answer for SMS.",
            "answer": "The full answer on the web.", "steps": ["Ask for help."], "questions": []}
    publish(editor, f"/api/v1/knowledge/topics/{topic}/texts/en", text)
    assert editor.get("/api/v1/knowledge/status").json()[topic]["en"] == "current"
    reply = answer(kb_server, "kb-6", "/ask_right{\"topic\": \"" + topic + "\"}", language="en")
    assert "The full answer on the web." in reply


def test_a_country_note_is_added_for_the_users_country(kb_server, editor):
    question = "my employer has not paid my salary for three months"
    in_spain = answer(kb_server, "kb-7", question, language="en", country="ES")
    in_uae = answer(kb_server, "kb-8", question, language="en", country="AE")
    assert "MOHRE" in in_uae and "Source: https://" in in_uae  # shipped in knowledge/content/notes.yaml
    assert "MOHRE" not in in_spain
    publish(editor, "/api/v1/knowledge/topics/rights.fair_pay/notes/ES/en",
            {"text": "In this test, wage claims go to the demo office.", "source_url": "https://example.org/demo"})
    assert "wage claims go to the demo office" in answer(kb_server, "kb-9", question, language="en", country="ES")
    bad = editor.put("/api/v1/knowledge/topics/rights.fair_pay/notes/ES/en", json={"text": "Call +34 600 000 000"})
    assert bad.status_code == 422 and len(bad.json()["reasons"]) == 2


def test_a_bad_edit_is_refused_with_every_reason(editor):
    bad = editor.put("/api/v1/knowledge/topics/rights.fair_pay/texts/en",
                     json={"title": "", "short": "x" * 400, "answer": "Call +1 555 0100 now.", "steps": "one"})
    assert bad.status_code == 422
    reasons = " ".join(bad.json()["reasons"])
    for word in ("title", "short", "phone", "steps"):
        assert word in reasons


def test_the_editor_page_gives_the_reasons_in_the_editors_language(kb_server, editor):
    """The JSON API says why in English; the page says it in the language the
    editor reads the console in, naming the fields as the form does."""
    from locales import CONSOLE_DOMAIN, translations

    es = translations("es", CONSOLE_DOMAIN).gettext
    page = editor.post("/console/knowledge/topics/rights.fair_pay/es", headers={"Accept-Language": "es"},
                       data={"title": "", "short": "Corto.", "answer": "Llame al +34 600 000 000.", "steps": "Uno"})
    assert page.status_code == 422
    assert es("{field} is required").format(field=es("Title")) in page.text
    assert es("topic texts may not contain phone numbers: contacts belong in the help directory") in page.text
    assert "title is required" not in page.text and "may not contain phone numbers" not in page.text
    overview = editor.get("/console/knowledge", headers={"Accept-Language": "es"}).text
    assert edits.current_text(kb_server.knowledge_db, "rights.fair_pay", "es")["title"] in overview
    note = editor.post("/console/knowledge/topics/rights.fair_pay/es/notes", headers={"Accept-Language": "es"},
                       data={"country": "12", "text": "Nota.", "source_url": "https://example.org/nota"})
    assert note.status_code == 422 and es("country must be a two-letter ISO code such as AE or ES") in note.text
    # A notice key meant for another page (or typed by hand) is ignored, not a crash.
    for path in ("/console/knowledge?done=topic_exists", "/console/directory?done=saved"):
        assert editor.get(path).status_code == 200, path


def test_import_reports_every_bad_row_by_line_and_writes_nothing(kb_server, editor):
    csv_text = editor.get("/api/v1/knowledge/export", params={"format": "csv"}).text
    rows = transfer.read_csv(csv_text)
    good = {**rows[0][1], "answer": rows[0][1]["answer"] + " Changed by an import."}
    broken = [good, {**rows[1][1], "short": ""}, {**rows[2][1], "topic_id": "rights.nope"}]
    body = transfer.to_csv(broken)
    response = editor.post("/api/v1/knowledge/import", params={"format": "csv"}, content=body.encode())
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [p["line"] for p in problems] == [_line_of(body, 2), _line_of(body, 3)]
    assert "short is required" in problems[0]["reasons"] and "unknown topic" in problems[1]["reasons"][0]
    after = editor.get("/api/v1/knowledge/export", params={"format": "csv"}).text
    assert "Changed by an import." not in after  # the good row was not written either


def _line_of(csv_text: str, row_number: int) -> int:
    """The line a CSV data row starts on (1: the header)."""
    import csv
    import io

    reader = csv.reader(io.StringIO(csv_text))
    next(reader)
    line = 2
    for index, _ in enumerate(reader, start=1):
        if index == row_number:
            return line
        line = reader.line_num + 1
    raise AssertionError("no such row")


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_export_then_import_changes_nothing(editor, fmt):
    exported = editor.get("/api/v1/knowledge/export", params={"format": fmt}).text
    response = editor.post("/api/v1/knowledge/import", params={"format": fmt}, content=exported.encode())
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == 0 and response.json()["rows"] >= 33 * 6
    assert editor.get("/api/v1/knowledge/export", params={"format": fmt}).text == exported


def test_an_import_is_live_and_a_translation_made_with_it_is_current(kb_server, editor):
    exported = yaml.safe_load(editor.get("/api/v1/knowledge/export").text)["texts"]
    rows = [r for r in exported if r["topic_id"] == "rights.recruitment_fees" and r["lang"] in ("en", "fr")]
    for row in rows:
        row["short"] = row["short"] + (" Imported." if row["lang"] == "en" else " Importé.")
    response = editor.post("/api/v1/knowledge/import", content=transfer.to_yaml(rows).encode())
    assert response.json()["changed"] == 2
    status = editor.get("/api/v1/knowledge/status").json()["rights.recruitment_fees"]
    assert status["en"] == status["fr"] == "current" and status["es"] == "outdated"
    sms_like = answer(kb_server, "kb-10", "/ask_right{\"topic\": \"rights.recruitment_fees\"}", language="fr")
    assert sms_like  # the French answer is served


def test_command_line_round_trip_and_refusal(tmp_path, knowledge_db):
    db = tmp_path / "knowledge.db"
    shutil.copy(knowledge_db, db)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "knowledge.cli", "--db", str(db), *args],
                              check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)

    exported = cli("export", "--format", "csv")
    assert exported.returncode == 0
    (tmp_path / "texts.csv").write_text(exported.stdout, encoding="utf-8")
    imported = cli("import", str(tmp_path / "texts.csv"))
    assert imported.returncode == 0 and "0 texts changed" in imported.stdout
    (tmp_path / "bad.csv").write_text(exported.stdout.replace("rights.fair_pay,en,", "rights.fair_pay,xx,", 1),
                                      encoding="utf-8")
    refused = cli("import", str(tmp_path / "bad.csv"))
    assert refused.returncode == 1 and "line" in refused.stderr and "language must be one of" in refused.stderr
    status = cli("status")
    assert status.returncode == 0 and "rights.fair_pay" in status.stdout


def test_updating_from_the_files_keeps_what_people_edited(tmp_path, knowledge_db):
    db = tmp_path / "knowledge.db"
    shutil.copy(knowledge_db, db)
    content = tmp_path / "content"
    shutil.copytree(build.CONTENT_DIR, content)
    edited = {**edits.current_text(db, "rights.fair_pay", "es")}
    edited = {k: edited[k] for k in ("title", "short", "answer", "steps", "questions", "reviewed")}
    edits.save_text(db, "rights.fair_pay", "es", {**edited, "title": "Editado por una ONG"}, "ngo")
    for lang, title in (("es", "Cambiado en el archivo"), ("fr", "Changé dans le fichier")):
        path = content / f"{lang}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["topics"]["rights.fair_pay"]["title"] = title
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    counts = build.sync(db, content)
    assert counts == {"added": 0, "updated": 1, "kept": 1}
    assert edits.current_text(db, "rights.fair_pay", "es")["title"] == "Editado por una ONG"
    assert edits.current_text(db, "rights.fair_pay", "fr")["title"] == "Changé dans le fichier"


def test_an_editor_edits_arabic_and_publishes_in_the_browser(kb_server, editor, browser):
    """The pages in headless Chromium: sign in, the status table, the form
    right to left for Arabic, save and submit, publish from the queue, and
    the bot answers with the new text."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    topic, new_title = "rights.consular_assistance", "مساعدة قنصلية بلدك"
    browser.get(kb_server.base_url + "/console/knowledge")  # redirected to sign in
    browser.find_element(By.NAME, "username").send_keys("kb-editor")
    browser.find_element(By.NAME, "password").send_keys(EDITOR_PASSWORD, Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "status")))
    browser.find_element(By.CSS_SELECTOR, f"a[href='/console/knowledge/topics/{topic}/ar']").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "edit")))
    answer_box = browser.find_element(By.NAME, "answer")
    assert answer_box.get_attribute("dir") == "rtl"
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", answer_box) == "rtl"
    title = browser.find_element(By.NAME, "title")
    title.clear()
    title.send_keys(new_title)
    browser.find_element(By.CSS_SELECTOR, "button[name=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "drafts")))
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#drafts tr[data-draft]")
               if f"{topic}:ar" in r.text and "in review" in r.text)
    row.find_element(By.CSS_SELECTOR, "button[name=publish]").click()
    WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "published" in d.find_element(By.ID, "message").text)
    reply = answer(kb_server, "kb-11", "/ask_right{\"topic\": \"" + topic + "\"}", language="ar")
    assert new_title in reply


def publish_deletion(editor, path: str) -> None:
    draft = editor.delete(path)
    assert draft.status_code == 201, draft.text
    editor.post(f"/api/v1/drafts/{draft.json()['id']}/submit")
    assert editor.post(f"/api/v1/drafts/{draft.json()['id']}/publish").json()["status"] == "published"


def test_notes_and_topics_have_versions_and_any_can_be_restored(kb_server, editor):
    # Canada: no note ships for it, so the history starts with these edits.
    note = "/api/v1/knowledge/topics/rights.complaints/notes/CA/en"
    question = "/ask_right{\"topic\": \"rights.complaints\"}"
    for words in ("Version one of the Canadian note.", "Version two of the Canadian note."):
        publish(editor, note, {"text": words, "source_url": "https://example.org/demo-note"})
    publish_deletion(editor, note)
    assert "Canadian note" not in answer(kb_server, "kb-20", question, language="en", country="CA")
    history = editor.get(note + "/versions").json()
    assert [v["action"] for v in history] == ["delete", "publish", "publish"]
    assert "+text: Version two" in history[1]["diff"] and "(deleted)" in history[0]["diff"]
    first = history[-1]["id"]
    restored = editor.post(f"/api/v1/knowledge/versions/{first}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == {"item": "note:rights.complaints:CA:en", "restored": first}
    assert "Version one of the Canadian note." in answer(kb_server, "kb-21", question, language="en", country="CA")
    assert editor.get(note + "/versions").json()[0]["action"] == "restore"

    topic = "/api/v1/knowledge/topics/rights.test_restored_topic"
    for sources in (["ICRMW art. 7"], ["ICRMW art. 7", "ILO C189"]):
        publish(editor, topic, {"kind": "right", "applies_to": "all", "sources": sources, "services": []})
    versions = editor.get(topic + "/versions").json()
    assert "+- ILO C189" in versions[0]["diff"]
    assert editor.post(f"/api/v1/knowledge/versions/{versions[-1]['id']}/restore").status_code == 200
    assert editor.get(topic).json()["topic"]["sources"] == ["ICRMW art. 7"]

    assert editor.post("/api/v1/knowledge/versions/999999/restore").status_code == 404
    text_version = editor.get("/api/v1/knowledge/topics/rights.fair_pay/texts/en/versions").json()[-1]["id"]
    wrong_item = editor.post(f"/api/v1/knowledge/topics/rights.complaints/texts/en/restore/{text_version}")
    assert wrong_item.status_code == 404  # a version of another text
    accounts.create(kb_server.data_dir / "app.db", "kb-operator-2", "kb-operator-password", "operator")
    operator = _client(kb_server, "kb-operator-2", "kb-operator-password")
    assert operator.post(f"/api/v1/knowledge/versions/{first}/restore").status_code == 403
    operator.close()
    restores = [e for e in audit.entries(kb_server.data_dir / "app.db") if e["action"] == "knowledge_restore"]
    assert {"note:rights.complaints:CA:en", "topic:rights.test_restored_topic"} <= {e["target"] for e in restores}


def test_an_editor_creates_a_topic_and_restores_a_note_in_the_browser(kb_server, editor, browser):
    """The topic and note pages in headless Chromium: a new topic through
    the review queue, then an older version of a country note restored."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    note = "/api/v1/knowledge/topics/rights.complaints/notes/ES/es"
    for words in ("Nota uno: la oficina de prueba.", "Nota dos: otra oficina de prueba."):
        publish(editor, note, {"text": words, "source_url": "https://example.org/nota"})
    browser.get(kb_server.base_url + "/console/knowledge")
    if browser.find_elements(By.NAME, "password"):  # not signed in yet in this browser
        browser.find_element(By.NAME, "username").send_keys("kb-editor")
        browser.find_element(By.NAME, "password").send_keys(EDITOR_PASSWORD, Keys.ENTER)
    form = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "new-topic")))
    form.find_element(By.NAME, "topic_id").send_keys("rights.browser_topic")
    form.find_element(By.NAME, "sources").send_keys("ICRMW art. 9")
    form.find_element(By.CSS_SELECTOR, "input[name=services][value=legal_aid]").click()
    form.find_element(By.TAG_NAME, "button").click()
    for action in ("submit", "publish"):
        wait = WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,))
        row = wait.until(lambda d: next(
            (r for r in d.find_elements(By.CSS_SELECTOR, "#drafts tr[data-draft]") if "rights.browser_topic" in r.text),
            None))
        row.find_element(By.CSS_SELECTOR, f"button[name={action}]").click()
        wait.until(lambda d, a=action: ("submitted for review" if a == "submit" else "published")
                                         in d.find_element(By.ID, "message").text)
    assert {c.text for c in browser.find_elements(By.CSS_SELECTOR, "#status tr td[data-lang]")
            if "browser_topic" in c.get_attribute("innerHTML")} <= {"missing"}
    browser.find_element(By.CSS_SELECTOR, "a[href='/console/knowledge/topics/rights.browser_topic']").click()
    sources = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.NAME, "sources")))
    assert sources.get_attribute("value") == "ICRMW art. 9"
    assert browser.find_element(By.CSS_SELECTOR, "input[value=legal_aid]").is_selected()

    browser.get(kb_server.base_url + "/console/knowledge/topics/rights.complaints")
    section = browser.find_element(By.CSS_SELECTOR, "section[data-note='ES-es']")
    assert "Nota dos" in section.text
    older = section.find_elements(By.TAG_NAME, "details")[1]
    older.find_element(By.TAG_NAME, "summary").click()
    older.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "Nota uno" in d.find_element(By.CSS_SELECTOR, "section[data-note='ES-es'] p").text)
    assert any(n["text"].startswith("Nota uno") for n in edits.notes(kb_server.knowledge_db, "rights.complaints")
               if (n["country"], n["lang"]) == ("ES", "es"))
