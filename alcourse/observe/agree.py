"""Agreement between observers: align their logs in time windows, then kappa or alpha per dimension.

Two raters get Cohen's kappa (scikit-learn), three or more Krippendorff's alpha (the
``krippendorff`` package); nothing statistical is written by hand here. Alongside the
statistic comes the plain share of units coded alike, and the units where they differ,
so a group can talk through the moments they saw differently.

>>> agreement([["open", "open", "advice"], ["open", "open", "advice"]]).value
1.0
>>> a = agreement([["a", "a", "b", "b"], ["a", "b", "a", "b"]])
>>> a.statistic, a.value, a.observed
("Cohen's kappa", 0.0, 0.5)
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from alcourse.observe.session import INTERVENTION, NOTE, Session

NONE = "(no intervention)"
DIMENSIONS = ("speaker", "kind", "heron")
"""What is compared: who spoke, the turn's kind, and the Heron category of the adviser's move."""


@dataclass(frozen=True)
class Agreement:
    """Agreement on one dimension. ``value`` is None when the statistic is undefined (say why)."""

    statistic: str
    value: float | None
    observed: float
    """Share of units every rater coded alike."""
    units: int
    why_undefined: str = ""


def agreement(codings: Sequence[Sequence[str | None]], ordered: Sequence[str] | None = None) -> Agreement:
    """Agreement of raters (one list each, one entry per unit; None where a rater coded nothing).

    ``ordered`` gives the categories' order for ordinal data (rubric levels): then
    disagreements by two levels weigh more (linear weights; ordinal alpha).
    """
    raters = [list(c) for c in codings]
    if len(raters) < 2:
        raise ValueError("give at least two raters' codings")
    if len({len(r) for r in raters}) != 1:
        raise ValueError("every rater needs one entry per unit")
    complete = [i for i in range(len(raters[0])) if all(r[i] is not None for r in raters)]
    alike = sum(1 for i in complete if len({r[i] for r in raters}) == 1)
    observed = alike / len(complete) if complete else 0.0
    name = "Cohen's kappa" + (" (linear weights)" if ordered else "") if len(raters) == 2 else \
        "Krippendorff's alpha" + (" (ordinal)" if ordered else " (nominal)")
    categories = sorted({code for r in raters for code in r if code is not None})
    if ordered:
        unknown = set(categories) - set(ordered)
        if unknown:
            raise ValueError(f"{sorted(unknown)[0]!r} is not one of {', '.join(ordered)}")
        # the whole scale, used or not: weights count steps along it
        categories = list(ordered)
    if not complete:
        return Agreement(name, None, 0.0, 0, "no unit was coded by every rater")
    if len({r[i] for r in raters for i in complete}) < 2:
        return Agreement(name, None, observed, len(complete),
                         "every rater used one and the same category, so chance agreement is total")
    if len(raters) == 2:
        from sklearn.metrics import cohen_kappa_score

        a = [raters[0][i] for i in complete]
        b = [raters[1][i] for i in complete]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(cohen_kappa_score(a, b, labels=categories, weights="linear" if ordered else None))
    else:
        import krippendorff
        import numpy as np

        index = {c: i for i, c in enumerate(categories)}
        data = np.array([[np.nan if x is None else index[x] for x in r] for r in raters], dtype=float)
        value = float(krippendorff.alpha(reliability_data=data,
                                         level_of_measurement="ordinal" if ordered else "nominal"))
    if math.isnan(value):
        return Agreement(name, None, observed, len(complete), "the statistic is undefined for these codes")
    return Agreement(name, round(value, 4), round(observed, 4), len(complete))


@dataclass(frozen=True)
class Disagreement:
    """A moment (or rubric line) the raters coded differently."""

    unit: str
    dimension: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    raters: tuple[str, ...]
    window: float
    agreements: dict[str, Agreement]
    disagreements: list[Disagreement]


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


class _Timeline:
    """One observer's turns, looked up by time."""

    def __init__(self, session: Session) -> None:
        self.rows = [r for r in session.rows() if r.kind != NOTE]
        self.starts = [r.at for r in self.rows]

    def at(self, t: float) -> tuple[str, str, str] | None:
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return None
        r = self.rows[i]
        if t >= r.at + r.seconds and i == len(self.rows) - 1:
            return None  # after this observer's last turn ended
        return r.speaker, r.kind, r.move if r.kind == INTERVENTION else NONE

    def end(self) -> float:
        return max((r.at + r.seconds for r in self.rows), default=0.0)


def compare_logs(sessions: Sequence[Session], names: Sequence[str], window: float = 5.0) -> Comparison:
    """Align observers' logs of one session in ``window``-second windows and compare them.

    Each window is coded, for each observer, by the turn in progress at its midpoint
    (the observers start their clocks together). The Heron dimension counts only the
    windows in which some observer saw an intervention.
    """
    if window <= 0:
        raise ValueError("window: give a number of seconds above 0")
    lines = [_Timeline(s) for s in sessions]
    end = max(t.end() for t in lines)
    count = math.ceil(end / window)
    codes: dict[str, list[list[str | None]]] = {d: [[] for _ in lines] for d in DIMENSIONS}
    units: dict[str, list[tuple[int, str]]] = {d: [] for d in DIMENSIONS}
    for w in range(count):
        mid = (w + 0.5) * window
        seen = [t.at(mid) for t in lines]
        label = _clock(w * window)
        for d, position in (("speaker", 0), ("kind", 1), ("heron", 2)):
            row = [s[position] if s else None for s in seen]
            if d == "heron" and all(x in (None, NONE) for x in row):
                continue
            units[d].append((w, label))
            for r, x in enumerate(row):
                codes[d][r].append(x)
    agreements = {d: agreement(codes[d]) for d in DIMENSIONS}
    found = [(units[d][i][0], DIMENSIONS.index(d), Disagreement(units[d][i][1], d,
                                                                 tuple(c[i] or "—" for c in codes[d])))
             for d in DIMENSIONS for i in range(len(units[d])) if len({c[i] for c in codes[d]}) > 1]
    found.sort(key=lambda x: (x[0], x[1]))  # in time order, then by dimension
    return Comparison(tuple(names), window, agreements, [x[2] for x in found])
