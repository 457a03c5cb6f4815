"""The written statement: one printable page per language (headless
Chromium), its PDF, and the link the bot gives when asked for everything."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from actions.replies import applies_to
from knowledge.statement import statement
from locales import SUPPORTED_LANGUAGES
from tests.test_sms import Phone


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_statement_page_in_every_language(server, browser, knowledge_db, lang):  # noqa: F811
    expected = statement(knowledge_db, lang)
    browser.get(f"{server.base_url}/statement/{lang}")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert len(headings) == len(expected.groups) == 2  # rights, then duties
    assert sum(len(topics) for _, topics in expected.groups) == expected.outline_topics == 33
    assert not browser.find_elements(By.ID, "coverage")  # every outline topic is written
    for _, topics in expected.groups:
        for topic in topics:
            section = browser.find_element(By.ID, topic.topic_id)
            assert topic.title in section.text
            assert section.find_element(By.CLASS_NAME, "applies").text == applies_to(topic.applies_to, lang)
            assert topic.sources[0] in section.find_element(By.CLASS_NAME, "sources").text
    assert str(expected.published_on.year) in browser.find_element(By.ID, "published").text
    pdf_link = browser.find_element(By.CSS_SELECTOR, "a.pdf").get_attribute("href")
    response = server.client.get(pdf_link)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"DejaVu" in response.content


def test_unknown_language_is_a_clear_404(server):
    response = server.client.get("/statement/xx")
    assert response.status_code == 404 and "languages" in response.json()["message"]


def test_asking_for_everything_gets_the_link(server):
    reply = server.chat("statement-web", "Please send me everything about my rights", language="en")
    assert "/statement/en" in reply["messages"][0]["text"]
    reply = server.chat("statement-es", "quiero la lista completa", language="es")
    assert "/statement/es" in reply["messages"][0]["text"]
    sms = Phone(server, "+34600111222").send("envoyez-moi tous mes droits")
    assert "/s/fr" in sms
    short = server.client.get("/s/fr", follow_redirects=False)
    assert short.status_code == 302 and short.headers["location"] == "/statement/fr"
