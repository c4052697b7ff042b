"""parse_date and find_dates: the contract of DESIGN.md, on hand-written cases."""

from __future__ import annotations

import pickle
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from normalize import DateResult, find_dates, parse_date, vocabulary

CASES = tomllib.loads((Path(__file__).parent / "cases" / "headers.toml").read_text(encoding="utf-8"))["case"]
# Other calendars and numeral systems the engine does not read yet; they must not come out wrong.
KNOWN_GAPS = {
    "دوشنبه ۲۸ آبان ۱۴۰۳",  # Solar Hijri calendar
    "令和6年11月18日",  # Japanese era year
    "二〇二四年十一月十八日",  # Chinese numerals
    "منذ يومين",  # Arabic dual "two days" without a number
    "לפני יומיים",  # Hebrew dual "two days" without a number
}


@pytest.mark.parametrize("case", [c for c in CASES if c["text"] not in KNOWN_GAPS], ids=lambda c: c["text"])
def test_header_cases(case):
    hint = [case["hint"]] if case.get("hint") else None
    result = parse_date(case["text"], languages=hint, reference=case.get("reference"))
    assert result is not None, case
    assert result.iso == case["iso"]


@pytest.mark.parametrize("case", [c for c in CASES if c["text"] in KNOWN_GAPS], ids=lambda c: c["text"])
def test_known_gaps_are_not_wrong(case):
    result = parse_date(case["text"], reference=case.get("reference"))
    assert result is None or result.value is None or result.iso == case["iso"]


def test_header_cases_cover_forty_languages():
    assert len({c.get("language") for c in CASES} - {None}) >= 40


def test_seed_header_mixed_locale():
    r = parse_date("date 2024-11-18 17.38 - lunedì 18 novembre 2024")
    assert r.iso == "2024-11-18T17:38:00"
    assert r.value == datetime(2024, 11, 18, 17, 38)
    assert r.language == "it"
    assert r.precision == "minute"
    assert r.conflict is None and not r.ambiguous


def test_disagreeing_halves_keep_first_and_report():
    r = parse_date("date 2024-11-18 17.38 - martedì 19 novembre 2024", explain=True)
    assert r.iso == "2024-11-18T17:38:00"
    assert r.conflict and "2024-11-19" in r.conflict
    assert any("disagrees" in step for step in r.steps)


def test_weekday_mismatch_is_a_conflict_not_a_fix():
    r = parse_date("martedì 18 novembre 2024")
    assert r.iso == "2024-11-18"
    assert "Tuesday" in r.conflict and "Monday" in r.conflict


@pytest.mark.parametrize(
    "text",
    [
        "31 febbraio 2024",
        "29 Feb 2023",
        "25:61",
        "18 novembre 2024 25:61",
        "31/04/2024",
        "2024-13-01",
        "0/0/2024",
    ],
)
def test_impossible_dates_are_none(text):
    assert parse_date(text) is None


def test_ambiguous_numeric_date_is_flagged():
    r = parse_date("03/04/2024")
    assert r.ambiguous and r.iso == "2024-04-03" and r.alternatives == ("2024-03-04",)
    us = parse_date("03/04/2024", languages=["en-US"])
    assert us.iso == "2024-03-04" and us.ambiguous and us.alternatives == ("2024-04-03",)
    fr = parse_date("03/04/2024", languages=["fr"])
    assert fr.iso == "2024-04-03"
    assert parse_date("03/04/2024", date_order="MDY").iso == "2024-03-04"
    assert parse_date("03/04/2024", languages=["en-GB"]).iso == "2024-04-03"


