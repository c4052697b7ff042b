"""normalize_document: the seed end to end, and the hand-written articles of tests/cases/documents.toml."""

from __future__ import annotations

import json
import pickle
import tomllib
from pathlib import Path

import pytest

from normalize import normalize_document

SEED = (Path(__file__).parent.parent / "normalize" / "samples" / "tass-2024-11-18.txt").read_text("utf-8")


def test_seed_record():
    d = normalize_document(SEED)
    assert d.header is not None
    assert d.header.text == "date 2024-11-18 17.38 - lunedì 18 novembre 2024"
    assert (d.header.language, d.header.date.iso) == ("it", "2024-11-18T17:38:00")
    assert d.published.iso == "2024-11-18T17:38:00"
    assert d.language == "en"
    assert d.title == (
        "Kremlin says decision to launch ATACMS missiles deep into Russia ‘escalation of tensions’."
    )
    assert d.subtitle == "Moscow’s position should be absolutely clear to everyone, Dmitry Peskov pointed out"
    line = d.dateline
    assert (line.city, line.country, line.timezone, line.agency) == ("Moscow", "RU", "Europe/Moscow", "TASS")
    assert line.date.iso == "2024-11-18"
    assert [m.iso for m in d.mentions] == ["2024-09-12", "2024-11-17"]
    for m in (*d.mentions, line, line.date, d.header, d.header.date):
        assert SEED[m.span[0] : m.span[1]] == m.text
    assert d.caption == "Russian Presidential Spokesman Dmitry Peskov"
    assert d.credit == "Sergey Karpukhin/TASS"
    assert d.warnings == ()


def test_seed_localized_to_the_dateline():
    d = normalize_document(SEED, tz="dateline")
    assert d.published.iso == "2024-11-18T17:38:00+03:00"
    assert normalize_document(SEED).published.value.tzinfo is None  # naive stays naive by default


def test_record_is_plain_data():
    d = normalize_document(SEED, reference="2024-11-20")
    assert pickle.loads(pickle.dumps(d)) == d
    assert json.loads(json.dumps(d.to_dict()))["dateline"]["city"] == "Moscow"


def test_warnings_never_fix():
    text = "Monday, 19 November 2024 10:00\n\nTitle\n\nMOSCOW, November 18. /TASS/. Something happened.\n"
    d = normalize_document(text, reference="2024-11-10")
    kinds = sorted(w.split(":")[0] for w in d.warnings)
    assert kinds == ["future", "weekday"]
    assert d.published.iso == "2024-11-19T10:00:00"  # kept as written


def test_bad_input():
    with pytest.raises(TypeError, match="text"):
        normalize_document(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Mars"):
        normalize_document("x", tz="Mars/Base")
    empty = normalize_document("")
    assert (empty.title, empty.published, empty.dateline, empty.mentions) == (None, None, None, ())


CASES = tomllib.loads((Path(__file__).parent / "cases" / "documents.toml").read_text("utf-8"))["document"]


def _record(d) -> dict:
    line = d.dateline
    return {
        "language": d.language or "",
        "header_text": d.header.text if d.header else "",
        "header_language": (d.header.language or "") if d.header else "",
        "header_date": d.header.date.iso if d.header and d.header.date else "",
        "published": d.published.iso if d.published else "",
        "title": d.title or "",
        "subtitle": d.subtitle or "",
        "dateline_city": (line.city or "") if line else "",
        "dateline_country": (line.country or "") if line else "",
        "dateline_date": line.date.iso if line and line.date else "",
        "dateline_agency": (line.agency or "") if line else "",
        "mentions": [m.iso[:10] for m in d.mentions],
        "caption": d.caption or "",
        "credit": d.credit or "",
        "warnings": sorted({w.split(":")[0] for w in d.warnings}),
    }


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture_document(case):
    d = normalize_document(case["text"], reference=case["reference"] or None)
    want = {key: case[key] for key in _record(d)}
    want["warnings"] = sorted(set(want["warnings"]))
    assert _record(d) == want
    spanned = [*d.mentions, d.published, d.dateline, d.dateline and d.dateline.date]
    for m in filter(None, spanned):  # every span indexes the document
        assert case["text"][m.span[0] : m.span[1]] == m.text


def test_fixtures_cover_layouts_and_languages():
    assert len(CASES) >= 15
    languages = {c["language"] for c in CASES}
    assert {"ru", "fr", "it", "de", "es", "en"} <= languages
    assert any(not c["header_text"] for c in CASES) and any("\n" in c["header_text"] for c in CASES)


def test_text_flattened_onto_one_line_keeps_its_body():
    # Scrapers that strip newlines: the credit's caption is the last sentence, not the whole story.
    doc = normalize_document(" ".join(SEED.split("\n\n", 1)[1].split()), reference="2024-11-18")
    assert doc.title is not None and doc.title.startswith("Kremlin says decision")
    assert doc.title.endswith("‘escalation of tensions’.")
    assert doc.dateline is not None and doc.dateline.city == "Moscow"
    assert doc.caption == "Russian Presidential Spokesman Dmitry Peskov"
    assert doc.credit == "Sergey Karpukhin/TASS"
    assert doc.language == "en"
    assert [m.iso for m in doc.mentions] == ["2024-09-12", "2024-11-17"]


def test_a_long_first_line_is_not_a_title():
    doc = normalize_document("word " * 2000 + "© Name/AP")
    assert doc.title is None and doc.caption is None and doc.credit == "Name/AP"
    prose = normalize_document("A first sentence here. " * 200)
    assert prose.title == "A first sentence here." and prose.subtitle is None


REF = "2024-11-18"


def test_a_caption_never_takes_the_only_paragraph_and_a_rights_notice_is_no_credit():
    story = (
        "ROMA, 18 NOV - Il governo ha posto la fiducia. Il voto è previsto per martedì 19 novembre. "
        "Lo scorso 12 ottobre il Consiglio dei ministri aveva approvato il testo."
    )
    doc = normalize_document(
        f"Manovra, il governo pone la fiducia\n\n{story}\n\nPhoto: Mario Rossi/ANSA", reference=REF
    )
    assert (doc.caption, doc.credit, doc.language) == (None, "Mario Rossi/ANSA", "it")
    assert [m.iso for m in doc.mentions] == ["2024-11-19", "2024-10-12"]
    doc = normalize_document(
        f"Manovra, il governo pone la fiducia\n\n{story}\n\n© RIPRODUZIONE RISERVATA", reference=REF
    )
    assert (doc.caption, doc.credit) == (None, None)
    assert [m.iso for m in doc.mentions] == ["2024-11-19", "2024-10-12"]
    doc = normalize_document(
        f"Titolo\n\n{story}\n\nIl ministro a Roma\n\n© Mario Rossi/ANSA\n\nAll rights reserved"
    )
    assert (doc.caption, doc.credit) == ("Il ministro a Roma", "Mario Rossi/ANSA")
