"""Events and moves as data: read ``scenarios/model/*.yaml`` and compile them for the engine.

Each event says where in a meeting it is checked, who produces it, the conditions
under which it happens, the turn it produces, how well each move fits it and what
follows when it is resolved or not. Each condition and effect is compiled once into a
small function, so the engine runs data without parsing it again. Every mistake is a
:class:`RulebookError` naming the file, line and field.

>>> book = default_rulebook()
>>> book.events["advice-as-question"].at, book.events["advice-as-question"].fit["confronting"]
('after-turn', 0.85)
>>> book.moves["hand-over"].relieves_dependence, "catalytic" in book.heron
(True, True)
>>> compile_rulebook({"events": {"x": {"label": "X", "cue": "c", "at": "later"}}}, "s.yaml")
Traceback (most recent call last):
...
alcourse.simulation.rulebook.RulebookError: s.yaml:1: events.x.at: is 'later'; allowed: one of 'absent', \
'check-in', 'account-open', 'question-turn', 'before-turn', 'after-turn', 'vague-action', 'review', 'scripted'
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from alcourse.located import LocatedError, build, read_yaml
from alcourse.simulation.parameters import PARAMETER_NAMES
from alcourse.simulation.turns import TURN_TYPES

MODEL_DIR = Path(__file__).resolve().parent / "scenarios" / "model"
Hook = Literal["absent", "check-in", "account-open", "question-turn", "before-turn", "after-turn",
               "vague-action", "review", "scripted"]
HOOKS: tuple[str, ...] = get_args(Hook)
SIGNALS = frozenset({"meeting", "turn", "turns_left", "run", "kind", "others", "airtime_total",
                     "mean_dependence"})
"""What the meeting knows at a hook, besides members, the set and the parameters."""
STORED_SIGNALS = frozenset({"turn", "turns_left", "run", "kind"})
"""Signals the engine keeps in ``Simulation.signals`` (the others are computed when asked)."""
TURN_SIGNALS = ("turn", "turns_left")
"""Signals that count a slot's question turns (known before the turn, see :meth:`HookTable.at_turns`)."""
UNIT = frozenset({"seniority", "talkativeness", "trust", "energy", "attendance", "dependence", "questioning",
                  "advice", "challenge", "insight", "commitment", "adherence", "cohesion", "collusion",
                  "autonomy", "awareness"})
"""Attributes that are levels from 0 to 1 (changes are clamped)."""
SETTABLE = frozenset({"weight", "kind", "stuck"})
SPEAKING = frozenset({"talkativeness", "energy", "weight"})
"""A member's attributes that its speaking weight is made of (see ``Simulation._speaking_totals``)."""
MEMBER_READ = UNIT | {"absences", "presented", "airtime", "airtime_share", "weight", "kind"}
GROUPS = ("set", "member", "presenter", "present", "others", "quiet", "slot")
NOBODY = object()


class RulebookError(LocatedError):
    """A problem in an events or moves file, with its file, line, field and what is allowed."""


# ----- the typed shape of the files (checked by alcourse.located)


@dataclass(frozen=True)
class TurnSpec:
    """The turn an event produces when it happens."""

    who: Literal["member", "presenter", "set"] = "member"
    type: str = "comment"
    key: str = ""
    seconds: Any = "seconds_question"
    scale: float = 1.0
    tagged: bool = True
    instead: bool = False
    """True: this turn takes the place of the member's own turn (before-turn events)."""
    lines: tuple[str, ...] = ()
    """Its words (registered under ``key``), if the course's lines have none for it."""


@dataclass(frozen=True)
class EventSpec:
    label: str
    cue: str
    persists: str = "It carried on."
    rule: bool = False
    at: Hook = "scripted"
    who: Any = "member"
    when: tuple[Any, ...] = ()
    repeat: Literal["slot", "meeting", "always"] = "slot"
    turn: TurnSpec | None = None
    tag: bool = False
    resets: Literal["", "run"] = ""
    scripted_turn: str = ""
    on_scripted: tuple[Any, ...] = ()
    self_correct: bool = True
    fit: dict[str, float] = field(default_factory=dict)
    resolved: tuple[Any, ...] = ()
    unresolved: tuple[Any, ...] = ()


@dataclass(frozen=True)
class MoveSpec:
    family: Literal["heron", "structural", "none"]
    label: str
    directive: bool = False
    aim: Literal["member", "set"] = "member"
    weight: int = 1
    lines: tuple[str, ...] = ()
    ready: str = ""
    unready_factor: str = ""
    unready_reason: str = ""
    relieves_dependence: bool = False
    prescribes: bool = False
    leads_review: bool = False
    resolved: tuple[Any, ...] = ()
    unresolved: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Effects:
    resolved: tuple[Any, ...] = ()
    unresolved: tuple[Any, ...] = ()


@dataclass(frozen=True)
class EventsFile:
    events: dict[str, Any]
    fit_default: float = 0.15
    every_event: Effects = Effects()
    rule_breaking: Effects = Effects()


# ----- compiled forms the engine runs

