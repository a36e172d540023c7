"""The debrief of an observed session: figures, charts with text alternatives, one offline HTML page.

The page carries its charts as data URLs and its style inline: it opens from a
USB stick or an e-mail attachment with no network.

>>> from alcourse.observe.session import Session
>>> s = Session(("Ann", "Bo")).turn(0, "Ann", "open-question").intervene(5, "supportive", "Ann").end(9)
>>> page = debrief_page(s, title="Practice set 1")
>>> '<html lang="en">' in page and 'data-figure="heron" data-name="supportive">1<' in page
True
"""

from __future__ import annotations

import io
from typing import Any

from alcourse.analysis.debrief import Chart
from alcourse.observe.figures import Figures, compare, figures, simulator_bounds
from alcourse.observe.session import ADVISER, MEMBER_KINDS, Session
from alcourse.render import render

INK, BAR = "#222222", "#0072B2"


def _figure(height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(6.4, height))  # no pyplot: no global state, no GUI backend


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


def _bars(title: str, labels: list[str], values: list[float], xlabel: str, fmt: str) -> bytes:
    fig = _figure(0.45 * len(labels) + 1.0)
    ax = fig.subplots()
    ax.barh(labels[::-1], values[::-1], color=BAR, edgecolor=INK)
    for y, v in enumerate(values[::-1]):
        ax.text(v, y, " " + fmt.format(v), va="center", fontsize=8)  # direct labels: no legend needed
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return _png(fig)


def charts(f: Figures) -> list[Chart]:
    """Airtime, turn kinds and Heron mix as bar charts, each with alt text giving every value."""
    people = list(f.airtime)
    airtime_alt = "Seconds of talk: " + ", ".join(f"{p} {f.airtime[p]:g}" for p in people) + "."
    kinds = [k for k in MEMBER_KINDS]
    kinds_alt = "Members' turns: " + ", ".join(f"{k.label.lower()} {f.turn_mix[k.id]}" for k in kinds) + "."
    heron_alt = "Heron categories used: " + ", ".join(f"{m} {n}" for m, n in f.heron.items()) + "."
    return [
        Chart("Airtime", _bars("Airtime", people, [f.airtime[p] for p in people], "seconds", "{:g}"),
              airtime_alt),
        Chart("Turn kinds", _bars("Members' turns", [k.label for k in kinds],
                                  [f.turn_mix[k.id] for k in kinds], "turns", "{:g}"), kinds_alt),
        Chart("Heron mix", _bars("Interventions", list(f.heron), list(f.heron.values()), "times", "{:g}"),
              heron_alt),
    ]


def _context(session: Session, bounds: dict[str, float] | None) -> dict[str, Any]:
    f = figures(session)
    targets = compare(f, simulator_bounds() if bounds is None else bounds)
    return {"f": f, "targets": targets, "charts": charts(f), "kinds": MEMBER_KINDS,
            "members": list(session.members), "observer": session.observer, "adviser": ADVISER}


def debrief_page(session: Session, title: str = "Debrief of an observed set meeting",
                 bounds: dict[str, float] | None = None) -> str:
    """The whole debrief as one self-contained HTML page."""
    return render("observe/debrief.html.j2", title=title, **_context(session, bounds))


def debrief_fragment(session: Session, bounds: dict[str, float] | None = None) -> str:
    """The debrief's body (headings from h2), for the observer widget to show in place."""
    return render("observe/debrief_body.html.j2", **_context(session, bounds))
