"""Build hook: compile the figure extractor (``bot/extract``) to C with mypyc.

Everything else about the package is declared in pyproject.toml. The extractor is pure, fully
typed Python; mypyc turns those same sources into extension modules, about 1.4x faster on the
benchmark sentences, with identical output (``tests/extract/test_native.py``). When there is no C
compiler, or ``BRIEFBOT_PURE_PYTHON=1`` is set, the build skips compilation and the package runs
the Python sources as they are.

An editable install (``pip install -e .``) puts the compiled modules next to the sources and
Python prefers them: after editing a file in ``bot/extract`` run ``pip install -e .`` again
(the test suite refuses to run against a compiled module older than its source).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup

# orgnames.py calls into wordfreq (untyped, not compiled) and approx.py subclasses datetime.date
# (mypyc loses a date subclass's fields): both stay pure Python.
PURE = {"__init__.py", "orgnames.py", "approx.py"}
NATIVE = [
    str(p.relative_to(Path(__file__).parent))
    for p in sorted((Path(__file__).parent / "bot" / "extract").glob("*.py"))
    if p.name not in PURE
]


def ext_modules() -> list[object]:
    if os.environ.get("BRIEFBOT_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("briefbot: mypyc not available, the extractor stays pure Python", file=sys.stderr)
        return []
    # The extractor's own mypy settings: plugins of the whole project are not needed here.
    modules = mypycify(["--config-file=", *NATIVE], opt_level="3")
    for ext in modules:
        ext.optional = True  # a failed compile (no C compiler) leaves the pure-Python sources
    return list(modules)


setup(ext_modules=ext_modules())
