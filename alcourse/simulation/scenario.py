"""Scenarios: the set, its members, their problems and the organisation, as YAML trainers write.

Every mistake in a scenario file is reported as a :class:`ScenarioError`,
``FILE:LINE: field: what is wrong and what is allowed``; nothing else escapes
:func:`load_scenario`.

>>> s = load_scenario("discharge-improvement")
>>> s.meetings, len(s.members) >= 4
(6, True)
>>> load_scenario_text("id: x\\n", "bad.yaml")
Traceback (most recent call last):
...
alcourse.simulation.scenario.ScenarioError: bad.yaml:1: scenario.title: is missing; add it as text
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from alcourse.located import LocatedError, build, parse_yaml, read_yaml
from alcourse.simulation.parameters import PARAMETER_NAMES, Parameters
from alcourse.simulation.rulebook import HookTable, Rulebook, RulebookError, default_rulebook
from alcourse.simulation.vocabulary import MOVES, PHASES

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"

Trait = Literal["dominant", "quiet", "storyteller", "rank-puller", "rambler", "defensive",
                "side-talker", "expert-seeker", "fragile", "combative", "leaky", "late", "remote"]


class ScenarioError(LocatedError):
    """A problem in a scenario file, with its file, line, field and what is allowed."""


def _unit(default: float, doc: str) -> Any:
    return field(default=default, metadata={"range": (0.0, 1.0), "doc": doc})


@dataclass(frozen=True)
class Problem:
    """What a member brings. A ``puzzle`` has one right answer; a ``solution`` is a remedy
    posed as the problem. Both need reframing before the set can help."""

    title: str
    summary: str
    kind: Literal["problem", "puzzle", "solution"] = "problem"
    stakes: float = _unit(0.6, "how much rides on it for the member and the service")
    risk: float = _unit(0.5, "risk of personal failure in acting on it")
    reframe: str = ""
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberSpec:
    """A set member at the first meeting. Numbers run from 0 (none) to 1 (fully)."""

    id: str
    name: str
    role: str
    problem: Problem
    seniority: float = _unit(0.5, "rank in the organisation, relative to the others")
    talkativeness: float = _unit(0.5, "how readily they take the floor")
    trust: float = _unit(0.5, "felt safety in the set")
    energy: float = _unit(0.6, "energy for the set and their problem")
    attendance: float = _unit(0.85, "chance of attending the next meeting")
    dependence: float = _unit(0.4, "how much they look to the adviser to run things")
    questioning: float = _unit(0.4, "skill at open, fresh questions")
    advice: float = _unit(0.5, "tendency to give advice")
    challenge: float = _unit(0.4, "support (0) versus challenge (1) in what they say")
    insight: float = _unit(0.3, "insight into their own problem")
    commitment: float = _unit(0.6, "commitment to acting between meetings")
    traits: tuple[Trait, ...] = ()


@dataclass(frozen=True)
class Organisation:
    """Where the set meets: the context that supports (or starves) members' actions."""

    name: str
    sector: str
    description: str
    support: float = _unit(0.5, "sponsor and line-manager support for members' actions")
    pressure: float = _unit(0.5, "workload pressure, which drains energy between meetings")


@dataclass(frozen=True)
class Moment:
    """A scripted event: in meeting ``meeting``, at ``phase``, ``member`` says ``says``."""

    meeting: int
    phase: Literal["check-in", "bids", "account", "questions", "summary", "actions", "review"]
    member: str
    event: str
    says: str
    presenter: str = ""
    """In a presenter slot: whose slot it belongs to (the line speaks to them). That member
    presents in this meeting; the moment waits for their slot."""


SLOT_PHASES = ("account", "questions", "summary", "actions")
_TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Miss", "Prof", "Cllr", "Sir"})


def name_words(name: str) -> tuple[str, ...]:
    """The words a member may be addressed by: ``"Dr Tom Hale"`` gives ``("Tom", "Hale")``."""
    return tuple(w for w in name.split() if w not in _TITLES and len(w) > 1)


def named_members(text: str, members: Sequence[MemberSpec]) -> list[str]:
    """Ids of the members whose name appears in ``text``.

    >>> named_members("Amira, you just tell them", [MemberSpec("a", "Amira", "x", Problem("t", "s"))])
    ['a']
    """
    return [m.id for m in members
            if any(re.search(rf"\b{re.escape(w)}\b", text) for w in name_words(m.name))]


