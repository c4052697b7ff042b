"""Generate `locales/ngrams.json`, the n-gram model behind `normalize.language`, from langdetect's profiles.

langdetect (Apache-2.0) ships one JSON profile per language: counts of the 1-, 2- and 3-letter sequences
of Wikipedia text, words padded with a space (" th", "he "). Its detector multiplies, for n-grams drawn
at random from the text, P(n-gram | language) + 0.5/10000, with random restarts. We keep the same
probabilities and smoothing but score every n-gram of the text once, deterministically, as a sum of logs:

    score(g, lang) = log(1 + P(g | lang) / alpha),   alpha = 0.5 / 10000

so an n-gram a language never shows scores 0 there. Scores are stored as integers (x SCALE) for the
languages of one script at a time (scripts with a single language need no model: see scripts.toml).
Letters keep their case, as in the profiles (a capital is evidence: German capitalizes its nouns);
the runtime lower-cases only words written in capitals. They are folded as langdetect folds them (`ș` ->
`ş`, Vietnamese tone letters -> one class); the fold table is written into the model so the runtime
folds input the same way.

Usage: python scripts/build_language.py [--check]   (needs langdetect: pip install '.[test]')
"""

from __future__ import annotations

import base64
import json
import math
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.utils.ngram import NGram

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "locales" / "ngrams.json"
ALPHA = 0.5 / 10000  # langdetect's smoothing (Detector.ALPHA_DEFAULT / BASE_FREQ)
SCALE = 16  # integer score units per nat; the largest score is about 8 nats -> 128


def _scripts() -> tuple[list[dict], dict[str, str]]:
    """The [[script]] tables and the profile-name aliases of locales/scripts.toml."""
    with (ROOT / "locales" / "scripts.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return data["script"], data["profiles"]


def _in(ch: str, ranges: list[list[int]]) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in ranges)


def _fold_table(scripts: list[dict]) -> dict[str, str]:
    """Letters langdetect rewrites before counting (`ș` -> `ş`), limited to our scripts' letters."""
    table = {}
    for script in scripts:
        for lo, hi in script["ranges"]:
            for cp in range(lo, hi + 1):
                ch = chr(cp)
                norm = NGram.normalize(ch)
                if norm != ch and norm != " ":
                    table[ch] = norm
    return dict(sorted(table.items()))


def _profiles(fold: dict[str, str], aliases: dict[str, str]) -> dict[str, tuple[dict[str, int], list[int]]]:
    """Our code -> (folded n-gram counts; words per n-gram length)."""
    trans = str.maketrans(fold)
    merged: dict[str, tuple[dict[str, int], list[int]]] = {}
    for path in sorted(Path(PROFILES_DIRECTORY).iterdir()):
        profile = json.loads(path.read_text(encoding="utf-8"))
        code = aliases.get(profile["name"], profile["name"])
        counts, totals = merged.setdefault(code, ({}, [0, 0, 0]))
        for gram, n in profile["freq"].items():
            key = gram.translate(trans)
            if 1 <= len(key) <= 3 and key.strip():
                counts[key] = counts.get(key, 0) + n
        for i, total in enumerate(profile["n_words"]):
            totals[i] += total
    return merged


def _script_grams(counts: dict[str, int], script: dict) -> dict[str, int]:
    """The n-grams written in `script` alone (profiles also count some foreign letters)."""
    return {g: n for g, n in counts.items() if all(ch == " " or _in(ch, script["ranges"]) for ch in g)}


def build() -> str:
    scripts, aliases = _scripts()
    fold = _fold_table(scripts)
    profiles = _profiles(fold, aliases)

    # Each language goes to the script most of its letters are written in.
    members: dict[str, list[str]] = {s["name"]: [] for s in scripts}
    for code, (counts, _) in sorted(profiles.items()):
        mass = {s["name"]: 0 for s in scripts}
        for gram, n in counts.items():
            if len(gram) == 1:
                for s in scripts:
                    if _in(gram, s["ranges"]):
                        mass[s["name"]] += n
                        break
        members[max(mass, key=lambda name: (mass[name], name))].append(code)

    models = {}
    for script in scripts:
        langs = members[script["name"]]
        if len(langs) < 2:
            continue  # one language (Greek, Thai...): the script says it, no model needed
        # Languages with the most n-grams first: an n-gram's packed integer is as long as the highest
        # index that has it, so this keeps the integers short (a third less memory for Latin).
        langs.sort(key=lambda code: (-len(_script_grams(profiles[code][0], script)), code))
        grams: dict[str, list[int]] = {}
        for i, code in enumerate(langs):
            counts, totals = profiles[code]
            for gram, n in _script_grams(counts, script).items():
                score = round(math.log1p(n / totals[len(gram) - 1] / ALPHA) * SCALE)
                if score > 0:
                    grams.setdefault(gram, []).extend((i, score))
        models[script["name"]] = {"languages": langs, "grams": dict(sorted(grams.items()))}
    # Only the letters of modelled scripts need folding at run time.
    modelled = [s["ranges"] for s in scripts if s["name"] in models]
    fold = {k: v for k, v in fold.items() if any(_in(k, ranges) for ranges in modelled)}

    # The n-grams one per line (a readable diff when profiles or rules change); their scores in one
    # base64 blob, per n-gram in the same order: a count byte, then (language index, score) byte pairs.
    # The runtime keeps the parsed file, so this keeps it small (a list of ints per n-gram took 10 MB).
    dump = json.dumps
    source = f"langdetect {version('langdetect')} profiles (Apache-2.0); scripts/build_language.py"
    lines = ["{", f'"source": {dump(source)},']
    lines += [f'"alpha": {dump(ALPHA)},', f'"scale": {SCALE},', f'"fold": {dump(fold, ensure_ascii=False)},']
    lines.append('"models": {')
    for k, (name, model) in enumerate(models.items()):
        blob = bytearray()
        for values in model["grams"].values():
            assert max(values) < 256, "scores and language indexes must fit a byte"
            blob.append(len(values) // 2)
            blob.extend(values)
        scores = base64.b64encode(bytes(blob)).decode("ascii")
        lines.append(f"{dump(name)}: {{")
        lines.append(f'"languages": {dump(model["languages"])},')
        lines.append(f'"scores": "{scores}",')
        lines.append('"grams": [')
        grams = [dump(gram, ensure_ascii=False) for gram in model["grams"]]
        lines.append(",\n".join(grams))
        lines.append("]}" + ("," if k < len(models) - 1 else ""))
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        same = OUT.read_text(encoding="utf-8") == text
        print("locales/ngrams.json is up to date" if same else "locales/ngrams.json differs from a rebuild")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
