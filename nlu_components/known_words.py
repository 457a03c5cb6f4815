"""Fallback for messages with no word the bot was trained on.

DIET with character n-grams is sure of itself on anything: measured with the
trained model, "??? ..." was `goodbye` at 0.997 and "asdf qwer" `greet` at
1.0, so the FallbackClassifier never fired on nonsense and a user typing it
was greeted instead of being asked to rephrase (and never reached a person
after two misses). This component learns the training vocabulary and, when
a message shares no word with it (allowing for a typo), drops the intent's
confidence to zero so the FallbackClassifier after it takes over.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_WORD = re.compile(r"[^\W\d_]+")
_FILE = "vocabulary.json"
# A word within this similarity of a known one counts as known: "pasport",
# "emplyer", "salario" for "salarios". Only words of this length or longer.
SIMILAR, MIN_FUZZY_LENGTH = 0.8, 4


def words(text: str) -> set[str]:
    """Lower-cased letter runs, accents removed: what "known" is judged on."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return set(_WORD.findall(folded))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnownWordsFallback(GraphComponent):
    def __init__(self, model_storage: ModelStorage, resource: Resource, vocabulary: set[str]) -> None:
        self._storage, self._resource = model_storage, resource
        self._vocabulary = vocabulary
        self._by_prefix: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) >= MIN_FUZZY_LENGTH:
                self._by_prefix.setdefault(word[:2], []).append(word)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> KnownWordsFallback:
        return cls(model_storage, resource, set())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> KnownWordsFallback:
        try:
            with model_storage.read_from(resource) as folder:
                vocabulary = set(json.loads((folder / _FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            vocabulary = set()  # not trained: never interferes
        return cls(model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: set[str] = set()
        for example in training_data.training_examples:
            vocabulary |= words(example.get(TEXT) or "")
        with self._storage.write_to(self._resource) as folder:
            (folder / _FILE).write_text(json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8")
        return self._resource

    def knows(self, word: str) -> bool:
        if word in self._vocabulary:
            return True
        if len(word) < MIN_FUZZY_LENGTH:
            return False
        candidates = self._by_prefix.get(word[:2], [])
        return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=SIMILAR))

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._vocabulary:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT)
            if text.startswith("/") or not intent:
                continue  # buttons send intents by name
            if not any(self.knows(w) for w in words(text)):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
                ranking = [{**r, "confidence": 0.0} for r in message.get(INTENT_RANKING_KEY) or []]
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
