"""``alcourse marking-guide``: the trainer's mark schemes as offline HTML pages.

``--out FILE`` writes the all-modules page there and one page per module into
the folder ``marking-guide/`` beside it.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _guide(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.curriculum.guide import PER_MODULE, write_marking_guides

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pages = write_marking_guides(load_curriculum(), out)
    print(f"wrote {out} (all modules) and {len(pages) - 1} module pages in {out.parent / PER_MODULE}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    g = sub.add_parser("marking-guide", help="write the trainers' marking guide (HTML)")
    g.add_argument("--out", default="marking-guide.html", help="where to write it")
    g.set_defaults(func=_guide)
