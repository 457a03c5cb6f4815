"""The reading grade editors see for the English answers."""
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