def test_written_weekday_settles_an_ambiguous_date():
    # `lis` is November in Polish and October in Croatian; 2024-11-18 is a Monday, 2024-10-18 a Friday.
    assert parse_date("18 lis 2024").alternatives == ("2024-10-18",)
    r = parse_date("Pon, 18 lis 2024", explain=True)
    assert (r.iso, r.ambiguous, r.alternatives) == ("2024-11-18", False, ())
    assert "weekday rules out 2024-10-18" in r.steps
    # A weekday before a numeric date is part of it, and picks the one order that falls on it.
    mon = parse_date("Mon 03/04/2024")
    assert (mon.iso, mon.text, mon.ambiguous) == ("2024-03-04", "Mon 03/04/2024", False)
    assert parse_date("Wed, 03/04/2024").iso == "2024-04-03"
    assert parse_date("lundi 03/04/2024 10:00").iso == "2024-03-04T10:00:00"
    # Neither order is a Friday: still ambiguous, and the written weekday is a conflict.
    fri = parse_date("Fri 03/04/2024")
    assert fri.ambiguous and fri.alternatives == ("2024-04-03",) and fri.conflict.startswith("weekday Friday")
    assert parse_date("Tue 18/11/2024").conflict == "weekday Tuesday written, but 2024-11-18 is a Monday"
    found = find_dates("The vote on Mon 03/04/2024 was short.")
    assert [(d.iso, d.text) for d in found] == [("2024-03-04", "Mon 03/04/2024")]


def test_unambiguous_numeric_date_is_not_flagged():
    r = parse_date("18/11/2024", languages=["en-US"])
    assert r.iso == "2024-11-18" and not r.ambiguous and r.alternatives == ()


def test_text_language_orders_numeric_dates():
    assert parse_date("Published 03/04/2024").iso == "2024-03-04"
    assert parse_date("Publié le 03/04/2024").iso == "2024-04-03"


@pytest.mark.parametrize(
    "text, iso, language",
    [
        # Catalan writes `de nov.` as the month's name; in Spanish and Portuguese `de` and `nov` are a
        # filler and a month, and the name of several words must not hide that reading.
        ("18 de nov. de 2024 a las 17:38", "2024-11-18T17:38:00", "es"),
        ("18 de nov de 2024", "2024-11-18", "es"),
        ("Publicado el 18 de set. de 2024", "2024-09-18", "es"),
        ("18 de nov. de 2024 às 17h38", "2024-11-18T17:38:00", "pt"),
        ("dimarts, 18 de nov. de 2024", "2024-11-18", "ca"),
        ("18 de novembre de 2024", "2024-11-18", "ca"),
    ],
)
def test_a_name_of_several_words_keeps_the_reading_of_its_words(text, iso, language):
    r = parse_date(text)
    assert (r.iso, r.language) == (iso, language)
    assert [d.iso for d in find_dates(f"Dijo el {text}, y nada más.")] == [iso]


def test_a_relative_word_is_not_a_name_of_several_words():
    # `demà` (Catalan: tomorrow) folds to the key of `de ma`, a month name of Ladin: no weekday or
    # month reading of the split words may join it.
    assert parse_date("demà", reference="2024-11-18").iso == "2024-11-19"


@pytest.mark.parametrize(
    "text, iso, language",
    [
        # `à` is French (and Corsican, Ligurian); folded to `a` it is a word of many languages, and
        # Spanish, the most spoken, took the label. The accent as written tells them apart.
        ("18 nov. 2024 à 17h38", "2024-11-18T17:38:00", "fr"),
        ("18/11/2024 à 17h38", "2024-11-18T17:38:00", "fr"),
        ("18 NOV. 2024 À 17H38", "2024-11-18T17:38:00", "fr"),
        ("12 décembre 2024", "2024-12-12", "fr"),  # Occitan writes `decembre`
        ("29. februára 2024", "2024-02-29", "sk"),  # Serbian (Latin) writes `februara`
        # Without the accent a word still reads in every language that writes it.
        ("18 novembre 2024 a 17h38", "2024-11-18T17:38:00", "fr"),
        ("18 nov. 2024 a las 17:38", "2024-11-18T17:38:00", "es"),
    ],
)
def test_an_accent_as_written_tells_languages_apart(text, iso, language):
    r = parse_date(text)
    assert (r.iso, r.language) == (iso, language)


