"""The compiled extractor (mypyc, setup.py) gives exactly what the Python sources give.

The sources are imported in a child process whose import system skips extension modules in
``bot/extract``; both processes extract the same texts and their JSON must be equal. Without a
compiled build (no C compiler, ``BRIEFBOT_PURE_PYTHON=1``) there is nothing to compare.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.extract import extract
from bot.native import EXTRACT_DIR, extractor_build, stale_modules

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "archive" / "000_53212d8dde729521.txt"
LABELLED = ROOT / "tests" / "data" / "extract" / "labelled.jsonl"
PUB = dt.date(2026, 2, 4)

# Run in the child before anything imports bot: bot/extract resolves to sources only.
_SOURCES_ONLY = """
import importlib.machinery as m, sys
_extract_dir = sys.argv[1]
_sources = m.FileFinder.path_hook((m.SourceFileLoader, m.SOURCE_SUFFIXES))
def _hook(path):
    if path != _extract_dir:
        raise ImportError
    return _sources(path)
sys.path_hooks.insert(0, _hook)
sys.path_importer_cache.clear()
"""

_DUMP = """
import datetime as dt, json
from bot.extract import extract
from bot.native import extractor_build
texts = json.loads(sys.stdin.read())
out = [[f.to_json_dict() for f in extract(t, published=dt.date(2026, 2, 4))] for t in texts]
print(json.dumps({"build": extractor_build(), "figures": out}))
"""


def _texts() -> list[str]:
    seed = SEED.read_text(encoding="utf-8")
    with LABELLED.open(encoding="utf-8") as fh:
        labelled = [json.loads(line)["text"] for line in fh if line.strip()]
    return [seed, *seed.splitlines(), *labelled]


def test_compiled_matches_sources() -> None:
    if extractor_build() != "compiled (mypyc)":
        pytest.skip("the extractor is not compiled here (pure-Python build): nothing to compare")
    texts = _texts()
    child = subprocess.run(
        [sys.executable, "-c", _SOURCES_ONLY + _DUMP, str(EXTRACT_DIR)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    pure = json.loads(child.stdout)
    assert pure["build"] == "pure Python"
    compiled = [[f.to_json_dict() for f in extract(t, published=PUB)] for t in texts]
    assert sum(map(len, compiled)) > 100
    assert json.loads(json.dumps(compiled)) == pure["figures"]


def test_stale_modules_names_sources_newer_than_their_build(tmp_path: Path) -> None:
    (tmp_path / "fresh.py").write_text("")
    (tmp_path / "fresh.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "edited.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "edited.py").write_text("")
    import os

    os.utime(tmp_path / "fresh.py", (1_000, 1_000))
    os.utime(tmp_path / "edited.cpython-311-x86_64-linux-gnu.so", (1_000, 1_000))
    assert stale_modules(tmp_path) == ["edited.py"]
