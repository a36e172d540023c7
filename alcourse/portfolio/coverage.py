"""Which competences a portfolio evidences, and which are thin.

>>> from alcourse.portfolio.model import EXAMPLE, parse
>>> cov = coverage(parse(EXAMPLE, "p.yaml"))
>>> cov.counts["competence.contracting"], "competence.holding-process" in cov.thin
(1, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from alcourse.portfolio.model import Portfolio

THIN = 2
"""Fewer entries than this evidencing a competence makes it thin."""


@dataclass(frozen=True)
class Coverage:
    counts: dict[str, int]
    """Entries per competence, in the framework's order (zeros included)."""
    thin: list[str]

    def sentence(self, titles: dict[str, str]) -> str:
        """What to tell the trainee, naming the thin competences."""
        if not self.thin:
            return f"Every competence is evidenced by at least {THIN} entries."
        names = ", ".join(titles.get(c, c) for c in self.thin)
        return f"Thin (fewer than {THIN} entries): {names}. Look for these in your next set meetings."


def coverage(portfolio: Portfolio, competences: list[str] | None = None) -> Coverage:
    if competences is None:
        from alcourse.content import load_course

        competences = list(load_course().competences)
    counts = dict.fromkeys(competences, 0)
    for entry in portfolio.entries:
        for tag in set(entry.competences):
            counts[tag] += 1
    return Coverage(counts, [c for c, n in counts.items() if n < THIN])
