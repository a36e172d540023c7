"""Benchmark: the book's builds — cold, rebuild with no change, rebuild after one page edit.

Works on a copy of the repository (your _build is untouched) and times, in the same run, what
``make book`` runs (:mod:`alcourse.publish.bookbuild`: Jupyter Book from a clean
``_build/html`` with warnings as errors, pages from the execution cache, then the JupyterLite
site; each skipped when its inputs are unchanged):

1. cold: no ``_build`` at all, every page executed (the baseline);
2. rebuild with no change;
3. rebuild after editing one module page's code (that page alone re-executes).

Targets: (2) ≤ 10 % of cold, (3) ≤ 25 % of cold. For comparison it also times a plain
incremental ``jupyter-book build`` (which hides warnings of pages it does not re-read).

    .venv/bin/python bench/book.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alcourse.publish import bookbuild  # noqa: E402
from tests.site import COPY_IGNORE  # noqa: E402

TARGETS = {"no change": 0.10, "after editing": 0.25}


def timed_make_book(src: Path) -> tuple[float, str]:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        built = bookbuild.build(src)
    return time.perf_counter() - start, "+".join(built) or "nothing"


def timed_jupyter_book(src: Path) -> tuple[float, int]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(src)],
                          cwd=src, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout[-3000:] + proc.stderr[-3000:])
    return time.perf_counter() - start, len(re.findall(r"Executing notebook using", proc.stdout))


def edit_one_page(src: Path) -> str:
    """Change one module page's code (a comment), as an author's edit would."""
    page = sorted((src / "book" / "modules").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    marker = "```{code-cell} ipython3\n:tags: [remove-input]\n"
    if marker not in text:
        raise SystemExit(f"{page}: no code cell to edit")
    page.write_text(text.replace(marker, marker + f"# edited {time.time()}\n", 1), encoding="utf-8")
    return page.stem


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
        pages = len(list((src / "book").rglob("*.md")))
        cold, what = timed_make_book(src)
        rows.append(("make book, cold (baseline)", cold, what))
        again, what = timed_make_book(src)
        rows.append(("make book, no change", again, what))
        edited = edit_one_page(src)
        after, what = timed_make_book(src)
        rows.append((f"make book, after editing {edited}", after, what))
        plain_again, ran = timed_jupyter_book(src)
        edit_one_page(src)
        plain_after, ran_after = timed_jupyter_book(src)
    load = os.getloadavg()
    print(f"Book: {pages} pages and the JupyterLite site; load average {load[0]:.2f} {load[1]:.2f}")
    for label, seconds, what in rows:
        print(f"{label:<58} {seconds:6.1f} s  {seconds / cold:6.1%} of cold  (built: {what})")
    for label, seconds, _ in rows[1:]:
        limit = next(v for k, v in TARGETS.items() if k in label)
        print(f"target: {label} ≤ {limit:.0%} of cold: {'met' if seconds / cold <= limit else 'NOT met'}")
    print(f"for comparison, plain incremental jupyter-book build: no change {plain_again:.1f} s "
          f"({plain_again / cold:.1%}, executed {ran}); after one edit {plain_after:.1f} s "
          f"({plain_after / cold:.1%}, executed {ran_after})")


if __name__ == "__main__":
    main()
