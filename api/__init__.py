"""The public face: web chat, chat API, health (and later SMS, operators, editors)."""