def test_an_accent_keeps_relative_times_of_its_language():
    ref = datetime(2024, 11, 20, 12, 0)
    assert parse_date("pred 5 minútami", reference=ref).language == "sk"  # Czech: `před 5 minutami`
    assert parse_date("hace 2 días", reference=ref).iso == "2024-11-18"
    assert parse_date("hace 2 dias", reference=ref).iso == "2024-11-18"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("un'ora fa", "2024-11-18T11:00:00"),  # `un'ora` is one word to the tokenizer
        ("un’ora fa", "2024-11-18T11:00:00"),
        ("tra un'ora", "2024-11-18T13:00:00"),
        ("Aggiornato un'ora fa", "2024-11-18T11:00:00"),
    ],
)
def test_an_elided_count_reads_with_its_word(text, iso):
    r = parse_date(text, reference=datetime(2024, 11, 18, 12, 0))
    assert (r.iso, r.language, r.relative) == (iso, "it", True)
    found = find_dates(f"Il sindaco ha parlato {text} in piazza.", reference=datetime(2024, 11, 18, 12, 0))
    assert [(d.iso, d.language) for d in found] == [(iso, "it")]


def test_an_elision_is_split_only_before_a_word_of_its_language():
    # `l'OM`: `om` is a word of Luyia only, not of the languages that elide `l'`; read as one unknown
    # word, it leaves the sentence French (split, its Luyia vote outweighed the whole sentence).
    from normalize import language

    text = "Le PSG s'est imposé 3-1 face à l'OM au Parc des Princes."
    assert language.detect_languages(text)[0][0] == "fr"
    assert "om" not in vocabulary.stream(text).keys


@pytest.mark.parametrize(
    "text, iso",
    [
        ("dell'11 novembre 2024", "2024-11-11"),  # `novembre` alone: French, the most spoken
        ("dell’11 novembre 2024", "2024-11-11"),
        ("nell'agosto 2024", "2024-08"),  # `agosto` alone: Spanish
        ("dell’agosto 2024", "2024-08"),
    ],
)
def test_an_elided_word_votes_for_its_language(text, iso):
    r = parse_date(text)
    assert (r.iso, r.language) == (iso, "it")
    found = find_dates(f"La riunione {text} sarà rinviata.")
    assert [(d.iso, d.language) for d in found] == [(iso, "it")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bakan 18 Kasım'da istifa etti.", ("2024-11-18", "tr", "18 Kasım")),
        ("Pazartesi'den itibaren 18 Kasım’a kadar açık.", ("2024-11-18", "tr", "18 Kasım")),
        ("Toplantı 18 Kasım 2024'te yapıldı.", ("2024-11-18", "tr", "18 Kasım 2024")),
    ],
)
def test_a_case_ending_after_an_apostrophe_leaves_its_word(text, found):
    assert [(d.iso, d.language, d.text) for d in find_dates(text, reference="2024-11-18")] == [found]
    assert parse_date("18 Kasım'da").iso == "--11-18"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("회의는 2024년 3월 3일에 열렸다.", ("2024-03-03", "2024년 3월 3일")),
        ("행사는 3월 5일부터 7일까지 열린다.", ("2025-03-05", "3월 5일")),
        ("2024년 11월 18일자 보도에 따르면", ("2024-11-18", "2024년 11월 18일")),
    ],
)
def test_a_korean_particle_leaves_its_word(text, found):
    assert [(d.iso, d.text) for d in find_dates(text, reference="2024-11-18")] == [found]


def test_an_elided_word_votes_only_before_its_apostrophe():
    # `Dell` is a name in English text; only `dell'` is the Italian word.
    s = vocabulary.stream("Dell 11 novembre 2024")
    assert not s.voters[s.toks.index("Dell")]
    s = vocabulary.stream("dell'11 novembre 2024")
    assert s.voters[s.toks.index("dell")] == frozenset({"it"})
    assert vocabulary.stream("dell'11 novembre 2024", frozenset({"fr"})).voters[0] == frozenset()


def test_partial_dates_keep_their_precision():
    r = parse_date("31 dicembre")
    assert (r.iso, r.precision, r.year, r.value) == ("--12-31", "day", None, None)
    m = parse_date("novembre 2024")
    assert (m.iso, m.precision, m.value) == ("2024-11", "month", None)
    y = parse_date("2024")
    assert (y.iso, y.precision) == ("2024", "year")


