"""``alcourse build``: regenerate notebooks, book pages and ``_toc.yml`` from the data."""

from __future__ import annotations

import argparse
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.curriculum.build import stale_files, write_generated

    cur = load_curriculum()
    root = Path(args.root)
    if args.check:
        stale = stale_files(cur, root)
        for rel in stale:
            print(f"{rel}: out of date with the content data; run `alcourse build`")
        return 1 if stale else 0
    for rel in write_generated(cur, root):
        print(f"wrote {rel}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("build", help="regenerate notebooks, book pages and _toc.yml from the data")
    b.add_argument("--root", default=".", help="repository root (default: current folder)")
    b.add_argument("--check", action="store_true", help="only report out-of-date files")
    b.set_defaults(func=_build)
