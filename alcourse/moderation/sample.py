"""Which pieces are moderated: a seeded sample, stratified by criterion and by the first mark's band.

>>> pieces = [Piece(f"s{i}", "m", "m", "reflection-a", 4.0, float(i % 5)) for i in range(20)]
>>> picked = draw(pieces, 6, seed=1)
>>> len(picked), sorted({band(p) for p in picked}) == ["high", "low", "middle"]
(6, True)
>>> [p.student for p in draw(pieces, 6, seed=1)] == [p.student for p in picked]
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from alcourse.errors import UserError

REFLECTION_PREFIX = "reflection-"
OWN_WORDS_PREFIX = "ownwords-"  # the lines a trainee typed in the simulator, marked by hand
MODERATED = (REFLECTION_PREFIX, OWN_WORDS_PREFIX)


@dataclass(frozen=True)
class Piece:
    """One manually graded written answer: a student's cell, with its first mark."""

    student: str
    module: str
    notebook: str
    cell: str
    max_score: float
    first: float

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.student, self.notebook, self.cell)


def band(piece: Piece) -> str:
    """Low, middle or high third of the mark scale: the strata within each criterion."""
    share = piece.first / piece.max_score if piece.max_score else 0.0
    return "low" if share < 1 / 3 else "middle" if share < 2 / 3 else "high"


def parse_size(text: str, population: int) -> int:
    """``--sample`` as a count: ``N`` or ``P%`` of the population (rounded up, at least 1).

    >>> parse_size("10%", 45), parse_size("7", 45)
    (5, 7)
    """
    raw = text.strip()
    try:
        if raw.endswith("%"):
            percent = float(raw[:-1])
            if not 0 < percent <= 100:
                raise ValueError
            return max(1, -(-int(percent * population) // 100))
        count = int(raw)
        if count < 1:
            raise ValueError
    except ValueError:
        raise UserError(f"--sample {text!r}: give a number of pieces (e.g. 8) or a percentage (e.g. 20%)") \
            from None
    return min(count, population)


def draw(pieces: Sequence[Piece], size: int, seed: int) -> list[Piece]:
    """A seeded sample of ``size`` pieces, allocated to strata (criterion, band) in proportion
    (largest remainders), so every stratum with pieces is represented when the size allows."""
    strata: dict[tuple[str, str], list[Piece]] = {}
    for p in sorted(pieces, key=lambda p: p.key):
        strata.setdefault((p.cell, band(p)), []).append(p)
    total = len(pieces)
    size = min(size, total)
    quotas = {k: size * len(v) / total for k, v in strata.items()}
    counts = {k: int(q) for k, q in quotas.items()}
    if size >= len(strata):  # one from each stratum first, so no band goes unseen
        counts = {k: max(1, c) for k, c in counts.items()}
    by_remainder = sorted(strata, key=lambda k: (-(quotas[k] - int(quotas[k])), k))
    while sum(counts.values()) < size:
        for k in by_remainder:
            if sum(counts.values()) < size and counts[k] < len(strata[k]):
                counts[k] += 1
    while sum(counts.values()) > size:
        k = max(counts, key=lambda k: (counts[k] - quotas[k], k))
        counts[k] -= 1
    rng = random.Random(seed)
    picked = [p for k in sorted(strata) for p in rng.sample(strata[k], counts[k])]
    return sorted(picked, key=lambda p: p.key)


def graded_pieces(gb: object, module: str) -> list[Piece]:
    """Every written reflection and simulator own-words task in ``module`` that a marker has graded
    by hand (nbgrader gradebook)."""
    from nbgrader.api import Gradebook

    assert isinstance(gb, Gradebook)
    found = []
    assignment = gb.find_assignment(module)
    for submission in assignment.submissions:
        for nb in submission.notebooks:
            for grade in nb.grades:
                if (grade.name.startswith(MODERATED) and grade.manual_score is not None
                        and not grade.needs_manual_grade):
                    found.append(Piece(submission.student.id, module, nb.name, grade.name,
                                       float(grade.max_score), float(grade.manual_score)))
    return sorted(found, key=lambda p: p.key)
