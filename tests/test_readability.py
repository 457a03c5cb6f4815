"""Plain words: the reading grade of the English answers, and sentences as
short in every language."""
import pytest

from knowledge import readability
from knowledge.build import load_content


def test_plain_words_score_lower_than_legal_prose():
    plain = "Your boss must pay you. Ask for your pay in writing. Keep a copy."
    legal = ("Remuneration for employment shall be determined in accordance with applicable national "
             "legislation, notwithstanding any contractual stipulations to the contrary.")
    assert readability.grade(plain) <= readability.TARGET_GRADE < readability.grade(legal)
    assert readability.longest_sentence(plain) == 6 and readability.longest_sentence(legal) == 19


def test_the_shipped_english_answers_are_plain():
    """The issue's plain-words rule, kept: a 12-year-old's grade and no long
    sentences in every English web answer (the translations follow it)."""
    measured = {topic_id: readability.measure(text["answer"]) for topic_id, text in load_content("en")["topics"].items()}
    hard = {topic_id: m for topic_id, m in measured.items() if not readability.is_plain(m)}
    assert not hard, f"(grade, words in the longest sentence) too high: {hard}"


@pytest.mark.parametrize("lang", [lang for lang in readability.LONGEST_SENTENCE_IN if lang != "en"])
def test_translations_keep_the_short_sentences(lang):
    """No formula measures Arabic or Tagalog for a 12-year-old, but a
    translation can keep what makes the English plain: the same sentences,
    one for one (none merged into a longer one), none of them long."""
    english = load_content("en")["topics"]
    limit = readability.LONGEST_SENTENCE_IN[lang]
    merged, long = {}, {}
    for topic_id, text in load_content(lang)["topics"].items():
        count, expected = len(readability.sentences(text["answer"])), len(readability.sentences(english[topic_id]["answer"]))
        if count != expected:
            merged[topic_id] = (count, expected)
        if readability.longest_sentence(text["answer"]) > limit:
            long[topic_id] = readability.longest_sentence(text["answer"])
    assert not merged, f"{lang}: sentences (translation, English): {merged}"
    assert not long, f"{lang}: a sentence over {limit} words: {long}"
