"""Escalation to people and the operator console, against the real server."""
from __future__ import annotations

import itertools
import sqlite3

import httpx
import pytest

from api import accounts, retention
from api.privacy import load_or_create_key, pseudonym
from tests.conftest import ADMIN_PASSWORD

_users = itertools.count(1)
PASSWORDS = {"operator": "operator-password-1", "editor": "editor-password-1", "admin": ADMIN_PASSWORD}


def user() -> str:
    return f"console-user-{next(_users)}"


@pytest.fixture(scope="module")
def staff(server):
    for role in ("operator", "editor"):
        try:
            accounts.create(server.data_dir / "app.db", role, PASSWORDS[role], role)
        except ValueError:
            pass  # created by an earlier module run
    clients = {}
    for role in ("operator", "editor", "admin"):
        client = httpx.Client(base_url=server.base_url, timeout=30)
        response = client.post("/api/v1/console/login", json={"username": role, "password": PASSWORDS[role]})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf"]
        # The cookie is Secure (PUBLIC_BASE_URL is https, as behind a proxy);
        # the test talks plain http to the loopback, so send it by hand.
        client.headers["Cookie"] = f"staff_session={response.cookies['staff_session']}"
        clients[role] = client
    yield clients
    for client in clients.values():
        client.close()


def conversation_id(server, sender: str) -> str:
    return pseudonym(load_or_create_key(server.data_dir / "sender-id.key"), "web", sender)


def tracker_events(server, cid: str) -> int:
    with sqlite3.connect(server.data_dir / "tracker.db") as conn:
        return conn.execute("SELECT count(*) FROM events WHERE sender_id = ?", [cid]).fetchone()[0]


def escalation(server, cid: str) -> dict | None:
    with sqlite3.connect(server.data_dir / "app.db") as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM escalations WHERE conversation_id = ? ORDER BY id DESC", [cid]).fetchone()
    return dict(row) if row else None


@pytest.mark.parametrize("lang, text, told", [
    ("en", "I want to talk to a real person", "a person from our team"),
    ("es", "quiero hablar con una persona", "una persona de nuestro equipo"),
    ("fr", "je veux parler à un humain", "une personne de notre équipe"),
    ("ar", "أريد التحدث مع إنسان", "شخص من فريقنا"),
])
def test_asking_for_a_person_hands_over_and_the_bot_goes_quiet(server, lang, text, told):
    me = user()
    reply = server.chat(me, text, language=lang)
    assert reply["escalated"] and told in reply["messages"][0]["text"]
    cid = conversation_id(server, me)
    assert escalation(server, cid)["reason"] == "asked_for_person"
    before = tracker_events(server, cid)
    quiet = server.chat(me, "hello? what about my salary")
    assert quiet["messages"] == [] and quiet["escalated"]
    assert tracker_events(server, cid) > before  # stored for the console, not answered


def test_two_fallbacks_in_a_row_hand_over(server):
    me = user()
    first = server.chat(me, "??? ...", language="en")
    assert not first["escalated"]
    second = server.chat(me, "... ???", language="en")
    assert second["escalated"]
    assert "I could not understand you well" in second["messages"][-1]["text"]
    assert escalation(server, conversation_id(server, me))["reason"] == "fallbacks"


def test_sensitive_subject_is_answered_and_read_by_a_person(server):
    me = user()
    reply = server.chat(me, "my employer took my passport and I cannot leave", language="en")
    assert reply["escalated"] and reply["topic"] == "rights.identity_documents"
    row = escalation(server, conversation_id(server, me))
    assert (row["reason"], row["priority"]) == ("sensitive", 1)
    assert server.chat(me, "thank you")["messages"]  # the bot keeps answering until someone takes it


def test_operator_takes_replies_and_hands_back(server, staff):
    me = user()
    server.chat(me, "I need to speak to a human", language="en")
    cid = conversation_id(server, me)
    op = staff["operator"]
    queue = op.get("/api/v1/console/queue").json()
    assert cid in [item["conversation_id"] for item in queue["items"]]
    assert op.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "Hello, I am Ana."}).json()["delivery"] == "web"
    with httpx.stream("GET", f"{server.base_url}/api/v1/chat/stream", params={"sender_id": me}, timeout=10) as stream:
        lines = []
        for line in stream.iter_lines():
            lines.append(line)
            if line.startswith("data:"):
                break
    assert "Hello, I am Ana." in lines[-1]
    view = op.get(f"/api/v1/console/conversations/{cid}").json()
    assert [t["who"] for t in view["turns"]] == ["user", "bot", "operator"]
    assert view["escalations"][0]["status"] == "assigned"
    assert server.chat(me, "thanks Ana")["messages"] == []
    assert op.post(f"/api/v1/console/conversations/{cid}/resolve").json() == {"status": "resolved"}
    back = server.chat(me, "hello", language="en")
    assert back["messages"] and not back["escalated"]


