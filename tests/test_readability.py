"""The reading grade editors see for the English answers."""
from knowledge import readability


def test_plain_words_score_lower_than_legal_prose():
    plain = "Your boss must pay you. Ask for your pay in writing. Keep a copy."
    legal = ("Remuneration for employment shall be determined in accordance with applicable national "
             "legislation, notwithstanding any contractual stipulations to the contrary.")
    assert readability.grade(plain) <= readability.TARGET_GRADE < readability.grade(legal)
    assert readability.longest_sentence(plain) == 6 and readability.longest_sentence(legal) == 19
