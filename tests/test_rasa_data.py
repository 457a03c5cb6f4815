"""The Rasa project is valid and its training data is what the issue asks."""
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from locales import SUPPORTED_LANGUAGES
from tests.conftest import VENV_BIN

BOT = Path(__file__).resolve().parents[1] / "bot"
INTENTS = {"greet", "goodbye", "thank", "ask_right", "ask_help", "emergency", "ask_human", "change_language", "out_of_scope"}
MIN_EXAMPLES = 15


def test_rasa_data_validate_passes():
    result = subprocess.run(
        [VENV_BIN / "rasa", "data", "validate", "--domain", "domain.yml", "--data", "data", "--config", "config.yml"],
        cwd=BOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_intent_has_enough_examples_in_every_language(lang):
    counts = Counter()
    for path in (BOT / "data" / "nlu" / lang).glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                counts[block["intent"]] += sum(1 for line in block["examples"].splitlines() if line.strip().startswith("- "))
    assert set(counts) == INTENTS
    thin = {intent: n for intent, n in counts.items() if n < MIN_EXAMPLES}
    assert not thin, f"{lang}: fewer than {MIN_EXAMPLES} examples: {thin}"