Ctx = Any  # the running Simulation (duck-typed: p, set, rng, presenter, members, airtime, signal(),
#             weights_changed())
Term = Callable[[Ctx, Any], Any]
Check = Callable[[Ctx, Any], bool]
Op = Callable[[Ctx, Any, str], None]
TurnGate = tuple[str, Callable[[Any, Any], bool], Term]
"""A condition ``SIGNAL OP TERM`` on ``turn`` or ``turns_left`` whose TERM reads only numbers and
parameters, so that it is settled for every turn of a slot before the slot starts."""


@dataclass(frozen=True)
class Event:
    id: str
    label: str
    cue: str
    persists: str
    rule: bool
    at: str
    select: Callable[[Ctx, Any], Any]
    pre: tuple[Check, ...]
    """Conditions that do not depend on who (checked before choosing who, for speed)."""
    when: tuple[Check, ...]
    repeat: str
    gate_kind: str
    """A turn kind the event needs (checked before anything else, for speed), or ''."""
    gate_trait: tuple[str, str]
    """(``member`` or ``presenter``, trait) the event needs, or ('', '')."""
    turn: TurnSpec | None
    tag: bool
    resets: str
    scripted_turn: str
    on_scripted: tuple[Op, ...]
    self_correct: bool
    fit: dict[str, float]
    resolved: tuple[Op, ...]
    unresolved: tuple[Op, ...]
    pure: bool = False
    """Checking it draws no random number and changes nothing before the decision, so once it
    has asked the adviser (within its ``repeat``) the engine may skip it (same meeting)."""
    turn_gates: tuple[TurnGate, ...] = ()
    """Conditions of ``pre`` on the question turn (still in ``pre``, which any hook may check):
    a hook checked at a known turn may leave out the events they rule out (see :meth:`HookTable.at_turns`)."""
    # The forms the engine runs at every turn (made from the fields above, see __post_init__):
    presenter_gate: str = field(init=False, repr=False, compare=False)
    """The trait the presenter needs, or '' (a member's trait gate is settled by
    :meth:`HookTable.for_traits` before the meeting, since traits do not change)."""
    pre_all: Check | None = field(init=False, repr=False, compare=False)
    """``pre`` as one check (None: no conditions)."""
    when_all: Check | None = field(init=False, repr=False, compare=False)
    """``when`` as one check (None: no conditions)."""
    by_member: bool = field(init=False, repr=False, compare=False)
    """True if it concerns the member the hook is about (``select`` would return them)."""

    def __post_init__(self) -> None:
        whose, trait = self.gate_trait
        object.__setattr__(self, "presenter_gate", trait if whose == "presenter" else "")
        object.__setattr__(self, "pre_all", _all_of(self.pre))
        object.__setattr__(self, "when_all", _all_of(self.when))
        object.__setattr__(self, "by_member", self.select is _select_member)


def _all_of(checks: tuple[Check, ...]) -> Check | None:
    """One check that all of ``checks`` hold, tried in order: an event's conditions in one call
    (the engine checks each event at every turn)."""
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda ctx, m: first(ctx, m) and second(ctx, m)
    if len(checks) == 3:
        first, second, third = checks
        return lambda ctx, m: first(ctx, m) and second(ctx, m) and third(ctx, m)

    def every(ctx: Ctx, m: Any) -> bool:
        for check in checks:
            if not check(ctx, m):
                return False
        return True

    return every


def _select_member(ctx: Ctx, m: Any) -> Any:
    """Who an event with ``who: member`` (or ``speaker``) concerns: the member the hook is about."""
    return m


@dataclass(frozen=True)
class Move:
    id: str
    family: str
    label: str
    directive: bool
    aim: str
    weight: int
    lines: tuple[str, ...]
    ready: Check | None
    unready_factor: str
    unready_reason: str
    relieves_dependence: bool
    prescribes: bool
    leads_review: bool
    resolved: tuple[Op, ...]
    unresolved: tuple[Op, ...]