def test_year_from_reference_is_the_nearest():
    assert parse_date("31 dicembre", reference="2025-01-02").iso == "2024-12-31"
    assert parse_date("2 gennaio", reference="2024-12-30").iso == "2025-01-02"
    assert parse_date("18 novembre", reference=date(2024, 11, 20)).iso == "2024-11-18"


def test_nothing_from_the_clock():
    assert parse_date("ieri") is None
    assert parse_date("vor 2 Tagen") is None
    assert parse_date("yesterday", reference="now").value == date.today() - timedelta(days=1)


def test_relative_expressions_with_reference():
    ref = datetime(2024, 11, 20, 12, 0)
    assert parse_date("ieri", reference=ref).iso == "2024-11-19"
    assert parse_date("avant-hier", reference=ref).iso == "2024-11-18"
    assert parse_date("vor 2 Tagen", reference=ref).iso == "2024-11-18"
    assert parse_date("3 hours ago", reference=ref).iso == "2024-11-20T09:00:00"
    assert parse_date("il y a 2 semaines", reference=ref).iso == "2024-11-06"
    assert parse_date("через 3 дня", reference=ref).iso == "2024-11-23"
    assert parse_date("2 months ago", reference=ref).iso == "2024-09-20"
    r = parse_date("hier à 17h38", reference=ref)
    assert r.iso == "2024-11-19T17:38:00" and r.relative
    # hours need a reference that has a time
    assert parse_date("3 hours ago", reference=date(2024, 11, 20)) is None


@pytest.mark.parametrize(
    ("text", "iso", "lang"),
    [
        ("an hour ago", "2024-11-20T11:00:00", "en"),
        ("Updated a day ago", "2024-11-19", "en"),
        ("two days ago", "2024-11-18", "en"),
        ("in a week", "2024-11-27", "en"),
        ("il y a une heure", "2024-11-20T11:00:00", "fr"),
        ("vor einer Stunde", "2024-11-20T11:00:00", "de"),
        ("vor zwei Tagen", "2024-11-18", "de"),
        ("hace un día", "2024-11-19", "es"),
        ("há duas horas", "2024-11-20T10:00:00", "pt"),
        ("acum o oră", "2024-11-20T11:00:00", "ro"),
        ("два дня назад", "2024-11-18", "ru"),
        ("bir saat önce", "2024-11-20T11:00:00", "tr"),
    ],
)
def test_counts_written_as_words_in_relative_times(text, iso, lang):
    r = parse_date(text, reference=datetime(2024, 11, 20, 12, 0))
    assert (r.iso, r.language, r.relative) == (iso, lang, True)


def test_count_words_need_their_own_language_and_a_template():
    ref = datetime(2024, 11, 20, 12, 0)
    for text in ("in a moment", "a great day ago", "one of the days", "to days ago"):  # `to`: 2 in nb
        assert parse_date(text, reference=ref) is None, text
    assert parse_date("for to døgn siden", reference=ref).iso == "2024-11-18"
    assert parse_date("an hour ago") is None  # no reference, no relative time
    found = find_dates("The vote ended an hour ago, they said.", reference=ref)
    assert [(d.iso, d.text) for d in found] == [("2024-11-20T11:00:00", "an hour ago")]


