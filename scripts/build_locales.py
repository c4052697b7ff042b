"""Generate `locales/` from CLDR (through babel) and the curated overlays `locales/<lang>.toml`.

    python scripts/build_locales.py [--out DIR]

Writes, deterministically (sorted keys, no timestamps):
  unicode.json      combining-mark ranges the tokenizer needs (Python's unicodedata)
  cldr/<lang>.json  per base language: months, weekdays, day periods and their hours, date/time patterns,
                    field order, pattern literals, relative-time templates, native numbering system
  languages.json    per language: field order and estimated speakers (needs countries.json from
                    build_places.py); field order of regional locales
  index.json        folded word -> "lang kind value" entries across all languages and overlays
  elisions.json     elided words (`un'ora`, `l'an`) by their folded form, with their languages
  suffixes.json     suffixes read off a word (Turkish `'da`, Korean `에`), with their languages
  relative.json     relative-time templates by their words ("vor|tagen" -> "de day -1")
  numbers.json      counts written as words, from the overlays ("einer" -> "de 1")

Only this script imports babel; the package reads the generated files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path

import babel
from babel import Locale, localedata
from babel.core import get_global

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normalize import tokens  # noqa: E402
from normalize.text import fold, spelled  # noqa: E402

UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
# Pattern letters -> the field they stand for; literals right after a field become its marker.
FIELD = {"y": "Y", "Y": "Y", "u": "Y", "M": "K", "L": "K", "d": "D", "H": "H", "h": "H", "k": "H", "K": "H"}
FIELD |= {"m": "I", "s": "S"}


def parse_pattern(pattern: str) -> list[tuple[str, str]]:
    """CLDR date pattern -> [("field", "MMMM") | ("lit", "text")]."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(("lit", pattern[i + 1 : end] or "'"))
            i = end + 1
        elif ch.isascii() and ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            out.append(("field", pattern[i:j]))
            i = j
        else:
            out.append(("lit", ch))
            i += 1
    merged: list[tuple[str, str]] = []
    for kind, text in out:
        if merged and kind == "lit" and merged[-1][0] == "lit":
            merged[-1] = ("lit", merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def words(text: str) -> list[str]:
    return [p for p in tokens.split(text) if tokens.piece_shape(p) is None]


def key(text: str) -> str:
    """Index key of a word or phrase: its folded words, concatenated (`a. m.` -> `am`)."""
    return "".join(fold(w) for w in words(text))


def literal_markers(pattern: str, time: bool) -> list[tuple[str, str]]:
    """(word, kind) for the words CLDR writes around fields: 年/月/日, г., 'de', 'h', 'à'..."""
    found = []
    parts = parse_pattern(pattern)
    for i, (kind, text) in enumerate(parts):
        if kind != "lit":
            continue
        ws = words(text)
        if not ws:
            continue
        prev = FIELD.get(parts[i - 1][1][0]) if i > 0 and parts[i - 1][0] == "field" else None
        gap = text[: text.find(ws[0])]
        # 年 or 일 sit right on their number; г., m., h and 시 may stand a space away.
        is_marker = gap == "" or (prev in ("Y", "H", "I", "S") and not gap.strip(" \u202f\u00a0"))
        for n, w in enumerate(ws):
            if n == 0 and prev and is_marker:
                found.append((w, prev))
            else:
                found.append((w, "T" if time else "F"))
    return found


def attached_affixes(pattern: str) -> list[tuple[str, str, str]]:
    """(prefix, field letter, suffix) for month/weekday fields with letters written right onto them."""
    parts = parse_pattern(pattern)
    out = []
    for i, (kind, text) in enumerate(parts):
        if kind != "field" or text[0] not in "MLEc" or len(text) < 3:
            continue
        before = parts[i - 1][1] if i > 0 and parts[i - 1][0] == "lit" else ""
        after = parts[i + 1][1] if i + 1 < len(parts) and parts[i + 1][0] == "lit" else ""
        # A literal that also touches another field is that field's marker (`d日EEEE`), not an affix.
        touches_prev = i > 1 and parts[i - 2][0] == "field" and not any(c.isspace() for c in before)
        touches_next = (
            i + 2 < len(parts) and parts[i + 2][0] == "field" and not any(c.isspace() for c in after)
        )
        prefix = (
            before.split()[-1] if before.strip() and not before[-1].isspace() and not touches_prev else ""
        )
        suffix = after.split()[0] if after.strip() and not after[0].isspace() and not touches_next else ""
        prefix = prefix if prefix.isalpha() else ""
        suffix = suffix if suffix.isalpha() else ""
        if prefix or suffix:
            out.append((prefix, text[0], suffix))
    return out


def field_order(pattern: str) -> str:
    order = ""
    for kind, text in parse_pattern(pattern):
        if kind == "field" and text[0] in "yMdLu" and FIELD[text[0]] not in order:
            order += FIELD[text[0]]
    return order.replace("K", "M") if len(order) == 3 else "DMY"


def plain(d) -> dict:
    return {k: v for k, v in d.items()}


def build_language(code: str) -> dict:
    # babel resolves CLDR aliases into its shared cache, so one locale's stand-alone months can leak into
    # the next one's (seen with ja -> fr in babel 2.18); a fresh cache per locale keeps output exact.
    localedata._cache.clear()
    loc = Locale.parse(code)
    months: dict[str, int] = {}
    month_markers: set[tuple[str, str]] = set()
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for num, name in plain(loc.months[ctx][width]).items():
                pieces = tokens.split(name)
                if any(p[0].isdigit() for p in pieces):  # "11月", "tháng 11": a marker plus a number
                    digit_at = next(i for i, p in enumerate(pieces) if p[0].isdigit())
                    for w in words(name):
                        side = "K" if pieces.index(w) > digit_at else "k"
                        month_markers.add((w, side))
                    continue
                months.setdefault(name, num)
    weekdays: dict[str, int] = {}
    for ctx in ("format", "stand-alone"):
        # Not the two-letter "short" forms: `on`, `to`, `ti`, `fr` are words everywhere else.
        for width in ("wide", "abbreviated"):
            for num, name in plain(loc.days[ctx][width]).items():
                weekdays.setdefault(name, num + 1)
    periods: dict[str, str] = {}
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated", "narrow"):
            for period, name in plain(loc.day_periods[ctx].get(width, {})).items():
                k = key(name)
                usable = k and (len(k) > 1 or not k.isascii())
                # ko 오전 is both "am" (wide) and "morning2": a.m./p.m. is the reading clocks use
                if usable and (period in ("am", "pm") or name not in periods):
                    periods[name] = period
    rules = {}
    for period, spans in plain(loc._data.get("day_period_rules", {}).get(None, {})).items():
        span = spans[0]
        if "at" in span:
            rules[period] = [span["at"] // 3600, span["at"] // 3600 + 1]
        else:
            rules[period] = [span["from"] // 3600, span["before"] // 3600]
    rules.setdefault("am", [0, 12])
    rules.setdefault("pm", [12, 24])
    eras = sorted({name for width in ("wide", "abbreviated") for name in plain(loc.eras[width]).values()})
    date_patterns = {k: v.pattern for k, v in loc.date_formats.items()}
    # Letters CLDR writes onto a month or weekday name (he `בMMMM`, eu `MMMM'ren'`, th `EEEEที่`) make
    # the forms that appear in text.
    for pattern in date_patterns.values():
        for prefix, letter, suffix in attached_affixes(pattern):
            table = months if letter in "ML" else weekdays
            for name, num in list(table.items()):
                if len(name) > 1:
                    table.setdefault(prefix + name + suffix, num)
    time_patterns = {k: v.pattern for k, v in loc.time_formats.items()}
    datetime_patterns = {k: v for k, v in plain(loc.datetime_formats).items() if isinstance(v, str)}
    markers: dict[str, str] = {}
    for p in date_patterns.values():
        for w, kind in literal_markers(p, time=False):
            markers.setdefault(w, kind)
    for p in time_patterns.values():
        for w, kind in literal_markers(p, time=True):
            markers.setdefault(w, kind)
    for p in datetime_patterns.values():
        for w in words(p.replace("{0}", " ").replace("{1}", " ").replace("'", " ")):
            markers.setdefault(w, "T")
    for w, side in sorted(month_markers):
        markers[w] = side
    for era in eras:  # "ค.ศ.", "p.C.n.", "AD": fillers between a date's fields
        markers.setdefault(era, "F")
    relative: list[list] = []
    fields = loc._data["date_fields"]
    for unit in UNITS:
        for width in ("", "-short", "-narrow"):
            for direction, sign in (("past", -1), ("future", 1)):
                forms = plain(fields.get(unit + width, {}).get(direction, {}))
                for template in sorted(set(forms.values())):
                    # "-{0} h" says its direction with a sign only: it would read any "10h" as a time ago.
                    signed = any(c in template for c in "+-−")
                    if "{0}" in template and not signed and [unit, sign, template] not in relative:
                        relative.append([unit, sign, template])
    return {
        "language": code,
        "months": months,
        "weekdays": weekdays,
        "day_periods": periods,
        "day_period_hours": rules,
        "date_patterns": date_patterns,
        "time_patterns": time_patterns,
        "datetime_patterns": datetime_patterns,
        "date_order": field_order(date_patterns["short"]),
        "markers": markers,
        "relative_time": relative,
        "numbering_system": plain(loc.other_numbering_systems).get("native", loc.default_numbering_system),
    }


def load_overlay(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


OVERLAY_WORDS = {
    "time_markers": "T",
    "prose": "N",
    "fillers": "F",
    "leads": "N",
    "ordinal_suffixes": "O",
    "year_markers": "Y",
    "year_context": "C",
}


def apply_overlay(table: dict, overlay: dict) -> None:
    """What the per-language tables take from an overlay (the index takes its words separately)."""
    for template, meaning in overlay.get("relative_time", {}).items():
        sign, unit = (-1 if meaning.startswith("-") else 1), meaning.lstrip("+-")
        if unit not in UNITS or "{0}" not in template:
            raise ValueError(f"relative_time {template!r} = {meaning!r}: expected '-unit' or '+unit'")
        if [unit, sign, template] not in table["relative_time"]:
            table["relative_time"].append([unit, sign, template])
    table["calendar"] = overlay.get("calendar", {})


def index_entries(code: str, table: dict, overlay: dict) -> set[tuple[str, str, str, str, str]]:
    """(key, language, kind, value, spelling) of each word and phrase of a language; the spelling is
    the word as written, accents kept (`spelled`), for words of one piece; a phrase's is its key."""
    entries: set[tuple[str, str, str, str]] = set()

    def add(text: str, kind: str, value: object = "") -> None:
        k = key(text)
        if k:
            ws = words(text)
            entries.add((k, kind, str(value), spelled(ws[0]) if len(ws) == 1 else k))

    for name, num in table["months"].items():
        add(name, "M", num)
    for name, num in table["weekdays"].items():
        add(name, "W", num)
    for name, period in table["day_periods"].items():
        add(name, "A", period)
    for w, kind in table["markers"].items():
        add(w, kind)
    for _unit, _sign, template in table["relative_time"]:
        for w in words(template.replace("{0}", " ")):
            add(w, "U")
    for name, num in overlay.get("months", {}).items():
        add(name, "M", num)
    for name, num in overlay.get("weekdays", {}).items():
        add(name, "W", num)
    for name, offset in overlay.get("relative_days", {}).items():
        add(name, "R", offset)
    for group, kind in OVERLAY_WORDS.items():
        for w in overlay.get("words", {}).get(group, []):
            add(w, kind)
    return {(k, code, kind, value, spelling) for k, kind, value, spelling in entries}


def spelling_keys(index: dict[str, set[str]], spellings: dict[str, dict[str, set[str]]]) -> None:
    """Where the languages of a word write it with different accents (`à`: French, Corsican, Ligurian;
    `a`: Spanish and many others), its accented spelling gets a key of its own, holding the readings
    of the languages that write it so and the universal ones. Input that writes the accent reads as
    those languages only; input without it still reads as all (scraped text often drops accents)."""
    for k, by_spelling in sorted(spellings.items()):
        every = {e for e in index[k] if not e.startswith("* ")}
        universal = {e for e in index[k] if e.startswith("* ") and e != "* +"}
        for spelling, entries in sorted(by_spelling.items()):
            if spelling != k and entries != every:
                index[spelling] = entries | universal


def split_readings(index: dict[str, set[str]], phrases: set[tuple[str, ...]]) -> None:
    """A month or weekday name of several words (Catalan `de nov.`) is one token where it stands, so
    it also carries the reading its words have one by one: in each language where the words before
    its last are fillers and the last is a name of the same kind (Spanish and Portuguese `de` +
    `nov`). Otherwise `18 de nov de 2024` reads as Catalan only. A key that also reads as something
    else (`dema`: Catalan `demà`, tomorrow) is left alone: a new kind could change its shape."""
    for ws in sorted(phrases):
        phrase = "".join(ws)
        kinds = {e.split(" ")[1] for e in index[phrase] if not e.startswith("* ")}
        if len(kinds) != 1:
            continue
        for entry in sorted(index.get(ws[-1], ())):
            lang, kind = entry.split(" ")[:2]
            if kind in kinds and lang != "*" and all(f"{lang} F" in index.get(w, ()) for w in ws[:-1]):
                index[phrase].add(entry)


def relative_index(out: Path, codes: list[str]) -> dict[str, str]:
    """Relative-time templates of every language, keyed by their words: "vor|tagen" -> "de day -1"."""
    found: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        table = json.loads((out / "cldr" / f"{code}.json").read_text(encoding="utf-8"))
        for unit, sign, template in table["relative_time"]:
            before, _, after = template.partition("{0}")
            k = " ".join(fold(w) for w in words(before)) + "|" + " ".join(fold(w) for w in words(after))
            found[k].add(f"{code} {unit} {sign}")
    return {k: ";".join(sorted(v)) for k, v in found.items()}


def number_words(overlays: Path, codes: list[str]) -> dict[str, str]:
    """Counts written as words in relative times (overlays' [number_words]): "une" -> "fr 1"."""
    found: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        path = overlays / f"{code}.toml"
        for word, value in (load_overlay(path).get("number_words", {}) if path.exists() else {}).items():
            if len(words(word)) != 1 or not isinstance(value, int) or not 0 < value < 100:
                raise ValueError(f"{code} number_words {word!r} = {value!r}: expected one word and 1-99")
            found[key(word)].add(f"{code} {value}")
    return {k: ";".join(sorted(v)) for k, v in found.items()}


def apostrophe_words(overlays: Path, codes: list[str], group: str) -> dict[str, str]:
    """Words of every language written against an apostrophe, by overlay `group`: `elisions` before
    one (Italian `un`, `l`: "l" -> "ca fr it"), `suffixes` after one (Turkish `da` of `Kasım'da`) or
    onto the word (Korean particles: `에` of `3일에`)."""
    found: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        path = overlays / f"{code}.toml"
        for word in load_overlay(path).get(group, []) if path.exists() else []:
            if len(words(word)) != 1 or "'" in word or "’" in word:
                raise ValueError(f"{code} {group} {word!r}: expected one word, without its apostrophe")
            found[key(word)].add(code)
    return {k: " ".join(sorted(v)) for k, v in sorted(found.items())}


def language_prior(countries: dict[str, dict]) -> dict[str, int]:
    """Estimated speakers per language: CLDR's share of each territory times its GeoNames population.

    It breaks ties between languages that share a word (`novembre`: it, fr, ca...) and keeps a word of
    a small language from shadowing the same word of a large one (`de` is a month in Jola-Fonyi).
    """
    speakers: dict[str, float] = defaultdict(float)
    for territory, langs in sorted(get_global("territory_languages").items()):
        population = countries.get(territory, {}).get("population", 0)
        for lang, info in sorted(langs.items()):
            speakers[lang.split("_")[0]] += population * info.get("population_percent", 0) / 100
    return {k: int(v) for k, v in speakers.items()}


def mark_ranges() -> list[list[int]]:
    ranges, start = [], None
    for cp in range(sys.maxunicode + 2):
        is_mark = cp <= sys.maxunicode and unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append([start, cp - 1])
            start = None
    return ranges


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def build(out: Path, overlays: Path) -> None:
    write_json(out / "unicode.json", {"unicode": unicodedata.unidata_version, "marks": mark_ranges()})
    codes = sorted(i for i in localedata.locale_identifiers() if "_" not in i and i != "root")
    prior = language_prior(json.loads((overlays / "countries.json").read_text(encoding="utf-8")))
    index: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    languages = {}
    for code in codes:
        table = build_language(code)
        overlay_path = overlays / f"{code}.toml"
        overlay = load_overlay(overlay_path) if overlay_path.exists() else {}
        apply_overlay(table, overlay)
        write_json(out / "cldr" / f"{code}.json", table)
        for k, lang, kind, value, spelling in index_entries(code, table, overlay):
            entry = f"{lang} {kind} {value}".rstrip()
            index[k].add(entry)
            spellings[k][spelling].add(entry)
        languages[code] = {"order": table["date_order"], "speakers": prior.get(code, 0)}
        if table["months"] and all(name[:1].isupper() for name in table["months"]):
            languages[code]["capitalized"] = True  # writes its month names with a capital (`March`)
    # CLDR's root writes months as M01..M12; babel falls back to it for locales without month names.
    for w, kind in build_language("root")["markers"].items():
        if kind in "Kk":
            index[key(w)].add(f"* {kind}")
    zones_path = overlays / "zones.toml"
    zones = load_overlay(zones_path)["abbreviations"] if zones_path.exists() else {}
    for abbr, offsets in zones.items():
        first = offsets[0] if isinstance(offsets, list) else offsets
        index[key(abbr)].add(f"* Z {first}")
    regional = {}
    for ident in sorted(localedata.locale_identifiers()):
        if "_" in ident:
            order = field_order(Locale.parse(ident).date_formats["short"].pattern)
            base = ident.split("_")[0]
            if base in languages and order != languages[base]["order"]:
                regional[ident] = order
    # Prefixes of multi-word phrases, so the matcher knows when to keep reading.
    phrase_prefixes = set()
    name_phrases: set[tuple[str, ...]] = set()  # month and weekday names of several words
    for code in codes:
        table = json.loads((out / "cldr" / f"{code}.json").read_text(encoding="utf-8"))
        overlay_path = overlays / f"{code}.toml"
        overlay = load_overlay(overlay_path) if overlay_path.exists() else {}
        phrases = list(table["day_periods"]) + list(overlay.get("relative_days", {}))
        phrases += list(table["months"]) + list(table["weekdays"]) + list(table["markers"])
        phrases += [w for g in OVERLAY_WORDS for w in overlay.get("words", {}).get(g, [])]
        phrases += list(overlay.get("months", {})) + list(zones)
        for phrase in phrases:
            ws = [fold(w) for w in words(phrase)]
            for n in range(1, len(ws)):
                phrase_prefixes.add("".join(ws[:n]))
        name_phrases.update(
            tuple(ws)
            for name in (*table["months"], *table["weekdays"])
            if len(ws := [fold(w) for w in words(name)]) > 1
        )
    for p in phrase_prefixes:
        index[p].add("* +")
    split_readings(index, name_phrases)
    spelling_keys(index, spellings)
    write_json(out / "index.json", {k: ";".join(sorted(v)) for k, v in index.items()})
    write_json(out / "relative.json", relative_index(out, codes))
    write_json(out / "numbers.json", number_words(overlays, codes))
    write_json(out / "elisions.json", apostrophe_words(overlays, codes, "elisions"))
    write_json(out / "suffixes.json", apostrophe_words(overlays, codes, "suffixes"))
    write_json(out / "languages.json", {"languages": languages, "regional_orders": regional})
    write_json(out / "cldr" / "_meta.json", {"babel": babel.__version__, "languages": codes})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "locales")
    parser.add_argument("--overlays", type=Path, default=REPO / "locales")
    args = parser.parse_args()
    build(args.out, args.overlays)


if __name__ == "__main__":
    main()
