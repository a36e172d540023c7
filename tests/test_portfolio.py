"""Reflective portfolio: a ten-entry fixture checked, counted, exported to print; bad files located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alcourse.cli import main
from alcourse.portfolio.coverage import coverage
from alcourse.portfolio.export import portfolio_html
from alcourse.portfolio.model import PortfolioError, load, parse

TEN = Path(__file__).parent / "data" / "portfolio" / "ten-entries.yaml"
# counted by hand from the fixture's competences lines
COUNTS = {"competence.contracting": 3, "competence.holding-process": 2, "competence.questioning-listening": 2,
          "competence.choosing-interventions": 3, "competence.group-dynamics": 1,
          "competence.support-challenge": 2, "competence.set-independence": 0,
          "competence.ethics-boundaries": 0, "competence.reflective-practice": 2}


def test_coverage_of_ten_entries_names_the_thin_competences():
    cov = coverage(load(TEN))
    assert cov.counts == COUNTS
    assert cov.thin == ["competence.group-dynamics", "competence.set-independence",
                        "competence.ethics-boundaries"]


def test_export_of_ten_entries_prints_well(tmp_path, capsys):
    out = tmp_path / "portfolio.html"
    assert main(["portfolio", "export", str(TEN), "--out", str(out)]) == 0
    page = out.read_text()
    assert page.count('<article class="entry"') == 10
    dates = re.findall(r'<h3 id="e-\d+">(\d{4}-\d\d-\d\d):', page)
    assert dates == sorted(dates) and len(dates) == 10
    for cid, n in COUNTS.items():
        assert f'data-coverage="{cid}">{n}<' in page
    assert re.search(r"Thin \(fewer than 2 entries\): [^.]+, [^.]+, [^.]+\. Look for", page)
    assert "@media print" in page and "break-inside: avoid" in page and "@page" in page
    assert 'class="rubric"' in page and page.count("<tr><th scope=\"row\">") >= 9 + 5
    assert "<script" not in page and "http" not in page  # opens and prints offline
    assert main(["portfolio", "check", str(TEN)]) == 0
    assert "0 entries  <- thin" in capsys.readouterr().out


def test_portfolio_html_escapes_what_the_trainee_wrote():
    text = TEN.read_text().replace("Meeting 1.", "Meeting <b>1</b>.", 1)
    page = portfolio_html(parse(text, "p.yaml"))
    assert "Meeting &lt;b&gt;1&lt;/b&gt;." in page


@pytest.mark.parametrize(("old", "new", "where"), [
    ("[contracting]", "[contracting, juggling]",
     r"p.yaml:\d+: portfolio.entries\[0\]\.competences\[1\]: is 'juggling'"),
    ("date: 2026-01-05", "date: 5th January", r"p.yaml:5: portfolio.entries\[0\]: the date is '5th January'"),
    ("    what_i_felt: Uneasy when the set fell silent after the first question.\n", "",
     r"p.yaml:\d+: portfolio.entries\[0\]\.what_i_felt: is missing"),
    ("trainee: Sam Patel", "trainee: Sam Patel\ncolour: blue",
     r"p.yaml:4: portfolio.colour: is not a known field"),
])
def test_bad_portfolios_are_located(old, new, where):
    text = TEN.read_text()
    assert old in text
    with pytest.raises(PortfolioError, match=where):
        parse(text.replace(old, new, 1), "p.yaml")


def test_markers_compare_portfolio_marks(tmp_path, capsys):
    forms = []
    for marker, level in (("Kim", "competent"), ("Lee", "strong")):
        path = tmp_path / f"{marker}.csv"
        assert main(["portfolio", "mark-form", "--marker", marker, "--out", str(path)]) == 0
        text = path.read_text()
        for criterion in ("sustained", "describes", "reflects", "acts"):
            text = text.replace(f"criterion.{criterion},,", f"criterion.{criterion},competent,")
        text = text.replace("criterion.evidence,,", f"criterion.evidence,{level},")
        path.write_text(text)
        forms.append(str(path))
    capsys.readouterr()
    assert main(["portfolio", "agree", *forms]) == 0
    out = capsys.readouterr().out
    assert "same code in 80% of 5 units" in out
    assert "criterion.evidence: competent | strong" in out
