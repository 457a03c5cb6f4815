// Web chat: posts to /api/v1/chat and shows the replies. No libraries.
(function () {
  "use strict";
  var strings = JSON.parse(document.getElementById("strings").textContent);
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var picker = document.getElementById("language");
  var statusLine = document.getElementById("status");
  var lang = document.documentElement.lang;
  var senderId = localStorage.getItem("sender_id");
  if (!senderId) {
    senderId = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
    localStorage.setItem("sender_id", senderId);
  }

  function applyLanguage(code) {
    var s = strings[code];
    if (!s) return;
    lang = code;
    document.documentElement.lang = code;
    document.documentElement.dir = s.dir;
    document.title = s.title;
    document.getElementById("title").textContent = s.title;
    document.getElementById("language-label").textContent = s.language;
    document.getElementById("send").textContent = s.send;
    document.getElementById("text-label").textContent = s.placeholder;
    document.getElementById("disclaimer").textContent = s.disclaimer;
    input.placeholder = s.placeholder;
    log.setAttribute("aria-label", s.conversation);
    picker.value = code;
  }

  function add(who, text, buttons, msgLang) {
    var item = document.createElement("li");
    item.className = who;
    if (msgLang) { item.lang = msgLang; item.dir = strings[msgLang] ? strings[msgLang].dir : "auto"; }
    else { item.dir = "auto"; }
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = (who === "user" ? strings[lang].you : who === "operator" ? strings[lang].operator : strings[lang].bot) + ": ";
    item.appendChild(label);
    item.appendChild(document.createTextNode(text));
    if (buttons && buttons.length) {
      var row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () { send(b.payload, b.title); });
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  // Replies from a person arrive over server-sent events, once the
  // conversation has been handed to the team.
  var stream = null;
  function listen() {
    if (stream || !window.EventSource) return;
    localStorage.setItem("listen", "1");
    var after = localStorage.getItem("operator_after") || "0";
    stream = new EventSource("/api/v1/chat/stream?sender_id=" + encodeURIComponent(senderId) + "&after=" + after);
    stream.addEventListener("operator", function (event) {
      var m = JSON.parse(event.data);
      localStorage.setItem("operator_after", String(m.id));
      add("operator", m.text, null, null);
    });
  }
  if (localStorage.getItem("listen") === "1") listen();

  function send(text, shown, language) {
    add("user", shown || text, null, null);
    statusLine.textContent = "";
    var body = { sender_id: senderId, text: text, language: language || null };
    return fetch("/api/v1/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 503) { statusLine.textContent = strings[lang].starting; return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (!data) return;
      if (data.language !== lang) applyLanguage(data.language);
      data.messages.forEach(function (m) { add("bot", m.text, m.buttons, data.language); });
      if (data.escalated) listen();
    }).catch(function () { statusLine.textContent = strings[lang].offline; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  picker.addEventListener("change", function () {
    var code = picker.value;
    applyLanguage(code);
    send('/change_language{"language":"' + code + '"}', picker.options[picker.selectedIndex].text, code);
  });
})();
