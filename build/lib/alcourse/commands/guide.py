"""``alcourse marking-guide``: the trainer's mark schemes as one offline HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path


def _guide(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.curriculum.guide import marking_guide_html

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(marking_guide_html(load_curriculum()), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    g = sub.add_parser("marking-guide", help="write the trainers' marking guide (HTML)")
    g.add_argument("--out", default="marking-guide.html", help="where to write it")
    g.set_defaults(func=_guide)