ENDPOINTS = [  # (method, path, who may)
    ("GET", "/api/v1/console/queue", {"operator", "admin"}),
    ("GET", "/api/v1/console/conversations/{cid}", {"operator", "admin"}),
    ("POST", "/api/v1/console/conversations/{cid}/assign", {"operator", "admin"}),
    ("GET", "/api/v1/console/users", {"admin"}),
    ("GET", "/api/v1/console/session", {"operator", "editor", "admin"}),
    ("GET", "/console", {"operator", "admin"}),
    ("GET", "/console/conversations/{cid}", {"operator", "admin"}),
    ("GET", "/console/users", {"admin"}),
    ("GET", "/console/knowledge", {"editor", "admin"}),
    ("GET", "/console/knowledge/topics/rights.fair_pay", {"editor", "admin"}),
    ("GET", "/console/knowledge/topics/rights.fair_pay/ar", {"editor", "admin"}),
    ("GET", "/api/v1/knowledge/topics/rights.fair_pay/versions", {"editor", "admin"}),
    ("GET", "/api/v1/knowledge/topics/rights.fair_pay/notes/AE/en/versions", {"editor", "admin"}),
    ("GET", "/console/directory", {"editor", "admin"}),
]


def test_every_endpoint_checks_the_role(server, staff):
    me = user()
    server.chat(me, "I want to talk to a person", language="en")
    cid = conversation_id(server, me)
    anonymous = httpx.Client(base_url=server.base_url, timeout=30)
    for method, path, allowed in ENDPOINTS:
        url = path.format(cid=cid)
        response = anonymous.request(method, url, follow_redirects=False)
        assert response.status_code in (401, 303), (url, response.status_code)
        for role, client in staff.items():
            response = client.request(method, url, follow_redirects=False)
            expected = 200 if role in allowed else 403
            assert response.status_code == expected, (role, method, url, response.status_code)
    response = staff["operator"].delete(f"/api/v1/console/conversations/{cid}")
    assert response.status_code == 403  # only an admin erases
    anonymous.close()


def test_csrf_is_required_on_every_change(server, staff):
    me = user()
    server.chat(me, "I want to talk to a person", language="en")
    cid = conversation_id(server, me)
    op = staff["operator"]
    token = op.headers.pop("X-CSRF-Token")
    try:
        assert op.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "hi"}).status_code == 403
        form = op.post(f"/console/conversations/{cid}/note", data={"text": "note"}, follow_redirects=False)
        assert form.status_code == 403
        form = op.post(f"/console/conversations/{cid}/note", data={"text": "note", "csrf": token}, follow_redirects=False)
        assert form.status_code == 303
    finally:
        op.headers["X-CSRF-Token"] = token
    login = httpx.post(f"{server.base_url}/console/login", data={"username": "operator", "password": PASSWORDS["operator"]})
    header = login.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "secure" in header  # PUBLIC_BASE_URL is https


def test_sign_in_is_rate_limited(server):
    client = httpx.Client(base_url=server.base_url, timeout=30)
    codes = [client.post("/console/login", data={"username": "nobody-here", "password": "wrong"}).status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    client.close()


def test_user_text_is_escaped_in_the_console(server, staff):
    me = user()
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    server.chat(me, "I want to talk to a person", language="en")
    server.chat(me, payload)
    page = staff["operator"].get(f"/console/conversations/{conversation_id(server, me)}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_erasure_by_admin_and_by_keyword_really_deletes(server, staff):
    for how in ("admin", "keyword"):
        me = user()
        server.chat(me, "I want to talk to a person", language="en")
        cid = conversation_id(server, me)
        staff["operator"].post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "hello"})
        assert tracker_events(server, cid) > 0
        if how == "admin":
            assert staff["admin"].delete(f"/api/v1/console/conversations/{cid}").status_code == 200
        else:
            reply = server.chat(me, "Delete my data")
            assert "has been deleted" in reply["messages"][0]["text"]
        assert tracker_events(server, cid) == 0
        with sqlite3.connect(server.data_dir / "app.db") as conn:
            for table, column in retention.CONVERSATION_TABLES.items():
                count = conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [cid]).fetchone()[0]
                assert count == 0, (how, table)
            assert conn.execute("SELECT actor FROM audit WHERE action = 'erase' AND target = ?", [cid]).fetchone()


