"""Playing a programme by hand: stop at each decision, choose, rewind, and save the path.

A path is the list of interventions chosen so far. Because the engine is
deterministic, the path *is* the game: replaying it from the start reaches the
same point, so rewinding is replaying a shorter path, and grading is replaying
the saved one.

>>> from alcourse.simulation import load_scenario, Intervention
>>> from alcourse.simulation.vocabulary import EVENTS
>>> game = Playthrough(load_scenario("primary-care-practice-managers"))
>>> game.pending.event in EVENTS
True
>>> first = game.pending
>>> game.choose(Intervention("catalytic", first.member)).intervention.move
'catalytic'
>>> game.rewind(0).pending == first
True
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from alcourse.answers import AnswerStore
from alcourse.simulation.engine import Decision, DecisionRecord, Intervention, Result, Simulation
from alcourse.simulation.scenario import Scenario
from alcourse.simulation.turns import Turn
from alcourse.simulation.vocabulary import MOVES, TARGET_SET


class Playthrough:
    """A programme paused at its next decision (``pending``), replayed from ``path``."""

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 path: Sequence[Intervention] = ()) -> None:
        self.scenario = scenario
        self.sim = Simulation(scenario, seed)
        self.seed = self.sim.seed
        self._steps = self.sim.steps()
        self.pending: Decision | None = None
        self.path: list[Intervention] = []
        self.marks: list[int] = []
        """Row count of the transcript at each decision, so a view can show what led to it."""
        self._advance(None)
        self._follow(path)

    def _follow(self, path: Sequence[Intervention]) -> None:
        for intervention in path:
            if self.pending is None or not self._valid(intervention):
                break  # a stale or damaged path: keep what still applies
            self.choose(intervention)

    def _valid(self, intervention: Intervention) -> bool:
        return intervention.target == TARGET_SET or intervention.target in self.sim.by_id

    def _advance(self, intervention: Intervention | None) -> None:
        try:
            if intervention is None:
                self.pending = next(self._steps)
            else:
                self.pending = self._steps.send(intervention)
            self.marks.append(len(self.sim.rows))
        except StopIteration:
            self.pending = None

    @property
    def finished(self) -> bool:
        return self.pending is None

    def choose(self, intervention: Intervention) -> DecisionRecord:
        """Answer the pending decision; the game runs on to the next one (or the end)."""
        if self.pending is None:
            raise ValueError("the programme has finished; rewind to choose again")
        self.path.append(intervention)
        self._advance(intervention)
        return self.sim.decisions[-1]

    def rewind(self, index: int) -> Playthrough:
        """A new playthrough paused at decision ``index`` (0 is the first)."""
        return Playthrough(self.scenario, self.seed, self.path[:max(0, index)])

    def result(self) -> Result:
        """What has been played so far (meetings complete up to the pending decision)."""
        return self.sim.result()

    def rows_since(self, index: int) -> list[Turn]:
        """Turn records from decision ``index - 1`` up to decision ``index``."""
        start = self.marks[index - 1] if index >= 1 else 0
        end = self.marks[index] if index < len(self.marks) else len(self.sim.rows)
        return self.sim.rows[start:end]


def replay(scenario: Scenario, seed: int | None, path: Sequence[Intervention]) -> Playthrough:
    """Replay a saved path (stopping early if the path is shorter than the programme)."""
    return Playthrough(scenario, seed, path)


# ----- saved choices: a "simulations" section in the module's answers file


class ChoiceStore(AnswerStore):
    """The answers file beside the notebook, with a section for simulation paths.

    Each choice is written at once, atomically (see :mod:`alcourse.answers`), so
    nothing is lost if the kernel restarts. Exercise answers in the same file
    are kept untouched.
    """

    SECTION = "simulations"

    def path_of(self, sim_id: str) -> list[Intervention]:
        """The saved path for ``sim_id``; entries that are not valid moves end it."""
        entry = self._entry(sim_id)
        path = []
        for item in entry.get("path", []):
            # [move, target], or [move, target, wording, own words] when the trainee chose words
            if (not isinstance(item, list | tuple) or not 2 <= len(item) <= 4
                    or item[0] not in MOVES or not isinstance(item[1], str)):
                break
            wording = item[2] if len(item) > 2 and isinstance(item[2], int) else -1
            own = item[3] if len(item) > 3 and isinstance(item[3], str) else ""
            path.append(Intervention(item[0], item[1], own=own, wording=wording))
        return path

    def _entry(self, sim_id: str) -> dict[str, Any]:
        section = self.load().get(self.SECTION, {})
        entry = section.get(sim_id, {}) if isinstance(section, dict) else {}
        return entry if isinstance(entry, dict) else {}

    def save_path(self, sim_id: str, scenario_id: str, seed: int, path: Sequence[Intervention],
                  *, rewound: bool = False) -> None:
        """Save the current path; count rewinds so a trainer can see how the trainee explored."""
        data = self.load()
        section = data.get(self.SECTION)
        if not isinstance(section, dict):
            section = data[self.SECTION] = {}
        entry = section.get(sim_id)
        old: dict[str, Any] = entry if isinstance(entry, dict) else {}
        section[sim_id] = {
            "scenario": scenario_id, "seed": seed,
            "path": [[i.move, i.target] if i.wording < 0 and not i.own
                     else [i.move, i.target, i.wording, i.own] for i in path],
            "rewinds": int(old.get("rewinds", 0)) + (1 if rewound else 0),
        }
        self._save(data)

    def scenario_of(self, sim_id: str) -> str:
        """The scenario the saved path was played in ('' if none is saved)."""
        value = self._entry(sim_id).get("scenario", "")
        return value if isinstance(value, str) else ""

    def rewinds(self, sim_id: str) -> int:
        value = self._entry(sim_id).get("rewinds", 0)
        return value if isinstance(value, int) else 0


class MemoryChoices:
    """Choices kept in memory: for book previews and tests."""

    def __init__(self) -> None:
        self.paths: dict[str, list[Intervention]] = {}
        self.scenarios: dict[str, str] = {}
        self.rewound = 0

    def path_of(self, sim_id: str) -> list[Intervention]:
        return list(self.paths.get(sim_id, []))

    def scenario_of(self, sim_id: str) -> str:
        return self.scenarios.get(sim_id, "")

    def save_path(self, sim_id: str, scenario_id: str, seed: int, path: Sequence[Intervention],
                  *, rewound: bool = False) -> None:
        self.paths[sim_id] = copy.copy(list(path))
        self.scenarios[sim_id] = scenario_id
        self.rewound += rewound