@dataclass(frozen=True)
class Scenario:
    """One set over one programme of meetings."""

    id: str
    title: str
    summary: str
    organisation: Organisation
    meetings: int = field(default=5, metadata={"range": (4, 6)})
    weeks_apart: int = field(default=6, metadata={"range": (1, 26)})
    members: tuple[MemberSpec, ...] = ()
    briefing: str = ""
    seed: int = 1
    moments: tuple[Moment, ...] = ()
    parameters: dict[str, float] = field(default_factory=dict)
    fit: dict[str, dict[str, float]] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)
    """Events of this scenario's own, declared as in ``scenarios/model/events.yaml``."""
    lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """This set's own wordings, by template key (see :mod:`alcourse.simulation.texts`)."""

    def member(self, member_id: str) -> MemberSpec:
        for member in self.members:
            if member.id == member_id:
                return member
        raise KeyError(f"scenario {self.id!r} has no member {member_id!r}")

    def rulebook(self) -> Rulebook:
        """The shipped events and moves, with this scenario's own events added."""
        return self._rulebook

    @functools.cached_property
    def _rulebook(self) -> Rulebook:
        # compiled once per scenario; the file was checked when it was loaded
        return default_rulebook().with_events(self.events, f"{self.id}.yaml") if self.events \
            else default_rulebook()

    @functools.cached_property
    def own_lines(self) -> dict[str, tuple[str, ...]]:
        """Wordings used before the course's: this scenario's ``lines``, then its own events' turns."""
        turns = {e.turn.key: e.turn.lines for e in self.rulebook().events.values()
                 if e.turn is not None and e.turn.key and e.turn.lines}
        return {**turns, **self.lines} if self.events else dict(self.lines)

    def moments_at(self, meeting: int, phase: str) -> tuple[tuple[int, Moment], ...]:
        """The scripted moments of this meeting and phase, with their numbers, in order."""
        return self._moments_by_place.get((meeting, phase), ())

    @functools.cached_property
    def _moments_by_place(self) -> dict[tuple[int, str], tuple[tuple[int, Moment], ...]]:
        # the engine asks at every phase of every slot; most have none
        places: dict[tuple[int, str], tuple[tuple[int, Moment], ...]] = {}
        for number, moment in enumerate(self.moments):
            place = (moment.meeting, moment.phase)
            places[place] = (*places.get(place, ()), (number, moment))
        return places

    def member_tables(self) -> dict[str | None, dict[str, HookTable]]:
        """Its rulebook's hook tables as each member meets them (see :meth:`Rulebook.member_tables`)."""
        return self._member_tables

    @functools.cached_property
    def _member_tables(self) -> dict[str | None, dict[str, HookTable]]:
        # built once per scenario, as the rulebook is: members' traits do not change during a programme
        return self.rulebook().member_tables({m.id: frozenset(m.traits) for m in self.members})

    def model_parameters(self) -> Parameters:
        """The default parameters with this scenario's overrides applied."""
        return self._parameters

    @functools.cached_property
    def _parameters(self) -> Parameters:
        # built once per scenario (Parameters is frozen): every programme run starts here
        return Parameters().with_overrides(self.parameters)


def _fail(raw: Any, key: str | int, path: str, message: str) -> ScenarioError:
    line = raw.line_of(key) if hasattr(raw, "line_of") else getattr(raw, "line", 1)
    return ScenarioError(getattr(raw, "file", "<string>"), line, path, message)


