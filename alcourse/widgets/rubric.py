"""The rubric form: score a facilitator per competence, at a described level, with evidence.

Observers and the trainee (self-assessment) use the same form; every change is saved
atomically to a rubric CSV (:mod:`alcourse.observe.rubric`) that ``alcourse observe
feedback`` and ``alcourse observe agree`` read.

>>> import tempfile, pathlib
>>> from alcourse.content import load_course
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kim.csv"
>>> form = RubricForm(load_course().competences, "Kim", path=path)
>>> form.score("competence.contracting", "strong", "renewed the ground rules")
>>> from alcourse.observe.rubric import read
>>> read(path, load_course().competences).scores["competence.contracting"].level
'strong'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets

from alcourse.content.model import LEVELS, Competence
from alcourse.observe.files import write_atomic
from alcourse.observe.rubric import Rubric, Score, read, render
from alcourse.render import part

OBSERVE = "widgets/observe.html.j2"


class RubricForm(widgets.VBox):
    """One rater's rubric; ``role`` is ``observer`` or ``self``."""

    def __init__(self, competences: Mapping[str, Competence], rater: str, role: str = "observer",
                 path: str | Path = "rubric.csv") -> None:
        self.competences = competences
        self.path = Path(path)
        self.rubric = read(self.path, competences) if self.path.exists() else Rubric(rater, role)
        self.levels: dict[str, widgets.RadioButtons] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        parts: list[widgets.Widget] = [widgets.HTML(part(OBSERVE, "rubric_intro", rater=rater, role=role))]
        for c in competences.values():
            saved = self.rubric.scores.get(c.id)
            radios = widgets.RadioButtons(
                options=[(f"{level}: {c.levels[level]}", level) for level in LEVELS],
                value=saved.level if saved else None, description=c.title,
                style={"description_width": "initial"}, layout=widgets.Layout(width="100%"))
            radios.add_class("alcourse-rubric-level")
            notes = widgets.Textarea(value=saved.evidence if saved else "", description="Evidence",
                                     placeholder="what you saw or heard, with a time if you have one",
                                     layout=widgets.Layout(width="100%"))
            notes.add_class("alcourse-rubric-evidence")
            radios.observe(lambda _c, cid=c.id: self._changed(cid), names="value")
            notes.observe(lambda _c, cid=c.id: self._changed(cid), names="value")
            self.levels[c.id], self.evidence[c.id] = radios, notes
            parts += [widgets.HTML(part(OBSERVE, "competence", title=c.title, summary=c.summary)),
                      radios, notes]
        super().__init__(parts)
        self.add_class("alcourse-rubric")

    def score(self, competence_id: str, level: str, evidence: str = "") -> None:
        """Set one competence's level and evidence (what the controls do)."""
        self.evidence[competence_id].value = evidence
        self.levels[competence_id].value = level

    def _changed(self, competence_id: str) -> None:
        level = self.levels[competence_id].value
        scores = dict(self.rubric.scores)
        if level:
            scores[competence_id] = Score(level, self.evidence[competence_id].value.strip())
        else:
            scores.pop(competence_id, None)
        self.rubric = Rubric(self.rubric.rater, self.rubric.role, scores)
        write_atomic(self.path, render(self.rubric, list(self.competences)))
