"""The question sets `make eval` reads: well formed, about real topics, and
the held-out ones kept apart from the development ones and the content."""
from knowledge.build import load_content, load_outline
from locales import SUPPORTED_LANGUAGES
from tests.eval_retrieval import DEV_FILES, load_questions


def _topic_ids() -> set[str]:
    return {topic["id"] for topic in load_outline()["topics"]}


def test_every_set_loads_as_questions_per_topic_per_language():
    known = _topic_ids()
    for questions in (load_questions(), load_questions(DEV_FILES)):
        assert set(questions) == set(SUPPORTED_LANGUAGES)
        for lang, topics in questions.items():
            assert set(topics) <= known, f"{lang}: unknown topics {set(topics) - known}"
            assert all(isinstance(q, str) and q.strip() for asked in topics.values() for q in asked), lang


def test_held_out_questions_are_not_in_the_development_sets_or_the_content():
    held_out, development = load_questions(), load_questions(DEV_FILES)
    for lang in SUPPORTED_LANGUAGES:
        asked = {q for qs in held_out[lang].values() for q in qs}
        assert len(held_out[lang]) >= 10 and all(len(qs) >= 15 for qs in held_out[lang].values()), lang
        seen = {q for qs in development.get(lang, {}).values() for q in qs}
        seen |= {q for text in load_content(lang)["topics"].values() for q in text["questions"]}
        # Short questions can coincide by chance ("what is non refoulement"):
        # one in a hundred at most, or the set was copied from.
        assert len(asked & seen) <= len(asked) // 100, f"{lang}: {sorted(asked & seen)}"


def test_the_accuracy_interval_holds_the_measure_and_narrows_with_more_questions():
    from tests.eval_retrieval import wilson

    for correct, total in ((168, 192), (0, 192), (192, 192), (1, 3)):
        low, high = wilson(correct, total)
        assert 0.0 <= low <= correct / total <= high <= 1.0
    assert wilson(1680, 1920)[1] - wilson(1680, 1920)[0] < wilson(168, 192)[1] - wilson(168, 192)[0]
    # Wilson, not the normal approximation, which at 3 of 3 right collapses to
    # 1.0-1.0: three questions prove little.
    low, high = wilson(3, 3)
    assert high == 1.0 and 0.4 < low < 0.5