def _check_ranges(obj: Any, raw: Any, path: str) -> None:
    """Check every field that declares a range, recursing into blocks and lists."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        sub = raw.get(f.name) if isinstance(raw, dict) else None
        low, high = f.metadata.get("range", (None, None))
        if low is not None and not (low <= value <= high):
            shown = "from 0 to 1" if (low, high) == (0.0, 1.0) else f"from {low} to {high}"
            raise _fail(raw, f.name, f"{path}.{f.name}", f"is {value}; allowed: a number {shown}")
        if dataclasses.is_dataclass(value):
            _check_ranges(value, sub, f"{path}.{f.name}")
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            for index, item in enumerate(value):
                _check_ranges(item, _item(sub, index), f"{path}.{f.name}[{index}]")


def _item(raw: Any, index: int) -> Any:
    if isinstance(raw, list) and index < len(raw):
        return raw[index]
    return None


def _check(scenario: Scenario, raw: Any) -> None:
    if not SLUG.match(scenario.id):
        raise _fail(raw, "id", "scenario.id",
                    f"is {scenario.id!r}; use lower-case letters, digits and hyphens, e.g. 'discharge-set'")
    _check_ranges(scenario, raw, "scenario")
    members = raw.get("members") if isinstance(raw, dict) else None
    if not 4 <= len(scenario.members) <= 8:
        raise _fail(raw, "members", "scenario.members",
                    f"has {len(scenario.members)} members; a set has 4 to 8")
    seen: set[str] = set()
    for index, member in enumerate(scenario.members):
        where = f"scenario.members[{index}]"
        if not SLUG.match(member.id):
            raise _fail(_item(members, index), "id", f"{where}.id",
                        f"is {member.id!r}; use lower-case letters, digits and hyphens")
        if member.id in seen or member.id == "set":
            raise _fail(_item(members, index), "id", f"{where}.id",
                        f"{member.id!r} is used twice (or is the reserved word 'set'); ids must be unique")
        seen.add(member.id)
    events_raw = raw.get("events") if isinstance(raw, dict) else None
    try:
        book = default_rulebook().with_events(events_raw, getattr(raw, "file", "<string>"))
    except RulebookError as exc:
        raise ScenarioError(exc.file, exc.line, exc.field, exc.message) from None
    known_events = book.events
    moments = raw.get("moments") if isinstance(raw, dict) else None
    for index, moment in enumerate(scenario.moments):
        where, node = f"scenario.moments[{index}]", _item(moments, index)
        if moment.member not in seen:
            raise _fail(node, "member", f"{where}.member",
                        f"is {moment.member!r}; allowed: one of the member ids {', '.join(sorted(seen))}")
        if moment.event not in known_events:
            raise _fail(node, "event", f"{where}.event",
                        f"is {moment.event!r}; allowed: {', '.join(known_events)}")
        if not 1 <= moment.meeting <= scenario.meetings:
            raise _fail(node, "meeting", f"{where}.meeting",
                        f"is {moment.meeting}; allowed: a meeting from 1 to {scenario.meetings}")
        if moment.phase not in PHASES:  # pragma: no cover - the Literal already checks
            raise _fail(node, "phase", f"{where}.phase", f"allowed: {', '.join(PHASES)}")
        if moment.presenter:
            if moment.presenter not in seen or moment.presenter == moment.member:
                raise _fail(node, "presenter", f"{where}.presenter",
                            f"is {moment.presenter!r}; allowed: another member's id (whose slot it is)")
            if moment.phase not in SLOT_PHASES:
                raise _fail(node, "presenter", f"{where}.presenter",
                            f"only a moment in a presenter slot ({', '.join(SLOT_PHASES)}) has a presenter")
        # who the line speaks to or about (a stage direction in brackets is not speech)
        named = named_members(re.sub(r"\([^)]*\)", "", moment.says), scenario.members)
        if moment.member in named:
            raise _fail(node, "says", f"{where}.says",
                        f"names {scenario.member(moment.member).name}, who says it; a member never "
                        "addresses themselves: name another member, or give the line to someone else")
        others = [n for n in named if n != moment.presenter]
        if others and moment.phase in SLOT_PHASES:
            raise _fail(node, "says", f"{where}.says",
                        f"speaks to {scenario.member(others[0]).name}; add 'presenter: {others[0]}' so "
                        "it happens in their slot")
    from alcourse.simulation.texts import TEMPLATES, placeholders

    lines_raw = raw.get("lines") if isinstance(raw, dict) else None
    for key, options in scenario.lines.items():
        if key not in TEMPLATES:
            raise _fail(lines_raw, key, f"scenario.lines.{key}",
                        f"is not a kind of line; allowed: {', '.join(sorted(TEMPLATES))}")
        for option in options:
            unknown = placeholders(option) - {"presenter", "name", "problem", "action", "target"}
            if unknown:
                raise _fail(lines_raw, key, f"scenario.lines.{key}",
                            f"uses {{{sorted(unknown)[0]}}}; allowed: {{presenter}}, {{problem}}, "
                            "{action}, {target}, {name}")
    params = raw.get("parameters") if isinstance(raw, dict) else None
    defaults = Parameters()
    ranges = {f.name: f.metadata["range"] for f in dataclasses.fields(Parameters)}
    for name, value in scenario.parameters.items():
        if name not in PARAMETER_NAMES:
            raise _fail(params, name, f"scenario.parameters.{name}",
                        "is not a model parameter; allowed: see the book page 'How the set-meeting "
                        f"simulator works' (e.g. {', '.join(sorted(PARAMETER_NAMES)[:4])}, ...)")
        low, high = ranges[name]
        if not low <= value <= high:
            raise _fail(params, name, f"scenario.parameters.{name}",
                        f"is {value}; allowed: a number from {low} to {high}")
        if isinstance(getattr(defaults, name), int) and value != int(value):
            raise _fail(params, name, f"scenario.parameters.{name}", f"is {value}; allowed: a whole number")
    fit_raw = raw.get("fit") if isinstance(raw, dict) else None
    for event, row in scenario.fit.items():
        row_raw = fit_raw.get(event) if isinstance(fit_raw, dict) else None
        if event not in known_events:
            raise _fail(fit_raw, event, f"scenario.fit.{event}",
                        f"is not an event; allowed: {', '.join(known_events)}")
        for move, value in row.items():
            if move not in MOVES:
                raise _fail(row_raw, move, f"scenario.fit.{event}.{move}",
                            f"is not a move; allowed: {', '.join(MOVES)}")
            if not 0.0 <= value <= 1.0:
                raise _fail(row_raw, move, f"scenario.fit.{event}.{move}",
                            f"is {value}; allowed: a number from 0 to 1")


def _from_raw(raw: Any, file: str) -> Scenario:
    if raw is None:
        raise ScenarioError(file, 1, "(file)", "is empty; copy a scenario from "
                            "alcourse/simulation/scenarios as a starting point")
    if not isinstance(raw, dict):
        raise ScenarioError(file, getattr(raw, "line", 1), "scenario",
                            "should be a block of keys (id, title, summary, organisation, members, ...)")
    try:
        scenario = build(Scenario, raw, error=ScenarioError, path="scenario", file=file)
    except OverflowError:
        raise ScenarioError(file, 1, "scenario", "holds a number too large to use; "
                            "numbers must be in the ranges documented for each field") from None
    _check(scenario, raw)
    return scenario


def load_scenario_text(text: str, file: str = "<string>") -> Scenario:
    """Parse and check a scenario from YAML text."""
    try:
        return _from_raw(parse_yaml(text, file, ScenarioError), file)
    except RecursionError:
        raise ScenarioError(file, 1, "(file)", "is nested too deeply to read; "
                            "see a shipped scenario for the shape") from None


def load_scenario(source: str | Path) -> Scenario:
    """A scenario from a file path, or a shipped scenario by id (e.g. ``"discharge-improvement"``)."""
    path = Path(source)
    if not path.suffix and not path.exists():
        candidate = SCENARIO_DIR / f"{source}.yaml"
        if not candidate.exists():
            known = ", ".join(sorted(scenario_ids()))
            raise ScenarioError(str(source), 1, "(file)",
                                f"is neither a file nor a shipped scenario; shipped: {known}")
        path = candidate
    try:
        raw = read_yaml(path, ScenarioError)
        return _from_raw(raw, str(path))
    except RecursionError:
        raise ScenarioError(str(path), 1, "(file)", "is nested too deeply to read") from None


def scenario_ids() -> list[str]:
    """Ids of the scenarios shipped with the course."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def shipped_scenarios() -> dict[str, Scenario]:
    """Every shipped scenario, loaded and checked, by id."""
    return {sid: load_scenario(sid) for sid in scenario_ids()}


@dataclass(frozen=True)
class Catalogue:
    """The scenarios a trainee may choose: shipped ones, then a trainer's, each checked."""

    scenarios: dict[str, Scenario]
    problems: tuple[str, ...] = ()
    """A located error for each trainer's file that could not be used."""


def catalogue(folder: Path | str | None = None) -> Catalogue:
    """Shipped scenarios, plus every ``*.yaml`` in ``folder`` (a trainer's own, e.g. ``scenarios``
    beside the module notebook). A trainer's file with a mistake is left out and reported;
    one whose id is already taken is reported too.

    >>> sorted(catalogue().scenarios)[:2]
    ['adult-care-housing-partnership', 'care-home-managers-online']
    """
    found = shipped_scenarios()
    problems: list[str] = []
    if folder is not None and Path(folder).is_dir():
        for path in sorted(Path(folder).glob("*.yaml")):
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                problems.append(str(exc))
                continue
            if scenario.id in found:
                problems.append(f"{path}:1: scenario.id: {scenario.id!r} is already a scenario; "
                                "give it an id of its own")
                continue
            found[scenario.id] = scenario
    return Catalogue(found, tuple(problems))