@dataclass(frozen=True)
class HookTable:
    """One hook's events, in order, narrowed by the turn kind their first conditions need.

    The engine checks the question hooks at every turn; looking the kind up once here
    replaces testing each event's kind gate in turn (the order of the rest is kept).
    """

    by_kind: dict[str, tuple[Event, ...]]
    ungated: tuple[Event, ...]
    """The events of a turn of any other kind (or none): those that need no kind."""
    _gates: tuple[tuple[str, bool, Callable[[Any, Any], bool], Term], ...] = field(
        init=False, repr=False, compare=False)
    """Each turn gate of its events: (event, on ``turn`` (else ``turns_left``), comparison, term)."""
    _at_turns: dict[tuple[int, tuple[Any, ...]], tuple[HookTable, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    """:meth:`at_turns` made, by turns and the gates' values."""

    @classmethod
    def of(cls, events: Sequence[Event]) -> HookTable:
        kinds = {e.gate_kind for e in events if e.gate_kind}
        return cls({kind: tuple(e for e in events if e.gate_kind in ("", kind)) for kind in kinds},
                   tuple(e for e in events if not e.gate_kind))

    def events(self, kind: Any) -> tuple[Event, ...]:
        """The events to check after a turn of this ``kind`` (None or '': no turn yet)."""
        return self.by_kind.get(kind, self.ungated)

    def at_turns(self, ctx: Ctx, turns: int) -> tuple[HookTable, ...]:
        """This table at each question turn of a slot of ``turns`` turns, for the programme ``ctx``:
        without the events whose turn gates fail at that turn. Those gates read only the turn and
        the parameters, which do not change during a programme, and are ``pre`` conditions, checked
        before anything is drawn or chosen, so leaving such an event out changes nothing else.

        The tables depend only on ``turns`` and the gates' values, so they are made once for each
        (most programmes of a scenario share them), and turns that rule out the same events share one.
        """
        if not self._gates:
            return (self,) * turns
        values = tuple([term(ctx, None) for _, _, _, term in self._gates])
        made = self._at_turns.get((turns, values))
        if made is None:
            made = self._at_turns[turns, values] = self._made_at_turns(turns, values)
        return made

    def _made_at_turns(self, turns: int, values: tuple[Any, ...]) -> tuple[HookTable, ...]:
        tables: dict[frozenset[str], HookTable] = {frozenset(): self}
        at: list[HookTable] = []
        for turn in range(turns):
            left = turns - 1 - turn
            out = frozenset(event for (event, on_turn, compare, _), value
                            in zip(self._gates, values, strict=True)
                            if not compare(turn if on_turn else left, value))
            if out not in tables:
                tables[out] = HookTable({kind: tuple(e for e in events if e.id not in out)
                                         for kind, events in self.by_kind.items()},
                                        tuple(e for e in self.ungated if e.id not in out))
            at.append(tables[out])
        return tuple(at)

    def __post_init__(self) -> None:
        events = {e.id: e for e in (*self.ungated, *(e for events in self.by_kind.values() for e in events))}
        object.__setattr__(self, "_gates", tuple((e.id, signal == "turn", compare, term)
                                                 for e in events.values()
                                                 for signal, compare, term in e.turn_gates))

    def for_traits(self, traits: frozenset[str]) -> HookTable:
        """This table for a member with ``traits``: without the events whose member trait gate
        they fail (with no traits, as for a hook about no member, every member-gated event goes)."""
        def keep(events: tuple[Event, ...]) -> tuple[Event, ...]:
            return tuple(e for e in events if e.gate_trait[0] != "member" or e.gate_trait[1] in traits)

        return HookTable({kind: keep(events) for kind, events in self.by_kind.items()}, keep(self.ungated))


@dataclass(frozen=True)
class Rulebook:
    events: dict[str, Event]
    moves: dict[str, Move]
    fit_default: float
    hooks: dict[str, tuple[Event, ...]]
    shared: dict[str, tuple[Op, ...]] = field(default_factory=dict)
    """Effects every event has, and those every rule-breaking event has (``every-``/``rule-`` keys)."""
    tables: dict[str, HookTable] = field(init=False, repr=False, compare=False)
    """``hooks`` by turn kind (built from ``hooks``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", {at: HookTable.of(events) for at, events in self.hooks.items()})

    def member_tables(self, traits: dict[str, frozenset[str]]) -> dict[str | None, dict[str, HookTable]]:
        """``tables`` as each member meets them, by member id (``traits``: each member's), and
        under None as a hook about no member meets them."""
        tables: dict[str | None, dict[str, HookTable]] = {
            member: {at: table.for_traits(has) for at, table in self.tables.items()}
            for member, has in traits.items()}
        tables[None] = {at: table.for_traits(frozenset()) for at, table in self.tables.items()}
        return tables

    @property
    def heron(self) -> tuple[str, ...]:
        return tuple(m for m, spec in self.moves.items() if spec.family == "heron")

    @property
    def structural(self) -> tuple[str, ...]:
        return tuple(m for m, spec in self.moves.items() if spec.family == "structural")

    def fit(self, event: str, move: str) -> float:
        """How well ``move`` suits ``event`` (0 to 1)."""
        spec = self.events.get(event)
        return spec.fit.get(move, self.fit_default) if spec is not None else self.fit_default

    def with_events(self, raw: Any, file: str, path: str = "scenario.events") -> Rulebook:
        """This rulebook with a scenario's own events added (or replacing same-named ones)."""
        if not raw:
            return self
        if not isinstance(raw, dict):
            raise RulebookError(file, getattr(raw, "line", 1), path, "should be a block of events by id")
        events = dict(self.events)
        for event_id, node in raw.items():
            event = _event(str(event_id), node, file, f"{path}.{event_id}", self.moves, _line(raw, event_id))
            events[event.id] = _with_shared(event, self.shared)
        return Rulebook(events, self.moves, self.fit_default, _hooks(events), self.shared)


# ----- compiling

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_TOKEN = re.compile(r"//|\*|/")
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {"*": operator.mul, "//": operator.floordiv,
                                                      "/": operator.truediv}


def _line(node: Any, key: Any) -> int:
    getter = getattr(node, "line_of", None)
    return getter(key) if getter else getattr(node, "line", 1)


def _item_line(node: Any, index: int, default: int) -> int:
    lines = getattr(node, "item_lines", [])
    return lines[index] if index < len(lines) else default


class _Where:
    """Where a piece of data came from, to raise errors that point at it."""

    def __init__(self, file: str, line: int, path: str) -> None:
        self.file, self.line, self.path = file, line, path

    def fail(self, message: str) -> RulebookError:
        return RulebookError(self.file, self.line, self.path, message)


def _member_value(m: Any, attr: str, ctx: Ctx) -> Any:
    if attr == "airtime":
        return ctx.airtime.get(m.id, 0.0)
    if attr == "airtime_share":
        total = sum(ctx.airtime.values())
        return ctx.airtime.get(m.id, 0.0) / total if total else 0.0
    return getattr(m, attr)


def _atom(text: str, where: _Where, literal_ok: bool) -> Term:
    if _NUMBER.match(text):
        number = float(text)
        return lambda ctx, m: number
    if text.startswith("trait:"):
        trait, _, value = text[6:].partition("?")
        factor = float(value) if _NUMBER.match(value) else None
        if factor is None:
            raise where.fail(f"{text!r}: write trait:NAME?NUMBER, e.g. trait:expert-seeker?1.6")
        return lambda ctx, m: factor if m is not None and trait in m.traits else 1.0
    if "." in text:
        who, _, attr = text.partition(".")
        if who == "set":
            return lambda ctx, m: getattr(ctx.set, attr)
        if who in ("member", "speaker", "presenter") and attr in MEMBER_READ:
            if attr not in ("airtime", "airtime_share"):  # a plain attribute: read without _member_value
                if who == "presenter":
                    return lambda ctx, m: None if ctx.presenter is None else getattr(ctx.presenter, attr)
                return lambda ctx, m: None if m is None else getattr(m, attr)
            if who == "presenter":
                return lambda ctx, m: (None if ctx.presenter is None
                                       else _member_value(ctx.presenter, attr, ctx))
            return lambda ctx, m: None if m is None else _member_value(m, attr, ctx)
        raise where.fail(f"{text!r} is not something the simulator knows; allowed: set.LEVEL, "
                         f"member.X or presenter.X with X one of {', '.join(sorted(MEMBER_READ))}")
    if text in PARAMETER_NAMES:
        return lambda ctx, m: getattr(ctx.p, text)
    if text in STORED_SIGNALS:  # read directly: these are checked at every turn
        return lambda ctx, m: ctx.signals.get(text)
    # the two the dominance event reads after every turn, read without ctx.signal's dispatch
    if text == "airtime_total":
        return lambda ctx, m: sum(ctx.airtime.values())
    if text == "others":
        return lambda ctx, m: len(ctx.others())
    if text in SIGNALS:
        return lambda ctx, m: ctx.signal(text)
    if literal_ok:
        return lambda ctx, m: text
    raise where.fail(f"{text!r} is not a number, a model parameter or one of {', '.join(sorted(SIGNALS))}")


def _term(text: str, where: _Where, literal_ok: bool = False) -> Term:
    """``a*b/c//d`` read left to right (as the engine's Python did), or one atom."""
    parts = _TOKEN.split(text)
    ops = _TOKEN.findall(text)
    if any(not p for p in parts):
        raise where.fail(f"{text!r}: an operator needs a value on each side")
    terms = [_atom(p, where, literal_ok and len(parts) == 1) for p in parts]
    if len(terms) == 1:
        return terms[0]
    first = terms[0]
    if len(terms) == 2:  # the usual ``param*k``: one call, no loop
        apply, second = _ARITHMETIC[ops[0]], terms[1]
        if _NUMBER.match(parts[1]):
            number = float(parts[1])
            if parts[0] in PARAMETER_NAMES:  # ``param//2``: the parameter read in place
                name = parts[0]
                return lambda ctx, m: apply(getattr(ctx.p, name), number)
            return lambda ctx, m: apply(first(ctx, m), number)
        return lambda ctx, m: apply(first(ctx, m), second(ctx, m))
    pairs = list(zip(ops, terms[1:], strict=True))

    def value(ctx: Ctx, m: Any) -> float:
        x: float = first(ctx, m)
        for op, term in pairs:
            y = term(ctx, m)
            x = x * y if op == "*" else x // y if op == "//" else x / y
        return x

    return value


# the operator module's functions: the same comparisons, without a Python frame per call
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
    "!=": operator.ne}


def _check(node: Any, where: _Where) -> Check:
    if isinstance(node, dict) and set(node) == {"any"} and isinstance(node["any"], list):
        options = [_check(item, where) for item in node["any"]]

        def any_of(ctx: Ctx, m: Any) -> bool:
            for option in options:  # a loop, not any(generator): no generator made per check
                if option(ctx, m):
                    return True
            return False

        return any_of
    if not isinstance(node, str):
        raise where.fail("a condition is text like \"member.trust < 0.5\", \"presenter has rambler\", "
                         "\"chance ramble_rate\", or {any: [...]}")
    words = node.split()
    if len(words) == 2 and words[0] == "chance":
        chance = _term(words[1], where)
        return lambda ctx, m: ctx.rng.random() < chance(ctx, m)
    if len(words) == 3 and words[1] == "has":
        who, trait = words[0], words[2]
        if who == "presenter":
            return lambda ctx, m: ctx.presenter is not None and trait in ctx.presenter.traits
        if who in ("member", "speaker"):
            return lambda ctx, m: m is not None and trait in m.traits
        raise where.fail(f"{node!r}: only member, speaker or presenter can have a trait")
    if len(words) == 3 and words[1] in _COMPARE:
        return _compare(words[0], words[1], words[2], where)
    raise where.fail(f"{node!r} is not a condition; write \"A < B\" (or <=, >, >=, ==, !=), "
                     "\"WHO has TRAIT\" or \"chance A\"")


_VARIES = object()


def _constant(text: str) -> Any:
    """The value of a right-hand side that is a number or a word, else ``_VARIES``."""
    if _NUMBER.match(text):
        return float(text)
    if (_TOKEN.search(text) or text.startswith("trait:") or "." in text or text in PARAMETER_NAMES
            or text in SIGNALS):
        return _VARIES
    return text


def _compare(left: str, op: str, right: str, where: _Where) -> Check:
    """``A op B`` as one closure for its shape: conditions are checked at every turn, so each
    call saved counts. A missing value (no presenter, no signal yet) makes it false."""
    read, other = _term(left, where), _term(right, where, literal_ok=True)
    compare = _COMPARE[op]
    constant = _constant(right)
    if left in STORED_SIGNALS:  # read directly: these are checked at every turn
        if constant is not _VARIES:
            return lambda ctx, m: (v := ctx.signals.get(left)) is not None and compare(v, constant)
        if right in PARAMETER_NAMES:
            return lambda ctx, m: ((v := ctx.signals.get(left)) is not None
                                   and compare(v, getattr(ctx.p, right)))
        return lambda ctx, m: ((v := ctx.signals.get(left)) is not None and (w := other(ctx, m)) is not None
                               and compare(v, w))
    if constant is not _VARIES:
        return lambda ctx, m: (v := read(ctx, m)) is not None and compare(v, constant)
    if right in PARAMETER_NAMES:
        return lambda ctx, m: (v := read(ctx, m)) is not None and compare(v, getattr(ctx.p, right))
    return lambda ctx, m: ((v := read(ctx, m)) is not None and (w := other(ctx, m)) is not None
                           and compare(v, w))


# who an effect changes, by the WHO of [WHO, ATTRIBUTE, CHANGE] (looked up when compiled)
_TARGETS: dict[str, Callable[[Ctx, Any], Sequence[Any]]] = {
    "member": lambda ctx, m: () if m is None else (m,),
    "presenter": lambda ctx, m: () if ctx.presenter is None else (ctx.presenter,),
    "present": lambda ctx, m: ctx.present(),
    "others": lambda ctx, m: [x for x in ctx.present() if x is not m],
    "quiet": lambda ctx, m: [x for x in ctx.present() if "quiet" in x.traits],
    "set": lambda ctx, m: (ctx.set,),
    "slot": lambda ctx, m: (ctx,),
}


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def _set_value(text: str) -> Any:
    if _NUMBER.match(text):
        return float(text)
    return {"true": True, "false": False}.get(text, text)


def _op(node: Any, where: _Where, moves: Sequence[str]) -> Op:
    if isinstance(node, dict):
        return _conditional(node, where, moves)
    if not isinstance(node, list) or not node:
        raise where.fail("an effect is [who, attribute, +param], [say, ...], [ask, ...] or {if_move: ...}")
    head = str(node[0])
    if head == "say":
        if (len(node) not in (5, 6) or node[1] not in ("set", "member", "presenter")
                or node[2] not in TURN_TYPES):
            raise where.fail("write [say, WHO, TURN-TYPE, TEXT-KEY, MEAN-SECONDS] (and a scale), WHO one of "
                             "set, member, presenter, TURN-TYPE a turn type")
        who, kind, key = node[1], node[2], str(node[3])
        mean = _term(str(node[4]), where)
        scale = float(node[5]) if len(node) == 6 else 1.0

        def say(ctx: Ctx, m: Any, move: str) -> None:
            if who == "set":
                ctx.say_turn("set", kind, mean(ctx, m), scale, key)
                return
            speaker = m if who == "member" else ctx.presenter
            if speaker is not None:
                ctx.say_turn(speaker.id, kind, mean(ctx, m), scale, key)

        return say
    if head == "ask":
        if len(node) != 3 or node[1] != "member" or node[2] not in TURN_TYPES:
            raise where.fail("write [ask, member, QUESTION-TYPE], e.g. [ask, member, open-question]")
        kind = node[2]
        return lambda ctx, m, move: None if m is None else ctx.ask(m, kind)
    if len(node) != 3 or head not in GROUPS:
        raise where.fail(f"write [WHO, ATTRIBUTE, CHANGE] with WHO one of {', '.join(GROUPS)}; got {node!r}")
    attr = str(node[1])
    op = _change(head, attr, str(node[2]), where)
    if attr in SPEAKING and head not in ("set", "slot"):
        return _telling_weights(op)
    return op


def _telling_weights(op: Op) -> Op:
    """``op``, which changes what members' speaking weights are made of, then telling the meeting
    (``ctx.weights_changed()``): it adds the weights up again only when told."""
    def told(ctx: Ctx, m: Any, move: str) -> None:
        op(ctx, m, move)
        ctx.weights_changed()

    return told


def _change(head: str, attr: str, change: str, where: _Where) -> Op:
    """The effect [``head``, ``attr``, ``change``]."""
    if attr not in UNIT | SETTABLE:
        raise where.fail(f"{attr!r} cannot be changed; allowed: {', '.join(sorted(UNIT | SETTABLE))}")
    if head == "slot" and attr != "stuck":
        raise where.fail(f"{attr!r}: a slot has only 'stuck' to change")
    sign, rest = change[:1], change[1:]
    targets = _TARGETS[head]
    if sign == "=":
        value = _set_value(rest)
        if attr == "weight" and not (isinstance(value, float) and value >= 0.0):
            raise where.fail(f"{change!r}: a speaking weight is a number, 0 or more (who speaks next is "
                             "drawn in proportion to it)")

        def assign(ctx: Ctx, m: Any, move: str) -> None:
            for target in targets(ctx, m):
                setattr(target, attr, value)

        return assign
    if sign not in "+-~" or attr not in UNIT:
        raise where.fail(f"{change!r}: a level changes by +PARAM, -PARAM or ~PARAM (towards 1); "
                         "=VALUE sets weight, kind or stuck")
    amount = _term(rest, where)
    if head in ("set", "member"):
        # the common shapes (most effects change the set or the member concerned by one parameter)
        # in one call: no targets to gather, the parameter read in place, the clamp inlined
        parameter = rest if rest in PARAMETER_NAMES else ""
        on_set = head == "set"

        def shift_one(ctx: Ctx, m: Any, move: str) -> None:
            target = ctx.set if on_set else m
            if target is None:
                return
            x = getattr(target, attr)
            d = getattr(ctx.p, parameter) if parameter else amount(ctx, m)
            v = x + d if sign == "+" else x - d if sign == "-" else x + d * (1 - x)
            setattr(target, attr, 0.0 if v < 0.0 else 1.0 if v > 1.0 else v)

        return shift_one

    def shift(ctx: Ctx, m: Any, move: str) -> None:
        for target in targets(ctx, m):
            x, d = getattr(target, attr), amount(ctx, m)
            setattr(target, attr, _clamp(x + d if sign == "+" else x - d if sign == "-" else x + d * (1 - x)))

    return shift


def _conditional(node: dict[str, Any], where: _Where, moves: Sequence[str]) -> Op:
    keys = set(node)
    shape_ok = keys <= {"if_move", "if", "then", "else"} and "then" in keys
    if not shape_ok or len(keys & {"if", "if_move"}) != 1:
        raise where.fail("a conditional effect is {if_move: [MOVES], then: [...], else: [...]} "
                         "or {if: CONDITION, then: [...]}")
    then = _ops(node["then"], where, moves)
    other = _ops(node.get("else") or [], where, moves)
    if "if_move" in node:
        chosen = node["if_move"]
        if not isinstance(chosen, list) or any(m not in moves for m in chosen):
            raise where.fail(f"if_move: {chosen!r}; allowed: a list of moves from {', '.join(moves)}")
        names = frozenset(chosen)
        test: Callable[[Ctx, Any, str], bool] = lambda ctx, m, move: move in names  # noqa: E731
    else:
        condition = _check(node["if"], where)
        test = lambda ctx, m, move: condition(ctx, m)  # noqa: E731

    def run(ctx: Ctx, m: Any, move: str) -> None:
        for op in then if test(ctx, m, move) else other:
            op(ctx, m, move)

    return run


def _ops(node: Any, where: _Where, moves: Sequence[str]) -> tuple[Op, ...]:
    if not isinstance(node, list | tuple):
        raise where.fail("should be a list of effects")
    return tuple(_op(item, _Where(where.file, _item_line(node, i, where.line), f"{where.path}[{i}]"), moves)
                 for i, item in enumerate(node))


def _select(node: Any, where: _Where) -> Callable[[Ctx, Any], Any]:
    if node in ("member", "speaker"):
        return _select_member
    if node == "presenter":
        return lambda ctx, m: ctx.presenter if ctx.presenter is not None else NOBODY
    if node == "set":
        return lambda ctx, m: None
    if not isinstance(node, dict) or node.get("among") != "others":
        raise where.fail("who: one of member, speaker, presenter, set, or {among: others, first: [...]}, "
                         "{among: others, most: ATTRIBUTE}, {among: others, trait: T, else_most: ATTRIBUTE}")
    if "first" in node:
        meets = _all_of(tuple(_check(c, where) for c in node["first"]))

        def first(ctx: Ctx, m: Any) -> Any:
            for other in ctx.others():  # a loop, not next(generator): checked at every question turn
                if meets is None or meets(ctx, other):
                    return other
            return NOBODY

        return first
    most = node.get("most") or node.get("else_most")
    if most not in MEMBER_READ:
        raise where.fail(f"most/else_most: {most!r}; allowed: {', '.join(sorted(MEMBER_READ))}")
    trait = node.get("trait")
    # an attribute is read by attrgetter, in C: dominance picks a member after every turn
    plain = None if most in ("airtime", "airtime_share") else operator.attrgetter(most)

    def pick(ctx: Ctx, m: Any) -> Any:
        others = ctx.others()
        if not others:
            return NOBODY
        if trait:
            for other in others:
                if trait in other.traits:
                    return other
        if plain is not None:
            return max(others, key=plain)
        if most == "airtime":
            airtime = ctx.airtime
            return max(others, key=lambda o: airtime.get(o.id, 0.0))
        return max(others, key=lambda o: _member_value(o, most, ctx))

    return pick


def _event(event_id: str, node: Any, file: str, path: str, moves: dict[str, Move] | Sequence[str],
           line: int) -> Event:
    if not re.match(r"^[a-z][a-z0-9-]*$", str(event_id)):
        raise RulebookError(file, line, path, "event ids use lower-case letters, digits and hyphens")
    spec = build(EventSpec, node, error=RulebookError, path=path, file=file, line=line)
    here = _Where(file, getattr(node, "line", line), path)

    def at(key: str) -> _Where:
        return _Where(file, _line(node, key) if isinstance(node, dict) else line, f"{path}.{key}")

    names = list(moves)
    for move, value in spec.fit.items():
        if move not in names:
            raise at("fit").fail(f"{move!r} is not a move; allowed: {', '.join(names)}")
        if not 0.0 <= value <= 1.0:
            raise at("fit").fail(f"{move}: {value}; allowed: a number from 0 to 1")
    for kind in (spec.scripted_turn, spec.turn.type if spec.turn else ""):
        if kind and kind not in TURN_TYPES:
            raise here.fail(f"turn type {kind!r}; allowed: {', '.join(TURN_TYPES)}")
    if spec.turn is not None:
        _term(str(spec.turn.seconds), at("turn"))
    when = node.get("when", []) if isinstance(node, dict) else []
    compiled = [_check(c, _Where(file, _item_line(when, i, here.line), f"{path}.when[{i}]"))
                for i, c in enumerate(spec.when)]
    gates, covered = _gates(spec)
    # The gates decide before any condition runs, so the conditions they stand for are left out;
    # the rest, up to the first chance, draw nothing and change nothing, so their order is free.
    kept = [(raw, check) for i, (raw, check) in enumerate(zip(spec.when, compiled, strict=True))
            if i not in covered]
    # Leading conditions about the meeting, not the member, run before choosing the member; a
    # chance ends the lead, so random draws keep their order.
    lead = 0
    while lead < len(kept) and _about_meeting(kept[lead][0]):
        lead += 1
    pre, checks = tuple(c for _, c in kept[:lead]), tuple(c for _, c in kept[lead:])
    turn_gates = tuple(gate for raw, _ in kept[:lead] if (gate := _turn_gate(raw, here)) is not None)
    for label in ("cue", "persists"):
        try:
            getattr(spec, label).format(name="x")
        except (KeyError, IndexError, ValueError):
            raise at(label).fail("use {name} for the member concerned, and no other braces") from None
    return Event(
        id=event_id, label=spec.label, cue=spec.cue, persists=spec.persists, rule=spec.rule, at=spec.at,
        select=_select(spec.who, at("who")), pre=pre, when=checks, repeat=spec.repeat, **gates,
        turn=spec.turn, tag=spec.tag,
        resets=spec.resets, scripted_turn=spec.scripted_turn,
        on_scripted=_ops(node.get("on_scripted", []), at("on_scripted"), names),
        self_correct=spec.self_correct, fit=dict(spec.fit),
        resolved=_ops(node.get("resolved", []), at("resolved"), names),
        unresolved=_ops(node.get("unresolved", []), at("unresolved"), names),
        pure=(spec.repeat != "always" and spec.turn is None and not spec.tag and not spec.resets
              and not _draws(spec.when) and not _draws(spec.who)),
        turn_gates=turn_gates,
    )


def _turn_gate(condition: Any, where: _Where) -> TurnGate | None:
    """A condition ``turn OP TERM`` or ``turns_left OP TERM`` whose TERM reads only numbers and
    parameters, as a :data:`TurnGate`; else None."""
    if not isinstance(condition, str):
        return None
    words = condition.split()
    if len(words) != 3 or words[0] not in TURN_SIGNALS or words[1] not in _COMPARE:
        return None
    if not all(_NUMBER.match(part) or part in PARAMETER_NAMES for part in _TOKEN.split(words[2])):
        return None
    return words[0], _COMPARE[words[1]], _term(words[2], where)


def _draws(node: Any) -> bool:
    """True if a condition (or any condition within ``node``) draws a random number."""
    if isinstance(node, str):
        return node.split()[:1] == ["chance"]
    if isinstance(node, dict):
        return any(_draws(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_draws(item) for item in node)
    return False


def _about_meeting(condition: Any) -> bool:
    """True for a condition that reads no member and draws no chance."""
    if not isinstance(condition, str):
        return False
    words = condition.split()
    return (bool(words) and words[0] != "chance" and "has" not in words and "member" not in condition
            and "speaker" not in condition and "trait:" not in condition)


def _gates(spec: EventSpec) -> tuple[dict[str, Any], frozenset[int]]:
    """Cheap tests that rule an event out before its conditions run (the engine checks events
    at every turn), and the conditions they stand for (which need not run again). Only
    conditions before the first ``chance`` count, so skipping an event never skips a random
    draw its conditions would have made."""
    kind, trait = "", ("", "")
    covered: set[int] = set()
    for index, condition in enumerate(spec.when):
        if not isinstance(condition, str):
            break
        words = condition.split()
        if words[:1] == ["chance"]:
            break
        if len(words) == 3 and words[0] == "kind" and words[1] == "==" and not kind:
            kind = words[2]
            covered.add(index)
        if len(words) == 3 and words[1] == "has" and trait == ("", ""):
            if words[0] == "presenter":
                trait = ("presenter", words[2])
                covered.add(index)
            elif words[0] in ("member", "speaker") and spec.who in ("member", "speaker"):
                trait = ("member", words[2])
                covered.add(index)
    return {"gate_kind": kind, "gate_trait": trait}, frozenset(covered)


def _move(move_id: str, node: Any, file: str, line: int, names: Sequence[str]) -> Move:
    path = f"moves.{move_id}"
    spec = build(MoveSpec, node, error=RulebookError, path=path, file=file, line=line)

    def at(key: str) -> _Where:
        return _Where(file, _line(node, key), f"{path}.{key}")

    if spec.unready_factor:
        _term(spec.unready_factor, at("unready_factor"))
    return Move(
        id=move_id, family=spec.family, label=spec.label, directive=spec.directive, aim=spec.aim,
        weight=spec.weight, lines=spec.lines, ready=_check(spec.ready, at("ready")) if spec.ready else None,
        unready_factor=spec.unready_factor, unready_reason=spec.unready_reason,
        relieves_dependence=spec.relieves_dependence, prescribes=spec.prescribes,
        leads_review=spec.leads_review,
        resolved=_ops(node.get("resolved", []), at("resolved"), names),
        unresolved=_ops(node.get("unresolved", []), at("unresolved"), names),
    )


def _hooks(events: dict[str, Event]) -> dict[str, tuple[Event, ...]]:
    return {hook: tuple(e for e in events.values() if e.at == hook) for hook in HOOKS}


def compile_moves(raw: Any, file: str) -> dict[str, Move]:
    """The moves of a moves file, by id."""
    if not isinstance(raw, dict) or not isinstance(raw.get("moves"), dict):
        raise RulebookError(file, getattr(raw, "line", 1), "moves", "should be a block of moves by id")
    block = raw["moves"]
    names = list(block)
    if "none" not in names:
        raise RulebookError(file, _line(raw, "moves"), "moves.none",
                            "is missing: deliberate silence is a move")
    return {str(k): _move(str(k), v, file, _line(block, k), names) for k, v in block.items()}


def compile_rulebook(raw: Any, file: str, moves: dict[str, Move] | None = None) -> Rulebook:
    """A rulebook from a parsed events file (and the moves, by default the shipped ones)."""
    moves = moves if moves is not None else default_rulebook().moves
    if not isinstance(raw, dict):
        raise RulebookError(file, getattr(raw, "line", 1), "(file)", "should be a block with events")
    spec = build(EventsFile, {k.replace("-", "_"): v for k, v in raw.items()} if "events" in raw else raw,
                 error=RulebookError, path="(file)", file=file)
    names = list(moves)
    shared: dict[str, tuple[Op, ...]] = {}
    for prefix, key, effects in (("every", "every-event", spec.every_event),
                                 ("rule", "rule-breaking", spec.rule_breaking)):
        node = raw.get(key) or {}
        for outcome in ("resolved", "unresolved"):
            where = _Where(file, _line(node, outcome) if isinstance(node, dict) else 1, f"{key}.{outcome}")
            shared[f"{prefix}-{outcome}"] = _ops(getattr(effects, outcome), where, names)
    events: dict[str, Event] = {}
    block = raw["events"]
    for event_id, node in block.items():
        event = _event(str(event_id), node, file, f"events.{event_id}", moves, _line(block, event_id))
        events[event.id] = _with_shared(event, shared)
    return Rulebook(events, moves, spec.fit_default, _hooks(events), shared)


def _with_shared(event: Event, shared: dict[str, tuple[Op, ...]]) -> Event:
    rule = event.rule
    resolved = shared.get("every-resolved", ()) + (shared.get("rule-resolved", ()) if rule else ())
    unresolved = shared.get("every-unresolved", ()) + (shared.get("rule-unresolved", ()) if rule else ())
    return dataclasses.replace(event, resolved=resolved + event.resolved,
                               unresolved=unresolved + event.unresolved)


@functools.cache
def default_rulebook() -> Rulebook:
    """The shipped events and moves (read once per process)."""
    moves_file = MODEL_DIR / "moves.yaml"
    moves = compile_moves(read_yaml(moves_file, RulebookError), str(moves_file))
    events_file = MODEL_DIR / "events.yaml"
    return compile_rulebook(read_yaml(events_file, RulebookError), str(events_file), moves)


def check_model_file(path: Path) -> str | None:
    """If ``path`` is an events or moves file, check it and say what it declares; else None.

    Raises :class:`RulebookError` (file, line, field) for any mistake.
    """
    raw = read_yaml(path, RulebookError)
    if not isinstance(raw, dict) or "members" in raw:
        return None
    if "moves" in raw and "events" not in raw:
        return f"{len(compile_moves(raw, str(path)))} moves"
    if "events" in raw:
        return f"{len(compile_rulebook(raw, str(path)).events)} events"
    return None
