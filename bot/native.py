"""Whether the figure extractor runs compiled (mypyc, see setup.py) or as Python sources.

An editable install puts the compiled modules beside the sources and Python imports them first,
so a source edited after the build is silently not the code that runs: :func:`stale_modules`
names such modules (the test suite refuses to start on them) and :func:`extractor_build` says
which build is in use (``briefbot status``, the benchmarks).
"""

from __future__ import annotations

import importlib
import importlib.machinery
from pathlib import Path

EXTRACT_DIR = Path(__file__).resolve().parent / "extract"


def _compiled(name: str) -> bool:
    module = importlib.import_module(f"bot.extract.{name}")
    return isinstance(module.__loader__, importlib.machinery.ExtensionFileLoader)


def extractor_build() -> str:
    """``"compiled (mypyc)"`` or ``"pure Python"`` for the modules this process imports."""
    return "compiled (mypyc)" if _compiled("figures") else "pure Python"


def stale_modules(directory: Path = EXTRACT_DIR) -> list[str]:
    """Sources in ``directory`` edited after their compiled module was built, by file name."""
    stale = []
    for ext in sorted(directory.glob("*.so")) + sorted(directory.glob("*.pyd")):
        source = directory / (ext.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > ext.stat().st_mtime:
            stale.append(source.name)
    return stale
