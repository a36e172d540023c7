"""The portfolio as one HTML document that prints well (A4, entries not split across pages).

PDF: print the page from the browser ("Save as PDF"). No PDF library is used: the
well-kept HTML-to-PDF libraries need system libraries (WeasyPrint: Pango) that
the course does not install.

>>> from alcourse.portfolio.model import EXAMPLE, parse
>>> page = portfolio_html(parse(EXAMPLE, "p.yaml"))
>>> "@media print" in page and "Sam Patel" in page
True
"""

from __future__ import annotations

from alcourse.portfolio.coverage import coverage
from alcourse.portfolio.model import Portfolio, load_rubric
from alcourse.render import render


def portfolio_html(portfolio: Portfolio, with_rubric: bool = True) -> str:
    """The trainee's entries (oldest first), the coverage of the competences, and the marking rubric."""
    from alcourse.content import load_course

    competences = load_course().competences
    titles = {c.id: c.title for c in competences.values()}
    cov = coverage(portfolio, list(competences))
    entries = sorted(portfolio.entries, key=lambda e: e.date)
    return render("observe/portfolio.html.j2", title=f"Reflective portfolio: {portfolio.trainee}",
                       portfolio=portfolio, entries=entries, titles=titles, coverage=cov,
                       summary=cov.sentence(titles), rubric=load_rubric() if with_rubric else None,
                       sets=sorted({e.set for e in entries}))
