"""``make book``: the Jupyter Book and its JupyterLite site, rebuilt only when their inputs change.

Every real build starts from a clean ``_build/html`` with warnings as errors (incremental
Sphinx builds hide warnings from pages they do not re-read), while executed pages come from
the execution cache, so a one-page edit re-executes that page only. When nothing the book is
made from has changed, nothing is rebuilt; the same holds separately for the JupyterLite site
(a book page edit does not rebuild it, a notebook or code change does).

Usage::

    python -m alcourse.publish.bookbuild            # what `make book` runs
    python -m alcourse.publish.bookbuild --force    # rebuild even if nothing changed
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from alcourse.errors import UserError
from alcourse.publish import bookcache, lite
from alcourse.publish.project import project_root
from alcourse.venv import venv_bin, with_venv_path

SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


def fingerprint(paths: Iterable[Path], root: Path) -> str:
    """A hash of the relative paths and bytes of every file under ``paths``.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.md").write_text("x")
    >>> one = fingerprint([d], d); _ = (d / "a.md").write_text("y")
    >>> one == fingerprint([d], d)
    False
    """
    digest = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if SKIP_PARTS & set(path.parts) or path.name.endswith(".answers.json"):
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def book_inputs(root: Path) -> list[Path]:
    # pages run alcourse code, so the package is an input too; the Pyodide runtime is not
    vendor = root / "book" / "_vendor"
    parts = [p for p in (root / "book").iterdir() if p != vendor]
    parts += [vendor / name for name in ("static", "extra") if (vendor / name).exists()]
    return [*parts, root / "_config.yml", root / "_toc.yml", root / "alcourse"]


def lite_inputs(root: Path) -> list[Path]:
    return [root / "notebooks", root / "alcourse", root / "book" / "lite",
            root / "book" / "_vendor" / "lite"]


def _up_to_date(stamp: Path, value: str, output: Path) -> bool:
    return output.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == value


def build(root: Path, force: bool = False) -> list[str]:
    """Build what changed; return what was built (``book``, ``lite``), empty if nothing."""
    out = root / "_build"
    html = out / "html"
    built = []
    book_key = fingerprint(book_inputs(root), root)
    if force or not _up_to_date(out / ".alcourse-book", book_key, html / "index.html"):
        bookcache.refresh(out)
        # the JupyterLite site lives inside html/: keep it aside (it has its own inputs)
        kept = out / "lite-kept"
        shutil.rmtree(kept, ignore_errors=True)
        if (html / "lite").exists():
            (html / "lite").rename(kept)
        shutil.rmtree(html, ignore_errors=True)
        shutil.rmtree(out / ".doctrees", ignore_errors=True)
        env = with_venv_path()
        # run from the book's folder: relative paths in _config.yml are taken from the cwd
        proc = subprocess.run([str(venv_bin() / "jupyter-book"), "build", str(root),
                               "--warningiserror", "--nitpick", "--keep-going"],
                              cwd=root, env=env, check=False)
        if proc.returncode != 0:
            raise UserError("the book did not build (warnings are errors); see the messages above")
        if kept.exists():
            kept.rename(html / "lite")
        (out / ".alcourse-book").write_text(book_key + "\n", encoding="utf-8")
        built.append("book")
    lite_key = fingerprint(lite_inputs(root), root)
    if force or not _up_to_date(out / ".alcourse-lite", lite_key, html / "lite" / "index.html"):
        lite.build(root, output=html / "lite", vendor=root / "book" / "_vendor" / "lite",
                   notebooks=root / "notebooks", stage_dir=out / "lite-src")
        (out / ".alcourse-lite").write_text(lite_key + "\n", encoding="utf-8")
        built.append("lite")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--root", type=Path, default=None,
                        help="the course project's folder (default: the current folder)")
    args = parser.parse_args(argv)
    try:
        root = project_root(args.root)
        built = build(root, force=args.force)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    html = root / "_build" / "html"
    print(f"built: {', '.join(built)}" if built else "the book and its JupyterLite site are up to date")
    print(f"open {html / 'index.html'} (or serve it: python -m alcourse.publish.serve)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