def test_day_period_of_another_language_is_no_time_in_running_text():
    ref = datetime(2024, 11, 18, 12, 0)
    found = find_dates("Revenue was $4.2 bn, vs. $3.9 bn a year ago.", reference=ref)
    assert [(d.iso, d.text) for d in found] == [("2023-11-18", "a year ago")]  # `bn`: Kurdish a.m.
    found = find_dates("The summit is set for Nov. 18-19 in Rio de Janeiro, officials said.", reference=ref)
    assert [(d.iso, d.text) for d in found] == [("2024-11-18", "Nov. 18")]
    found = find_dates("The summit starts at 5 pm on Nov. 18 in Rio.", reference=ref)
    assert [d.iso for d in found] == ["2024-11-18T17:00:00"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("10 to 12 maggio 2024", "2024-05-12"),  # `to`: a.m. in Uzbek only
        ("12 maggio 2024 10 to", "2024-05-12"),
        ("1 to 5 March 2024", "2024-03-05"),
        ("lunedì 18 novembre 2024 alle 5 di sera", "2024-11-18T17:00:00"),
        ("18 novembre 2024 5 du soir", "2024-11-18T17:00:00"),
        ("18 ноября 2024 10 утра", "2024-11-18T10:00:00"),
        ("2024-05-12 10 TO", "2024-05-12T10:00:00"),  # a numeric date has no language to disagree
    ],
)
def test_day_period_of_another_language_is_no_time_in_a_field(text, iso):
    assert parse_date(text).iso == iso


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The index rose 1.25 on March 3, 2024, traders said.", [("2024-03-03", "March 3, 2024")]),
        ("The rate was 4.75 on Dec 18.", [("2024-12-18", "Dec 18.")]),  # no 4:75 to make it impossible
        ("The rate was cut to 4.50 on Dec 18.", [("2024-12-18", "Dec 18.")]),  # `to`: a.m. in Uzbek
        (
            "Il vertice del 18 novembre 2024, 17.38, a Roma.",
            [("2024-11-18T17:38:00", "18 novembre 2024, 17.38")],
        ),
        (
            "Alle 5.30 di sera del 18 novembre 2024.",
            [("2024-11-18T17:30:00", "Alle 5.30 di sera del 18 novembre 2024")],
        ),
    ],
)
def test_in_prose_a_number_with_a_dot_is_a_time_only_beside_its_date(text, found):
    assert [(d.iso, d.text) for d in find_dates(text, reference="2024-11-18")] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The No. 1 seed lost in 2024.", [("2024", "2024")]),  # `No`: November only in Jola-Fonyi
        ("See Vol. 2 of the report.", []),  # `Vol`: March only in Swati
        ("She wore No. 7 for the team.", []),
        ("Nov 18", [("2024-11-18", "Nov 18")]),  # no other word to say which language the text is in
        ("On Nov. 18 the vote passed.", [("2024-11-18", "Nov. 18")]),
        ("Thousands march 5 miles to the capital.", []),  # English writes `March`
        ("Protesters march on 5 March.", [("2025-03-05", "5 March.")]),
        ("The vote is on march 5, 2024.", [("2024-03-05", "march 5, 2024")]),  # a year says it is a date
        ("La riunione del 5 marzo", [("2025-03-05", "5 marzo")]),
    ],
)
def test_a_month_word_alone_shows_no_language_of_the_text(text, found):
    assert [(d.iso, d.text) for d in find_dates(text, reference="2024-11-18")] == found


