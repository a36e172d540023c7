"""What a curriculum module file says: its text, exercises, checks and reflections.

Module files live in ``alcourse/content/data/modules``. The notebook and the
book page of a module are both generated from one of these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alcourse.content.model import check_id


@dataclass(frozen=True)
class Category:
    id: str
    label: str


@dataclass(frozen=True)
class ClassifyItem:
    """A statement to put in one category; ``why`` explains the right answer."""

    id: str
    prompt: str
    answer: str
    why: str
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChoiceOption:
    id: str
    label: str
    points: float
    feedback: str
    heron: Literal[
        "", "prescriptive", "informative", "confronting", "cathartic", "catalytic", "supportive"
    ] = ""


@dataclass(frozen=True)
class Situation:
    """A "how would you handle..." moment with options, each with feedback."""

    id: str
    situation: str
    options: tuple[ChoiceOption, ...]
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseSpec:
    """How to build an exercise: from a content table, a classification, or situations."""

    id: str
    title: str
    instructions: str
    kind: Literal["sort-table", "pair-table", "classify", "choice"]
    seed: int = 1
    table: str = ""
    categories: tuple[Category, ...] = ()
    categories_from: str = ""
    items: tuple[ClassifyItem, ...] = ()
    situations: tuple[Situation, ...] = ()
    covers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id)
        needs = {
            "sort-table": bool(self.table),
            "pair-table": bool(self.table),
            "classify": bool(self.items) and bool(self.categories or self.categories_from),
            "choice": bool(self.situations),
        }
        if not needs[self.kind]:
            what = {
                "sort-table": "a 'table' to sort",
                "pair-table": "a 'table' to pair",
                "classify": "'items' and 'categories' (or 'categories_from')",
                "choice": "'situations'",
            }[self.kind]
            raise ValueError(f"an exercise of kind {self.kind!r} needs {what}")


@dataclass(frozen=True)
class Reflection:
    """A written answer graded by a trainer against the mark scheme."""

    id: str
    prompt: str
    points: int
    mark_scheme: tuple[str, ...]
    model_answer: str
    covers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_id(self.id)


@dataclass(frozen=True)
class SimCriterion:
    """One stated criterion a played simulation is graded on (see alcourse.simulation.grading)."""

    id: str
    kind: Literal["advice-challenged", "airtime-spread", "handover-by", "specific-actions",
                  "adviser-talk", "lightest-touch", "over-intervening", "safeguarding"]
    label: str
    points: float
    bound: float = 0.0
    why: str = ""


@dataclass(frozen=True)
class SimulationSpec:
    """A simulated programme the trainee plays, graded by replaying their saved choices."""

    id: str
    title: str
    scenario: str
    instructions: str
    criteria: tuple[SimCriterion, ...]
    seed: int = 0
    choose_scenario: bool = False
    """True: the trainee may play any shipped scenario, or one the trainer put in a ``scenarios``
    folder beside the notebook; grading replays whichever was chosen."""

    def __post_init__(self) -> None:
        check_id(self.id)
        if not self.criteria:
            raise ValueError("a simulation needs at least one graded criterion")
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise ValueError("criterion ids must be unique within a simulation")
        from alcourse.simulation.scenario import ScenarioError, load_scenario

        try:
            load_scenario(self.scenario)
        except ScenarioError as exc:
            raise ValueError(f"scenario {self.scenario!r}: {exc}") from None

    @property
    def max_points(self) -> float:
        return float(sum(c.points for c in self.criteria))

    def criterion(self, criterion_id: str) -> SimCriterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"simulation {self.id!r} has no criterion {criterion_id!r}")


@dataclass(frozen=True)
class Block:
    """One step of a module; exactly one field is set."""

    markdown: str = ""
    show: str = ""
    exercise: ExerciseSpec | None = None
    check: str = ""
    reflection: Reflection | None = None
    simulation: SimulationSpec | None = None

    def __post_init__(self) -> None:
        set_fields = [n for n in ("markdown", "show", "exercise", "check", "reflection", "simulation")
                      if getattr(self, n)]
        if len(set_fields) != 1:
            raise ValueError(
                "each block needs exactly one of markdown, show, exercise, check, reflection, simulation"
                f" (found {', '.join(set_fields) or 'none'})"
            )


@dataclass(frozen=True)
class Module:
    """A curriculum module: one nbgrader assignment, one notebook, one book chapter."""

    id: str
    number: int
    title: str
    minutes: int
    objectives: tuple[str, ...]
    blocks: tuple[Block, ...]
    summary: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.id.startswith(f"m{self.number:02d}-"):
            raise ValueError(f"module id {self.id!r} should start with 'm{self.number:02d}-'")

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def answers_file(self) -> str:
        return f"{self.id}.answers.json"

    def exercise_specs(self) -> list[ExerciseSpec]:
        return [b.exercise for b in self.blocks if b.exercise is not None]

    def reflections(self) -> list[Reflection]:
        return [b.reflection for b in self.blocks if b.reflection is not None]

    def simulations(self) -> list[SimulationSpec]:
        return [b.simulation for b in self.blocks if b.simulation is not None]

    def checks(self) -> list[str]:
        return [b.check for b in self.blocks if b.check]
