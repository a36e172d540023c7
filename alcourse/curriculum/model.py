"""What a curriculum module file says: its text, exercises, checks and reflections.

Module files live in ``alcourse/content/data/modules``. The notebook and the
book page of a module are both generated from one of these records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from alcourse.content.model import LEVELS, check_id


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
    #: competence ids this item evidences; empty means "those of its exercise"
    competences: tuple[str, ...] = ()


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
    competences: tuple[str, ...] = ()


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
    #: competences every question evidences unless the item or situation names its own
    competences: tuple[str, ...] = ()

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

    def competences_of(self, question_id: str) -> tuple[str, ...]:
        """The competences a question evidences: its own tags, else the exercise's.

        Sort and pair exercises have one question per table row and no per-item tags.
        """
        parts: tuple[ClassifyItem | Situation, ...] = (*self.items, *self.situations)
        for part in parts:
            if part.id == question_id and part.competences:
                return part.competences
        return self.competences


@dataclass(frozen=True)
class Level:
    """What a criterion looks like at one quality level, and the marks it earns."""

    marks: float
    text: str


@dataclass(frozen=True)
class Criterion:
    """One thing a marker can see in a written answer, with its quality levels.

    ``levels`` has exactly :data:`~alcourse.content.model.LEVELS` (not yet,
    competent, strong), marks rising from 0 to ``points``.

    >>> c = Criterion("moment", "Describes one specific moment.", 1, ("competence.reflective-practice",),
    ...               {"not-yet": Level(0, "General."), "competent": Level(0.5, "A moment."),
    ...                "strong": Level(1, "A moment, in words said.")})
    >>> c.line()
    '1 mark: Describes one specific moment.'
    """

    id: str
    text: str
    points: float
    competences: tuple[str, ...] = ()
    levels: dict[str, Level] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.levels:
            return
        if tuple(self.levels) != LEVELS:
            raise ValueError(f"levels are {', '.join(self.levels)}; give exactly "
                             f"{', '.join(LEVELS)}, in that order")
        marks = [lv.marks for lv in self.levels.values()]
        if marks[0] != 0 or marks[-1] != self.points or not marks[0] < marks[1] <= marks[2]:
            raise ValueError(f"level marks are {marks}; they must rise from 0 (not-yet) to "
                             f"{self.points:g} (strong), with competent above 0")

    def line(self) -> str:
        unit = "mark" if self.points == 1 else "marks"
        return f"{self.points:g} {unit}: {self.text}"


@dataclass(frozen=True)
class Exemplar:
    """A borderline answer with the marks it earns on each criterion, and why."""

    text: str
    marks: dict[str, float]
    why: str

    @property
    def total(self) -> float:
        return float(sum(self.marks.values()))


_WORDS = re.compile(r"(\d+)\s+to\s+(\d+)\s+words")


@dataclass(frozen=True)
class Reflection:
    """A written answer graded by a trainer against levelled criteria.

    Its pass mark is the sum of the criteria's *competent* marks: an answer that
    is competent on every criterion passes. The prompt says how long the answer
    should be ("in 150 to 250 words"); that range is read from the prompt, so what
    the trainee is asked and what is checked agree.
    """

    id: str
    prompt: str
    points: int
    criteria: tuple[Criterion, ...]
    model_answer: str
    covers: tuple[str, ...] = ()
    exemplar: Exemplar | None = None
    title: str = "Written reflection"

    def __post_init__(self) -> None:
        check_id(self.id)
        if _WORDS.search(self.prompt) is None:
            raise ValueError("prompt: say how long the answer should be, as 'N to M words'")
        total = sum(c.points for c in self.criteria)
        if total != self.points:
            raise ValueError(f"the criteria add up to {total:g} marks but points is {self.points}; "
                             "make them agree")
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise ValueError("criterion ids must be unique within a reflection")
        if self.exemplar is not None:
            unknown = set(self.exemplar.marks) - set(ids)
            if unknown or set(self.exemplar.marks) != set(ids):
                raise ValueError(f"the exemplar must give marks for exactly the criteria "
                                 f"{', '.join(ids)}")
            for cid, mark in self.exemplar.marks.items():
                crit = self.criterion(cid)
                if crit.levels and mark not in {lv.marks for lv in crit.levels.values()}:
                    raise ValueError(f"the exemplar gives {mark:g} for {cid!r}; use one of its "
                                     "level marks")

    @property
    def mark_scheme(self) -> tuple[str, ...]:
        """The criteria as one line each ("2 marks: ..."), for notebooks and pages."""
        return tuple(c.line() for c in self.criteria)

    @property
    def pass_mark(self) -> float:
        return float(sum(c.levels["competent"].marks if c.levels else c.points
                         for c in self.criteria))

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"reflection {self.id!r} has no criterion {criterion_id!r}")

    @property
    def words(self) -> tuple[int, int]:
        """The asked length in words (fewest, most).

        >>> Reflection("m01.r", "In 150 to 250 words, describe it.", 1, (Criterion("a", "x", 1),), "").words
        (150, 250)
        """
        match = _WORDS.search(self.prompt)
        assert match is not None  # checked when the reflection is made
        return int(match[1]), int(match[2])


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
    competences: tuple[str, ...] = ()


@dataclass(frozen=True)
class OwnWords:
    """The trainee's own words in a simulation, marked by hand against levelled criteria.

    The trainee may type what they would say at a decision instead of choosing a wording;
    the move they choose for it names its category. Each line reaches the trainer in its
    moment (see :mod:`alcourse.simulation.own_words`); nothing about it is scored automatically.

    >>> c = Criterion("fit", "Fits the moment.", 2, (), {"not-yet": Level(0, "No."),
    ...               "competent": Level(1, "Mostly."), "strong": Level(2, "Yes.")})
    >>> OwnWords("m09.own-words", "Type your own words at least once.", 2, (c,), "Raj, ...").pass_mark
    1.0
    """

    id: str
    prompt: str
    """What the trainee is asked to do (shown in the notebook)."""
    points: int
    criteria: tuple[Criterion, ...]
    model_answer: str
    """A strong line in its moment, for the trainer's guide."""
    title: str = "Your own words"

    def __post_init__(self) -> None:
        check_id(self.id)
        total = sum(c.points for c in self.criteria)
        if not self.criteria or total != self.points:
            raise ValueError(f"the criteria add up to {total:g} marks but points is {self.points}; "
                             "make them agree")
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise ValueError("criterion ids must be unique within own_words")

    @property
    def mark_scheme(self) -> tuple[str, ...]:
        return tuple(c.line() for c in self.criteria)

    @property
    def pass_mark(self) -> float:
        return float(sum(c.levels["competent"].marks if c.levels else c.points for c in self.criteria))


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
    own_words: OwnWords | None = None
    """The trainee's own words, marked by the trainer (None: not asked for)."""

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
    #: share of the module's marks (exercises, reflections, simulation) a trainee needs to pass
    pass_threshold: float = 0.6

    def __post_init__(self) -> None:
        if not 0 < self.pass_threshold <= 1:
            raise ValueError(f"pass_threshold is {self.pass_threshold}; give a share from 0 to 1, "
                             "such as 0.6")
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