def test_a_word_leading_a_date_joins_none_of_its_fields():
    r = parse_date("Published 18 Nov 2024, updated 19 Nov 2024")
    assert (r.iso, r.text) == ("2024-11-18", "18 Nov 2024") and "2024-11-19" in r.conflict
    r = parse_date("18 Nov 2024 17:38 CET")  # `CET` is a zone, not the Serbian Thursday `čet`
    assert (r.iso, r.language) == ("2024-11-18T17:38:00+01:00", "en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Shares rose 5% on Nov. 12.", [("--11-12", "Nov. 12.")]),  # `5%` is no day: not November 5
        ("Prices fell 2 on Jan. 5, 2024.", [("2024-01-05", "Jan. 5, 2024")]),  # `on` joins no fields
        ("The rate rose 4 on Dec 18.", [("--12-18", "Dec 18.")]),
        ("Turnout was 61 % on 3 May 2024.", [("2024-05-03", "3 May 2024")]),
        ("Il PIL è cresciuto del 2% a novembre 2024.", [("2024-11", "novembre 2024")]),
    ],
)
def test_a_quantity_is_no_day(text, found):
    assert [(d.iso, d.text) for d in find_dates(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The court adjourned on Nov. 12 to consider it.", ("--11-12", "en", "Nov. 12")),  # `to`: nn Thursday
        ("Sales rose on Jan 3 ma the analysts", ("--01-03", "en", "Jan 3")),
        (
            "The vote on November 18, 2024 (Monday) passed.",
            ("2024-11-18", "en", "November 18, 2024 (Monday)"),
        ),
        (
            "A tárgyalás 2024. november 18., hétfő délután kezdődik.",
            ("2024-11-18", "hu", "2024. november 18., hétfő"),
        ),
        ("会議は2024年11月18日月曜日に開かれた。", ("2024-11-18", "ja", "2024年11月18日月曜日")),
    ],
)
def test_in_prose_a_date_names_its_trailing_weekday(text, found):
    assert [(d.iso, d.language, d.text) for d in find_dates(text)] == [found]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La Borsa ha chiuso nell'agosto 2024", "it"),  # `ha` votes Portuguese, `nell'` Italian
        ("O contrato termina em agosto de 2024", "pt"),
        ("El contrato vence en agosto de 2024", "es"),
        ("agosto 2024", "es"),  # too few letters for the model: the most spoken
        ("Møtet ble holdt 3. mars 2024.", "nb"),  # `mars`: French first, but the letters are Norwegian
        ("会議は2024年3月3日に開かれた。", "ja"),  # kana
        ("会议于2024年3月3日举行。", "zh"),
        ("جلسه در ۳ مارس ۲۰۲۴ برگزار شد.", "fa"),  # `گ` is never Arabic
        ("عقد الاجتماع في 3 مارس 2024.", "ar"),
        ("गुरुवार, 19 मार्च 2037", "hi"),  # no letters besides the date's words: the most spoken
    ],
)
def test_letters_break_a_tie_of_votes_in_a_sentence(text, lang):
    assert parse_date(text).language == lang
    assert [d.language for d in find_dates(text)] == [lang]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("15 d'agosto 2024", "2024-08-15"),
        ("25 d’aprile 2024", "2024-04-25"),
        ("primo d'ottobre 2023", "2023-10"),
    ],
)
def test_di_elided_before_a_month_is_italian(text, iso):
    r = parse_date(text)
    assert (r.iso, r.language) == (iso, "it")  # not Ligurian, whose CLDR months are written so


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("18.11.2024 17:38", "2024-11-18T17:38:00"),
        ("18.11.2024 17.38", "2024-11-18T17:38:00"),
        ("18 novembre 2024 17h38", "2024-11-18T17:38:00"),
        ("Nov 18, 2024 5:38 PM", "2024-11-18T17:38:00"),
        ("Nov 18, 2024 12:05 a.m.", "2024-11-18T00:05:00"),
        ("Nov 18, 2024 12 PM", "2024-11-18T12:00:00"),
        ("18. November 2024, 17 Uhr", "2024-11-18T17:00:00"),
        ("18.11.2024 klo 17.38", "2024-11-18T17:38:00"),
        ("2024年11月18日 17時38分", "2024-11-18T17:38:00"),
        ("2024년 11월 18일 오후 5:38", "2024-11-18T17:38:00"),
        ("2024-11-18 17:38:05.25", "2024-11-18T17:38:05.250000"),
        ("Nov 18, 2024 at noon", "2024-11-18T12:00:00"),
        ("18 ноября 2024 г. 5 вечера", "2024-11-18T17:00:00"),
        ("5 জানুৱাৰী, 2024 AM 9.07.00", "2024-01-05T09:07:00"),  # Assamese: the period before the time
        ("18 নৱেম্বৰ, 2024 PM 5.38.00", "2024-11-18T17:38:00"),
    ],
)
def test_times(text, iso):
    assert parse_date(text).iso == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-11-18T17:38:00+03:00", "2024-11-18T17:38:00+03:00"),
        ("2024-11-18T14:38:00Z", "2024-11-18T14:38:00+00:00"),
        ("18 Nov 2024 17:38 GMT+3", "2024-11-18T17:38:00+03:00"),
        ("18 ноября 2024, 17:38 МСК", "2024-11-18T17:38:00+03:00"),
        ("Nov 18, 2024 9:38 AM EST", "2024-11-18T09:38:00-05:00"),
        ("18/11/2024 17:38 WIB", "2024-11-18T17:38:00+07:00"),
        ("18 Nov 2024 17:38 +0530", "2024-11-18T17:38:00+05:30"),
    ],
)
def test_zones_are_kept_and_explicit(text, iso):
    r = parse_date(text)
    assert r.iso == iso and r.tz_explicit


def test_iana_zone_in_text():
    r = parse_date("2024-11-18 17:38 Europe/Moscow")
    assert r.tz_explicit and r.value.utcoffset() == timedelta(hours=3)
    assert r.text.endswith("Europe/Moscow")


def test_naive_stays_naive_and_tz_localizes():
    assert parse_date("18.11.2024 17:38").value.tzinfo is None
    r = parse_date("18.11.2024 17:38", tz="Europe/Moscow")
    assert r.iso == "2024-11-18T17:38:00+03:00" and not r.tz_explicit
    kept = parse_date("18.11.2024 17:38 GMT", tz="Europe/Moscow")
    assert kept.iso == "2024-11-18T17:38:00+00:00"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("١٨ نوفمبر ٢٠٢٤", "2024-11-18"),
        ("۱۸ نوامبر ۲۰۲۴", "2024-11-18"),
        ("१८ नवंबर २०२४", "2024-11-18"),
        ("১৮ নভেম্বর ২০২৪", "2024-11-18"),
        ("２０２４年１１月１８日", "2024-11-18"),
    ],
)
def test_native_digits(text, iso):
    assert parse_date(text).iso == iso


def test_two_digit_years():
    assert parse_date("18.11.24").iso == "2024-11-18"
    assert parse_date("18.11.99").iso == "1999-11-18"
    assert parse_date("18.11.24", reference="1930-01-01").iso == "1924-11-18"


def test_explain_lists_steps():
    r = parse_date("lunedì 18 novembre 2024", explain=True)
    assert any("form" in s for s in r.steps) and any("language it" in s for s in r.steps)
    assert parse_date("lunedì 18 novembre 2024").steps == ()


def test_results_are_frozen_picklable_and_json():
    r = parse_date("18 ноября 2024, 17:38 МСК")
    with pytest.raises(AttributeError):
        r.iso = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(r)) == r
    d = r.to_dict()
    assert d["value"] == "2024-11-18T17:38:00+03:00" and d["span"] == [0, 25]
    assert isinstance(r, DateResult)


def test_span_and_text():
    text = "Pubblicato il 18 novembre 2024 alle 17:38, aggiornato"
    r = parse_date(text)
    assert text[r.span[0] : r.span[1]] == r.text == "18 novembre 2024 alle 17:38"


def test_bad_arguments():
    with pytest.raises(TypeError, match="text"):
        parse_date(20241118)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="reference"):
        parse_date("18.11.2024", reference=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="xx"):
        parse_date("18.11.2024", languages=["xx"])
    with pytest.raises(ValueError, match="Mars/Base"):
        parse_date("18.11.2024", tz="Mars/Base")
    with pytest.raises(ValueError, match="DYM"):
        parse_date("18.11.2024", date_order="DYM")
    with pytest.raises(TypeError, match="text"):
        find_dates(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "\x00\x01", "no date here at all", "12345"])
def test_no_date(text):
    assert parse_date(text) is None
    assert find_dates(text) == []


# -- find_dates ----------------------------------------------------------------------------------

SEED_BODY = (Path(__file__).parent.parent / "normalize" / "samples" / "tass-2024-11-18.txt").read_text(
    encoding="utf-8"
)


def test_find_dates_in_the_seed_body():
    found = find_dates(SEED_BODY, reference="2024-11-18")
    assert [r.iso for r in found] == [
        "2024-11-18T17:38:00",  # the header, read in two halves in running text
        "2024-11-18",
        "2024-11-18",  # the dateline
        "2024-09-12",
        "2024-11-17",
    ]
    assert [r.language for r in found[1:]] == ["it", "en", "en", "en"]
    for r in found:
        assert SEED_BODY[r.span[0] : r.span[1]] == r.text


def test_find_dates_in_order_non_overlapping_with_spans():
    text = "Il 3 marzo 2024 e poi il 5 aprile 2024; infine 2024-06-01."
    found = find_dates(text)
    assert [r.iso for r in found] == ["2024-03-03", "2024-04-05", "2024-06-01"]
    ends = [r.span[1] for r in found]
    starts = [r.span[0] for r in found]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))


@pytest.mark.parametrize(
    "text",
    [
        "You may go now, and we march on.",
        "The company sold 1,200 units for 3,450 dollars.",
        "Upgrade to version 3.10.2 or 2.7.18 today.",
        "Call +7 495 123-45-67 or 555-12-34 for details.",
        "The match ended 3-1 after extra time; 2-0 at half time.",
        "He scored 17 points in 2 games, with 45 rebounds.",
        "Room 2024 is on floor 3.",
        "The ratio was 1/2 and the odds 3/4.",
    ],
)
def test_find_dates_does_not_fire_on_prose(text):
    assert find_dates(text) == []


def test_bare_year_needs_context():
    assert [r.iso for r in find_dates("Elections were held in 2024 and 2019.")] == ["2024"]
    assert [r.iso for r in find_dates("Выборы прошли в 2024 году.")] == ["2024"]


def test_find_dates_relative_needs_reference():
    assert find_dates("Yesterday the minister resigned.") == []
    found = find_dates("Yesterday the minister resigned.", reference="2024-11-18")
    assert [r.iso for r in found] == ["2024-11-17"]


def test_a_year_written_after_an_apostrophe_is_read_not_taken_from_the_reference():
    # Before: `Nov 18 '24` read against 2020 gave 2019-11-18, and `18 Nov '24` the 24th of November.
    for text in ("Nov 18 '24", "18 Nov '24", "Nov. 18, ‘24"):
        result = parse_date(text, reference="2020-01-01")
        assert (result.iso, result.text) == ("2024-11-18", text), text
    assert parse_date("Nov 18 '69").iso == "1969-11-18"  # no reference: 1969-2068, as for 18.11.69
    assert parse_date("Nov 18 '24", reference="2150-06-01").iso == "2124-11-18"  # the nearest century
    found = find_dates("He left on Nov 18 '24 and came back in March '25.", reference="2020-01-01")
    assert [(d.iso, d.text) for d in found] == [("2024-11-18", "Nov 18 '24"), ("2025-03", "March '25")]


def test_an_apostrophe_before_digits_is_no_year_where_it_is_something_else():
    assert parse_date("l'11 novembre 2024").iso == "2024-11-11"  # Italian elision: `l'11` is the day
    assert parse_date("l’8 dicembre", reference="2024-01-01").iso == "2023-12-08"
    assert parse_date("Nov 18 $24").iso == "--11-18"  # a price, not a year
    assert parse_date("Nov '90s") is None  # a decade, not a year
    assert parse_date("'24") is None


def test_a_year_after_the_time_is_the_dates_year():
    # C's ctime and Twitter's created_at. Before: `--11-18T17:38:00`, or the reference's nearest year
    # (2019-11-18 against 2020-01-01), the written 2024 passed over.
    for text in ("Mon Nov 18 17:38:00 +0000 2024", "Mon Nov 18 17:38:00 UTC 2024"):
        result = parse_date(text, reference="2020-01-01")
        assert (result.iso, result.text, result.conflict) == ("2024-11-18T17:38:00+00:00", text, None)
    assert parse_date("Tue Nov 18 17:38:00 2024").conflict == (
        "weekday Tuesday written, but 2024-11-18 is a Monday"
    )
    assert parse_date("Thu Feb 29 10:00:00 2023", reference="2020-01-01") is None  # as 29.02.2023
    # Only in a field: in running text a number after a time is often a count (`at 17:38 1500 people`).
    found = find_dates("On Nov 18 at 17:38 1500 people came.", reference="2024-11-20")
    assert [d.iso for d in found] == ["2024-11-18T17:38:00"]
