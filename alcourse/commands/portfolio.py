"""``alcourse portfolio``: check a reflective portfolio, export it, and mark it with the levelled rubric."""

from __future__ import annotations

import argparse
from pathlib import Path

from alcourse.errors import UserError


def _check(args: argparse.Namespace) -> int:
    from alcourse.content import load_course
    from alcourse.portfolio.coverage import coverage
    from alcourse.portfolio.model import load

    portfolio = load(args.file)
    competences = load_course().competences
    cov = coverage(portfolio, list(competences))
    print(f"{args.file}: ok: {len(portfolio.entries)} entries by {portfolio.trainee}")
    for cid, n in cov.counts.items():
        print(f"  {competences[cid].title}: {n} entr{'y' if n == 1 else 'ies'}"
              f"{'  <- thin' if cid in cov.thin else ''}")
    print(cov.sentence({c.id: c.title for c in competences.values()}))
    return 0


def _out(path: str, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise UserError(f"--out {out}: give a file name ending in {suffix}")
    if not out.parent.exists():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist; create it first")
    return out


def _export(args: argparse.Namespace) -> int:
    from alcourse.observe.files import write_atomic
    from alcourse.portfolio.export import portfolio_html
    from alcourse.portfolio.model import load

    out = _out(args.out, ".html")
    portfolio = load(args.file)
    write_atomic(out, portfolio_html(portfolio, with_rubric=not args.no_rubric))
    print(f"wrote {out}: {len(portfolio.entries)} entries; print it from a browser to make a PDF")
    return 0


def _criteria() -> dict[str, object]:
    from alcourse.portfolio.model import load_rubric

    return {c.id: c for c in load_rubric().criteria}


def _mark_form(args: argparse.Namespace) -> int:
    from alcourse.observe.files import write_atomic
    from alcourse.observe.rubric import Rubric, render

    out = _out(args.out, ".csv")
    write_atomic(out, render(Rubric(args.marker, "observer"), list(_criteria())))
    print(f"wrote {out}: give each criterion a level (not-yet, competent, strong) and your evidence")
    return 0


def _agree(args: argparse.Namespace) -> int:
    from alcourse.observe.report import describe
    from alcourse.observe.rubric import compare_rubrics, read

    if len(args.files) < 2:
        raise UserError("give two or more markers' portfolio marking forms")
    criteria = _criteria()
    marks = [read(f, criteria) for f in args.files]  # type: ignore[arg-type]
    found = compare_rubrics(marks, list(criteria))
    print(f"Portfolio marking agreement between {', '.join(found.raters)}: {describe(found.agreement)}")
    for d in found.disagreements:
        print(f"  {d.unit}: {' | '.join(d.codes)}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("portfolio", help="reflective portfolio: check, export, mark with the rubric")
    psub = p.add_subparsers(dest="portfolio_command", required=True)
    c = psub.add_parser("check", help="check a portfolio file and show which competences are thin")
    c.add_argument("file")
    c.set_defaults(func=_check)
    e = psub.add_parser("export", help="write the portfolio as one printable HTML document")
    e.add_argument("file")
    e.add_argument("--out", required=True)
    e.add_argument("--no-rubric", action="store_true", help="leave out the trainer's marking rubric")
    e.set_defaults(func=_export)
    m = psub.add_parser("mark-form", help="a blank marking form (CSV) with the levelled rubric's criteria")
    m.add_argument("--marker", required=True)
    m.add_argument("--out", required=True)
    m.set_defaults(func=_mark_form)
    a = psub.add_parser("agree", help="compare two or more markers' forms for one portfolio")
    a.add_argument("files", nargs="+", metavar="MARKS")
    a.set_defaults(func=_agree)
