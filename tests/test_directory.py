"""The help directory without the bot: shipped data, search, places,
phone numbers, import and export, and emergency detection."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from directory import phones, places, safety, search, transfer
from directory.seed import emergency_rows, seed

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def directory_db(tmp_path) -> Path:
    path = tmp_path / "directory.db"
    seed(path)
    return path


def test_shipped_numbers_agree_with_libphonenumber():
    """Every sourced emergency number is one libphonenumber also knows."""
    for row in emergency_rows():
        for service, number in json.loads(row["numbers"]).items():
            assert phones.is_emergency_number(number, row["country"]), (row["country"], service, number)
        assert row["sources"] != "[]"


def test_shipped_services_are_sourced_and_valid(directory_db):
    entries = transfer.export_entries(directory_db)
    assert {e["country"] for e in entries} >= {"AE", "ES"}
    for entry in entries:
        assert entry["sources"] and all(s.startswith("http") for s in entry["sources"])
        assert not entry.get("demo")
        for phone in entry.get("phones", []):
            assert phone["number"] == phones.to_e164(phone["number"], entry["country"])


def test_seeding_again_keeps_editors_changes(directory_db):
    entries = transfer.export_entries(directory_db)
    entries[0]["name"] = "Renamed by an editor"
    transfer.import_services(directory_db, [(1, entries[0])])
    assert seed(directory_db) == {}
    assert transfer.export_entries(directory_db)[0]["name"] == "Renamed by an editor"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I am Filipino and I work in Dubai", ("AE", "Dubai", "PH")),
        ("Soy de Filipinas y vivo en Madrid", ("ES", "Madrid", "PH")),
        ("je suis marocaine, j'habite à Barcelone", ("ES", "Barcelona", "MA")),
        ("أنا فلبينية وأعمل في دبي", ("AE", "Dubai", "PH")),
        ("انا من الفلبين واشتغل بالشارقة", ("AE", "Sharjah", "PH")),
        ("I live in Spain, I am from Morocco", ("ES", None, "MA")),
        ("UAE", ("AE", None, None)),
        ("ابي مالي من الكفيل", (None, None, None)),  # "my money", not Mali
    ],
)
def test_places_in_four_languages(text, expected):
    found = places.find(text)
    assert (found.country, found.region, found.nationality) == expected


def test_a_bare_country_answers_the_question_asked():
    assert places.find("Indonesia", expecting="nationality").nationality == "ID"
    assert places.find("Indonesia", expecting="country").country == "ID"


def test_consulate_is_found_by_nationality_and_region(directory_db):
    found = search.find(directory_db, "consulate", "AE", region="Dubai", nationality="PH")
    assert [s.id for s in found] == ["ae-ph-consulate-dubai", "ae-ph-mwo-dubai"]
    assert search.find(directory_db, "consulate", "AE", region="Dubai", nationality="IN") == []
    transfer.import_services(directory_db, transfer.read_yaml((DATA / "directory_demo.yaml").read_text()))
    in_abu_dhabi = search.find(directory_db, "consulate", "AE", region="Abu Dhabi", nationality="ID")
    assert [s.id for s in in_abu_dhabi] == ["demo-ae-id-consulate-abu-dhabi", "demo-ae-id-consulate"]
    assert all(s.demo for s in in_abu_dhabi)


def test_services_for_another_nationality_are_left_out(directory_db):
    assert [s.id for s in search.find(directory_db, "shelter", "AE", nationality="PH")] == ["ae-ph-mwo-dubai-resource-centre"]
    assert search.find(directory_db, "shelter", "AE", nationality="ET") == []


def test_phone_validation():
    assert phones.to_e164("056 353 5558", "AE") == "+971563535558"
    assert phones.international("+34900105090") == "+34 900 105 090"
    for bad in ("12345", "+971 12", "call me"):
        with pytest.raises(phones.InvalidPhone):
            phones.to_e164(bad, "AE")


BAD_IMPORT = """\
services:
  - id: good-one
    name: A good entry
    category: legal_aid
    country: ES
    sources: [https://example.org/a]
    verified_on: 2026-01-01
  - id: Bad Id
    name: ""
    category: lawyers
    country: XX
    phones: [{number: "12"}]
    hours: [{days: [monday], open: "8am", close: "17:00"}]
    sources: []
    verified_on: 2999-01-01
  - id: good-one
    name: Same id twice
    category: consulate
    country: AE
    sources: [https://example.org/b]
    verified_on: 2026-01-01
"""


def test_import_reports_every_bad_row_with_its_line_and_writes_nothing(directory_db):
    before = transfer.export_entries(directory_db)
    with pytest.raises(transfer.ImportRejected) as rejected:
        transfer.import_services(directory_db, transfer.read_yaml(BAD_IMPORT))
    problems = {p.line: p for p in rejected.value.problems}
    assert set(problems) == {8, 16}
    reasons = " ".join(problems[8].reasons)
    for field in ("id:", "name:", "category:", "country:", "phones:", "hours:", "sources:", "verified_on:"):
        assert field in reasons
    assert any("already used on line 2" in r for r in problems[16].reasons)
    assert any("nationality" in r for r in problems[16].reasons)  # a consulate needs one
    assert transfer.export_entries(directory_db) == before


def test_csv_reports_line_numbers():
    text = "id,name,category,country,sources,verified_on,phones\nok-1,Fine,hotline,ES,https://e.org,2026-01-01,\nbad-1,Bad,hotline,ES,https://e.org,2026-01-01,{not json\n"
    with pytest.raises(transfer.ImportRejected) as rejected:
        transfer.check_all(transfer.read_csv(text))
    assert [(p.line, p.id) for p in rejected.value.problems] == [(3, "bad-1")]


def test_yaml_and_csv_round_trip_without_loss(directory_db, tmp_path):
    transfer.import_services(directory_db, transfer.read_yaml((DATA / "directory_demo.yaml").read_text()))
    entries = transfer.export_entries(directory_db)
    for fmt, dump, read in (("yaml", transfer.to_yaml, transfer.read_yaml), ("csv", transfer.to_csv, transfer.read_csv)):
        copy = tmp_path / f"copy-{fmt}.db"
        seed(copy)
        transfer.import_services(copy, read(dump(entries)), replace=True)
        assert transfer.export_entries(copy) == entries, fmt


MESSAGES = yaml.safe_load((DATA / "emergency_messages.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", sorted(MESSAGES))
def test_danger_phrases_alone_separate_the_test_set(directory_db, lang):
    """Without the model: every danger message flagged, no harmless one."""
    assert len(MESSAGES[lang]["danger"]) >= 10 and len(MESSAGES[lang]["harmless"]) >= 10
    missed = [m for m in MESSAGES[lang]["danger"] if not safety.assess(directory_db, m, lang).emergency]
    false_alarms = [m for m in MESSAGES[lang]["harmless"] if safety.assess(directory_db, m, lang).emergency]
    assert missed == [] and false_alarms == []


INDEPENDENT = yaml.safe_load((DATA / "emergency_messages_independent.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", sorted(INDEPENDENT))
def test_danger_phrases_separate_the_independent_messages_they_were_extended_with(directory_db, lang):
    """The even-numbered half of a set written apart from the lists (the
    other half is only measured, by `make eval`)."""
    danger, harmless = INDEPENDENT[lang]["danger"][::2], INDEPENDENT[lang]["harmless"][::2]
    assert len(danger) >= 7 and len(harmless) >= 7
    assert [m for m in danger if not safety.assess(directory_db, m, lang).emergency] == []
    assert [m for m in harmless if safety.assess(directory_db, m, lang).emergency] == []
    # "if I am late" is a joke; the same words with a real condition are not.
    assert safety.assess(directory_db, "he will kill me if i call the police", "en").emergency


def test_a_harmless_look_alike_vetoes_an_overlapping_match_only(directory_db):
    assert not safety.assess(directory_db, "my phone battery is dying", "en").emergency
    assert safety.assess(directory_db, "my phone battery is dying and he is beating me", "en").emergency


def test_an_edited_phrase_list_takes_effect_at_once(directory_db):
    assert not safety.assess(directory_db, "they burned my arm with an iron", "en").emergency
    from directory import schema

    db = schema.connect(directory_db)
    with db.conn:
        db["danger_phrases"].insert({"lang": "en", "kind": "danger", "phrase": "burned my"})
        schema.bump_revision(db)
    db.close()
    assert safety.assess(directory_db, "they burned my arm with an iron", "en").reason == "phrase: burned my"


def test_command_line_import_and_export(tmp_path, capsys):
    from directory import cli

    db = tmp_path / "cli.db"
    assert cli.main(["--db", str(db), "export", "--format", "csv"]) == 0
    exported = capsys.readouterr().out
    (tmp_path / "all.csv").write_text(exported, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD_IMPORT, encoding="utf-8")
    assert cli.main(["--db", str(db), "import", str(tmp_path / "bad.yaml")]) == 1
    assert "line 8" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "import", str(tmp_path / "all.csv"), "--replace"]) == 0
    assert "entries imported" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out == exported
