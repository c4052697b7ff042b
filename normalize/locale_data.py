"""Lazy, locked access to the generated tables in `locales/`.

Nothing here parses text: it finds the data (inside the installed package, or beside the checkout),
loads each file once on first use, and lets tests and long-running jobs drop what was loaded.
"""

from __future__ import annotations

import json
import sys
import threading
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_lock = threading.RLock()
_loaded: dict[str, Any] = {}


@lru_cache(maxsize=1)
def root() -> Path:
    """The `locales/` folder: shipped inside the wheel as `normalize/locales`, or the repo's own."""
    packaged = resources.files("normalize") / "locales"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "locales"
    if checkout.is_dir():
        return checkout
    raise RuntimeError("normalize: locale data not found; the installation is incomplete")


def load(name: str) -> Any:
    """Parse `locales/<name>` (JSON or TOML) once; later calls return the same object."""
    data = _loaded.get(name)
    if data is None:
        with _lock:
            data = _loaded.get(name)
            if data is None:
                path = root() / name
                if name.endswith(".toml"):
                    with path.open("rb") as fh:
                        data = tomllib.load(fh)
                else:
                    data = json.loads(path.read_text(encoding="utf-8"))
                _loaded[name] = data
    return data


def exists(name: str) -> bool:
    return (root() / name).is_file()


def clear_caches() -> None:
    """Forget every loaded table and memoized lookup (they reload on next use)."""
    # Only stages already imported hold anything; importing the others here would cost their import.
    stages = (
        "places",
        "datelines",
        "documents",
        "language",
        "vocabulary",
        "zones",
        "dates",
        "text",
        "tokens",
    )
    with _lock:
        for name in stages:
            module = sys.modules.get(f"normalize.{name}")
            if module is not None:
                module.clear_caches()
        _loaded.clear()
        root.cache_clear()