def test_expiry_deletes_old_conversations_everywhere(server, tmp_path):
    server.chat(user(), "hello", language="en")
    copies = {}
    for name in ("app.db", "tracker.db"):  # work on copies: other tests share the server
        copies[name] = tmp_path / name
        with sqlite3.connect(server.data_dir / name) as source, sqlite3.connect(copies[name]) as target:
            source.backup(target)
    assert retention.expire(copies["app.db"], copies["tracker.db"], days=90) == 0  # nothing is that old
    erased = retention.expire(copies["app.db"], copies["tracker.db"], days=-1)  # everything is "too old"
    assert erased > 0
    with sqlite3.connect(copies["tracker.db"]) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    with sqlite3.connect(copies["app.db"]) as conn:
        for table in ("conversations", "escalations", "operator_messages"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_sign_in_returns_to_the_page_asked_for_and_never_to_another_site(server):
    client = httpx.Client(base_url=server.base_url, timeout=30)
    asked = client.get("/console/knowledge", follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/console/login?next=/console/knowledge"
    for target, expected in (("/console/directory", "/console/directory"), ("https://evil.example/", "/console"),
                             ("//evil.example/console", "/console"), ("/console\\\\evil", "/console")):
        client.cookies.clear()
        signed_in = client.post("/console/login", data={"username": "admin", "password": ADMIN_PASSWORD,
                                                        "next": target}, follow_redirects=False)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == expected, target
    client.close()


def test_the_console_follows_the_browser_language(server):
    """Staff are not all English speakers: with no choice made, the pages
    speak the browser's language, from the console catalog."""
    from locales import CONSOLE_DOMAIN, translations

    client = httpx.Client(base_url=server.base_url, timeout=30)
    page = client.get("/console/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).text
    assert '<html lang="es" dir="ltr">' in page
    assert translations("es", CONSOLE_DOMAIN).gettext("Sign in") in page and ">Sign in<" not in page
    refused = client.post("/console/login", data={"username": "nobody-es", "password": "wrong"},
                          headers={"Accept-Language": "es"})
    assert refused.status_code == 401
    assert translations("es", CONSOLE_DOMAIN).gettext("Wrong username or password.") in refused.text
    # Browsers name Tagalog "tl" or "fil"; both get Tagalog, on the console and the chat page.
    for header in ("tl-PH,tl;q=0.9", "fil-PH"):
        for path in ("/console/login", "/"):
            page = client.get(path, headers={"Accept-Language": header})
            assert page.status_code == 200 and '<html lang="tl"' in page.text, (header, path)
    # The language menu comes back to the same page, query and all.
    import re
    from urllib.parse import unquote

    page = client.get("/console/login", params={"next": "/console/conversations/abc"}).text
    link = re.search(r'href="(/console/language/fr[^"]*)"', page).group(1).replace("&amp;", "&")
    back = client.get(link, follow_redirects=False)
    assert back.status_code == 303 and unquote(back.headers["location"]) == "/console/login?next=/console/conversations/abc"
    client.close()


def test_an_operator_uses_the_console_in_arabic_in_the_browser(server, staff, browser):
    """The language menu on the sign-in page: the whole console right to
    left in Arabic, labels of stored codes translated, and the migrant's
    words left as they were written."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from locales import CONSOLE_DOMAIN, translations

    ar = translations("ar", CONSOLE_DOMAIN).gettext
    me = user()
    server.chat(me, "I want to talk to a person", language="en")
    try:
        browser.get(server.base_url + "/console/login")
        browser.find_element(By.CSS_SELECTOR, "#console-languages a[hreflang=ar]").click()
        WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ar")
        html = browser.find_element(By.TAG_NAME, "html")
        assert html.get_attribute("dir") == "rtl"
        assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
        assert browser.find_element(By.ID, "sign-in").text == ar("Sign in")
        browser.find_element(By.NAME, "username").send_keys("operator")
        browser.find_element(By.NAME, "password").send_keys(PASSWORDS["operator"], Keys.ENTER)
        WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "counts")))
        assert browser.find_element(By.TAG_NAME, "h1").text == ar("Queue")
        browser.get(f"{server.base_url}/console/conversations/{conversation_id(server, me)}")
        page = browser.find_element(By.TAG_NAME, "main").text
        assert ar("asked for a person") in page and "asked_for_person" not in page
        assert "I want to talk to a person" in page  # the migrant's words, untouched
    finally:
        browser.delete_all_cookies()
