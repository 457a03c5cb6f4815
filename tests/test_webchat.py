"""The web chat page in real headless Chromium."""
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from api.privacy import load_or_create_key, pseudonym

PAGE_BUDGET_BYTES = 100 * 1024


def _bot_messages(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#log li.bot")


def _wait_for_bot(driver, count):
    WebDriverWait(driver, 30).until(lambda d: len(_bot_messages(d)) >= count)
    return _bot_messages(driver)


def test_page_and_assets_are_small_and_local(server):
    total = 0
    for path in ("/", "/static/chat.js", "/static/chat.css"):
        response = server.client.get(path)
        assert response.status_code == 200
        total += len(response.content)
    assert total < PAGE_BUDGET_BYTES
    assert "http" not in server.client.get("/").text.replace("http-equiv", "")


def test_ask_in_english_and_follow_a_suggestion(server, browser):
    browser.get(server.base_url + "/?lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=text]")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=language]")
    box = browser.find_element(By.ID, "text")
    box.send_keys("my boss kept my passport, is that allowed?", Keys.ENTER)
    answer = _wait_for_bot(browser, 1)[0]
    assert "ICRMW art. 21" in answer.text
    buttons = browser.find_elements(By.CSS_SELECTOR, "#log li.bot .buttons button")
    assert buttons, "the answer offers help"
    before = len(_bot_messages(browser))
    buttons[0].send_keys(Keys.ENTER)  # reachable and usable from the keyboard
    _wait_for_bot(browser, before + 1)


def test_arabic_renders_right_to_left(server, browser):
    browser.get(server.base_url + "/?lang=en")
    Select(browser.find_element(By.ID, "language")).select_by_value("ar")
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ar"
    reply = _wait_for_bot(browser, 1)[-1]
    assert reply.get_attribute("dir") == "rtl"
    assert reply.value_of_css_property("direction") == "rtl"
    box = browser.find_element(By.ID, "text")
    box.send_keys("صاحب العمل أخذ جواز سفري، هل هذا مسموح؟", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: any("ICRMW art. 21" in m.text for m in _bot_messages(d)))
    # Right-aligned: the bot bubble starts at the right edge in RTL.
    bubble = next(m for m in _bot_messages(browser) if "ICRMW art. 21" in m.text)
    log = browser.find_element(By.ID, "log")
    assert bubble.rect["x"] + bubble.rect["width"] >= log.rect["x"] + log.rect["width"] - 2


def test_page_is_served_in_the_browser_language(server, browser):
    browser.get(server.base_url + "/?lang=es")
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "send")))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    from locales import gettext_for

    assert browser.find_element(By.ID, "send").text == gettext_for("es")("Send")


def test_a_person_answers_a_user_who_asked_for_one(server, browser):
    """End to end: the user asks for a person on the page, an operator signs
    in, takes the conversation and replies, and the user sees the reply."""
    browser.get(server.base_url + "/?lang=en")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    browser.find_element(By.ID, "text").send_keys("I want to talk to a person please", Keys.ENTER)
    notice = _wait_for_bot(browser, 1)[-1]
    assert "a person from our team" in notice.text
    user_window = browser.current_window_handle
    sender = browser.execute_script("return localStorage.getItem('sender_id')")
    cid = pseudonym(load_or_create_key(server.data_dir / "sender-id.key"), "web", sender)

    browser.switch_to.new_window("tab")
    browser.get(server.base_url + "/console")  # redirected to sign in
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys("admin-test-password", Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "counts")))
    browser.find_element(By.CSS_SELECTOR, f"a.open-conversation[href$='{cid}']").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "transcript")))
    assert "I want to talk to a person please" in browser.find_element(By.ID, "transcript").text
    browser.find_element(By.ID, "assign").click()
    # The page reloads, assigned to me: no "Assign to me" button any more.
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
        and not d.find_elements(By.ID, "assign") and d.find_elements(By.ID, "reply-text"))
    browser.find_element(By.ID, "reply-text").send_keys("Hello, I am Ana from the team. Are you safe?")
    browser.find_element(By.ID, "send-reply").click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: "Hello, I am Ana" in d.find_element(By.ID, "transcript").text)
    browser.close()

    browser.switch_to.window(user_window)
    reply = WebDriverWait(browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#log li.operator"))
    )
    assert "Hello, I am Ana from the team. Are you safe?" in reply.text
    assert "A person from our team" in reply.text  # shown distinctly from the bot
