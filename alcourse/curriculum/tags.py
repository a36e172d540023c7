"""Every graded item in the course with the competences it evidences.

A graded item is an exercise question, a criterion of a written reflection or a
criterion of a simulation. Their ids are ``<exercise or reflection or
simulation id>:<question or criterion id>``, the keys grades are reported under
per competence (see :mod:`alcourse.grading.competences`).

>>> from alcourse.curriculum import load_curriculum
>>> items = graded_items(load_curriculum())
>>> item = next(i for i in items if i.id == "m09.sim:handover")
>>> item.kind, item.competences
('simulation', ('competence.set-independence',))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alcourse.curriculum.loader import Curriculum


@dataclass(frozen=True)
class GradedItem:
    """One thing a trainee earns marks for, and the competences it evidences."""

    id: str
    module: str
    kind: Literal["question", "criterion", "simulation"]
    max_points: float
    competences: tuple[str, ...]


def graded_items(cur: Curriculum) -> list[GradedItem]:
    """Graded items in module order: questions of checked exercises, reflection and simulation criteria."""
    items: list[GradedItem] = []
    for module in sorted(cur.modules.values(), key=lambda m: m.number):
        checked = set(module.checks())
        for spec in module.exercise_specs():
            if spec.id not in checked:
                continue
            for q in cur.exercise(spec.id).questions:
                items.append(GradedItem(f"{spec.id}:{q.id}", module.id, "question", q.max_points,
                                        spec.competences_of(q.id)))
        for ref in module.reflections():
            items += [GradedItem(f"{ref.id}:{c.id}", module.id, "criterion", float(c.points),
                                 c.competences) for c in ref.criteria]
        for sim in module.simulations():
            items += [GradedItem(f"{sim.id}:{c.id}", module.id, "simulation", float(c.points),
                                 c.competences) for c in sim.criteria]
            if sim.own_words is not None:
                items += [GradedItem(f"{sim.own_words.id}:{c.id}", module.id, "criterion", float(c.points),
                                     c.competences) for c in sim.own_words.criteria]
    return items


def items_by_competence(cur: Curriculum) -> dict[str, list[GradedItem]]:
    """Competence id → the graded items that evidence it (every competence is a key)."""
    result: dict[str, list[GradedItem]] = {c: [] for c in cur.course.competences}
    for item in graded_items(cur):
        for tag in item.competences:
            result[tag].append(item)
    return result
