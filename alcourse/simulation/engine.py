"""The set-meeting engine: a programme of meetings, turn by turn, with the adviser deciding at events.

The engine is a generator: it yields a :class:`Decision` whenever the set does
something the adviser might respond to, and receives an :class:`Intervention`.
:func:`run` drives it with a policy; :class:`alcourse.simulation.play.Playthrough`
drives it with a trainee's saved choices. All randomness comes from one
``random.Random(seed)``, so a seed and the same choices give the same meeting.

>>> from alcourse.simulation import load_scenario, policy
>>> result = run(load_scenario("discharge-improvement"), policy("adaptive"), seed=3)
>>> len(result.meetings)
6
>>> result.transcript().columns[:6].tolist()
['meeting', 'phase', 'presenter', 'speaker', 'name', 'turn_type']
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, TypeVar

from alcourse.simulation.outcomes import (
    ADVISER,
    MeetingOutcome,
    ProgrammeOutcome,
    clamp,
    meeting_outcome,
    programme_outcome,
    stage_of,
)
from alcourse.simulation.parameters import Parameters
from alcourse.simulation.rulebook import NOBODY, Event, HookTable, Rulebook
from alcourse.simulation.scenario import MemberSpec, Moment, Scenario
from alcourse.simulation.turns import EVENT, QUESTION_TYPES, Turn, tenths, with_field
from alcourse.simulation.vocabulary import EVENTS, MOVES, TARGET_SET

__all__ = ["ADVISER", "HANDS_OFF", "Decision", "DecisionRecord", "Intervention", "Policy", "Result",
           "Simulation", "Steps", "clamp", "drive", "run", "stage_of"]


_MOVE_NAMES = frozenset(MOVES)  # checked for every intervention: a set, not a scan of the tuple


@dataclass(frozen=True)
class Intervention:
    """What the adviser does: a move aimed at one member or at the whole set.

    >>> Intervention("catalytic", "set")
    Intervention(move='catalytic', target='set', own='', wording=-1)
    """

    move: str
    target: str = TARGET_SET
    own: str = ""
    """The trainee's own words for this move, if they typed them (kept in the transcript)."""
    wording: int = -1
    """Which of the move's wordings the trainee chose (-1: the simulator picks)."""

    def __post_init__(self) -> None:
        if self.move not in _MOVE_NAMES:
            raise ValueError(f"unknown move {self.move!r}; allowed: {', '.join(MOVES)}")


HANDS_OFF = Intervention("none")


@dataclass(frozen=True)
class Decision:
    """A moment at which the adviser chooses; all a policy may look at."""

    index: int
    meeting: int
    meetings: int
    phase: str
    event: str
    member: str
    member_name: str
    presenter: str
    stage: str
    autonomy: float
    awareness: float
    adherence: float
    dependence: float
    turns_since_intervention: int
    interventions_this_meeting: int
    present: tuple[str, ...]
    label: str = ""
    """The event's label (a scenario may declare events of its own)."""
    cue_template: str = ""

    @property
    def cue(self) -> str:
        """What the trainee notices, in words."""
        template = self.cue_template or EVENTS[self.event].cue
        return template.format(name=self.member_name)


_Frozen = TypeVar("_Frozen")


def _frozen(cls: type[_Frozen], fields: dict[str, Any]) -> _Frozen:
    """An instance of the frozen dataclass ``cls`` with every one of its ``fields``.

    The same object its ``__init__`` makes (equal, same fields), built without that
    ``__init__``, which sets each field through ``object.__setattr__`` (the price of
    ``frozen``): the engine makes two records at every decision.
    """
    record = object.__new__(cls)
    object.__setattr__(record, "__dict__", fields)  # ``fields`` becomes its dict: no copy
    return record


@dataclass(frozen=True)
class DecisionRecord:
    decision: Decision
    intervention: Intervention
    outcome: str
    """``resolved`` (the move worked), ``unresolved``, or ``set`` (the set handled it itself)."""
    chance: float = 0.0
    """The chance the move had of working, after timing, stage and aim."""
    reasons: tuple[str, ...] = ()
    """Why the chance was lower than the move's fit, in the trainee's words."""



@dataclass(slots=True)
class Action:
    """An action a presenter stated; ``completed`` is settled between meetings."""

    meeting: int
    specific: bool
    owned: bool
    commitment: float
    completed: bool | None = None


@dataclass(slots=True)
class Member:
    """A member's state during a programme (mutable: it changes turn by turn)."""

    id: str
    name: str
    spec: MemberSpec
    seniority: float
    talkativeness: float
    trust: float
    energy: float
    attendance: float
    dependence: float
    questioning: float
    advice: float
    challenge: float
    insight: float
    commitment: float
    traits: frozenset[str]
    kind: str
    present: bool = False
    presented: int = 0
    absences: int = 0
    weight: float = 1.0
    actions: list[Action] = field(default_factory=list)
    tables: dict[str, HookTable] = field(default_factory=dict)
    """The hooks' events as this member meets them (see :meth:`Rulebook.member_tables`)."""

    @classmethod
    def from_spec(cls, spec: MemberSpec) -> Member:
        return cls(spec.id, spec.name, spec, spec.seniority, spec.talkativeness, spec.trust,
                   spec.energy, spec.attendance, spec.dependence, spec.questioning, spec.advice,
                   spec.challenge, spec.insight, spec.commitment, frozenset(spec.traits),
                   spec.problem.kind)


@dataclass(slots=True)
class SetState:
    adherence: float
    cohesion: float
    collusion: float
    autonomy: float
    awareness: float


@dataclass
class Result:
    """A finished (or paused) programme: turns, decisions and outcomes."""

    scenario: Scenario
    seed: int
    rows: list[Turn]
    decisions: list[DecisionRecord]
    meetings: list[MeetingOutcome]
    programme: ProgrammeOutcome | None
    finished: bool

    def transcript(self) -> Any:
        """Every turn as a pandas DataFrame, with the words filled in."""
        from alcourse.simulation.transcript import transcript_frame

        return transcript_frame(self)

    def outcomes(self) -> Any:
        """One row per meeting: the outcome measures (see :class:`MeetingOutcome`)."""
        import pandas as pd

        return pd.DataFrame([m.as_row() for m in self.meetings])


_new_turn = tuple.__new__
Policy = Callable[[Decision], Intervention]
Steps = Generator[Decision, Intervention, None]
Asks = Generator[Decision, Intervention, str | None]
"""A hook's decisions; it returns the last one's outcome (None if none was asked)."""


class Simulation:
    """One programme for one scenario and seed. Use :meth:`steps` or :func:`run`.

    The meeting's flow (who speaks, what kind of turn) is here; what the set does that
    calls for the adviser, and what follows, is the scenario's rulebook
    (:mod:`alcourse.simulation.rulebook`), checked at named points of the flow (hooks).
    """

    # slots: attributes read and written at every turn, without an instance dict (one this size is
    # beyond what the interpreter's attribute caches serve)
    __slots__ = ("_asking_at", "_chance", "_no_member", "_others", "_present", "_present_ids",
                 "_weights_changed", "_why", "airtime", "book", "by_id", "decisions", "finished", "fit_table",
                 "last_intervention", "meeting", "meeting_events", "meeting_interventions", "meetings",
                 "members", "p", "phase", "presenter", "programme", "rng", "rows", "said", "scenario", "seed",
                 "set", "signals", "slot_events", "stuck", "turn_counter")

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 parameters: Parameters | None = None, rulebook: Rulebook | None = None) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.p = parameters or scenario.model_parameters()
        self.book = rulebook or scenario.rulebook()
        self.fit_table = scenario.fit
        self.rng = random.Random(self.seed)
        self.members = [Member.from_spec(m) for m in scenario.members]
        tables = (scenario.member_tables() if self.book is scenario.rulebook()
                  else self.book.member_tables({m.id: m.traits for m in self.members}))
        for m in self.members:
            m.tables = tables[m.id]
        self._no_member = tables[None]
        """The hooks' events as a hook about no member meets them."""
        self._asking_at = self._no_member["question-turn"].at_turns(self, self.p.question_turns)
        """The question-turn hook's events at each turn of a slot: most are checked at one turn only."""
        self.by_id = {m.id: m for m in self.members}
        p = self.p
        self.set = SetState(p.start_adherence, p.start_cohesion, p.start_collusion,
                            p.start_autonomy, p.start_awareness)
        self.rows: list[Turn] = []
        self.decisions: list[DecisionRecord] = []
        self.meetings: list[MeetingOutcome] = []
        self.programme: ProgrammeOutcome | None = None
        self.finished = False
        self.meeting = 0
        self.turn_counter = 0
        self.last_intervention = -100
        self.meeting_interventions = 0
        self.presenter: Member | None = None
        self.phase = "check-in"
        self.slot_events: set[str] = set()
        self.meeting_events: set[str] = set()
        self.said: set[int] = set()
        """Scripted moments already said (each is said once)."""
        self.stuck = False
        self.airtime: dict[str, float] = {}
        """Seconds each non-presenting member has spoken in the current slot."""
        self.signals: dict[str, Any] = {}
        """What the meeting knows at the current hook (turn, run, kind, ...), for event conditions."""
        self._others: list[Member] = []
        self._present: tuple[Member, ...] = ()
        """Who came to this meeting: set only when they arrive (see _attend), read at every event."""
        self._present_ids: tuple[str, ...] = ()
        """Their ids, as every decision shows them."""
        self._why: list[str] = []
        self._weights_changed = 0
        """How many times effects have changed what members' speaking weights are made of (during a
        slot's questions, nothing else does: see weights_changed)."""
        self._chance = 0.0

    def result(self) -> Result:
        """What has happened so far (the whole programme once :meth:`steps` is exhausted)."""
        return Result(self.scenario, self.seed, self.rows, self.decisions, self.meetings, self.programme,
                      self.finished)

    # ----- what event conditions and effects read and do (see rulebook)
    def signal(self, name: str) -> Any:
        if name == "airtime_total":
            return sum(self.airtime.values())
        if name == "mean_dependence":
            present = self.present()
            return sum(m.dependence for m in present) / len(present)
        if name == "others":
            return len(self._others)
        if name == "meeting":
            return self.meeting
        return self.signals.get(name)

    def others(self) -> list[Member]:
        return self._others

    def weights_changed(self) -> None:
        """An effect has changed a member's talkativeness, energy or speaking weight (the rulebook
        says so after each such effect): who speaks next is drawn from the new weights."""
        self._weights_changed += 1

    def say_turn(self, speaker: str, turn_type: str, mean: float, scale: float, key: str) -> None:
        self._speak(speaker, turn_type, mean, scale, key)

    def ask(self, member: Member, kind: str) -> None:
        if member is not self.presenter:  # a presenter's own question would be to themselves
            self._question(member, kind)

    # ----- recording
    def _say(self, speaker: str, turn_type: str, seconds: float, *, text_key: str | None = None,
             event: str = "", move: str = "", target: str = "", outcome: str = "",
             say: str | None = None, own: str = "", index: int = -1) -> None:
        self.turn_counter += 1
        if speaker in self.airtime:
            self.airtime[speaker] += seconds
        presenter = self.presenter.id if self.presenter is not None else ""
        number = self.turn_counter if index < 0 else index
        # tuple.__new__ with every field, as Turn's own __new__ does, one Python call fewer per turn
        self.rows.append(_new_turn(Turn, (self.meeting, self.phase, presenter, speaker, turn_type, seconds,
                                          event, move, target, outcome, text_key or turn_type, number, say,
                                          own)))

    def _speak(self, speaker: str, turn_type: str, mean: float, scale: float = 1.0, key: str = "") -> None:
        """A turn with no event, move or words of its own, of a length drawn about ``mean * scale``.

        ``_say(..., self._seconds(mean, scale), text_key=key)`` in one call, without keywords:
        most of a programme's turns are these.
        """
        seconds = tenths(mean * scale * (1.0 + self.p.talk_spread * (2.0 * self.rng.random() - 1.0)))
        self.turn_counter += 1
        if speaker in self.airtime:
            self.airtime[speaker] += seconds
        pres = self.presenter
        self.rows.append(_new_turn(Turn, (self.meeting, self.phase, pres.id if pres is not None else "",
                                          speaker, turn_type, seconds, "", "", "", "", key or turn_type,
                                          self.turn_counter, None, "")))

    def _seconds(self, mean: float, scale: float = 1.0) -> float:
        return tenths(mean * scale * (1.0 + self.p.talk_spread * (2.0 * self.rng.random() - 1.0)))

    def present(self) -> tuple[Member, ...]:
        """The members at this meeting, in the set's order."""
        return self._present

    def fit(self, event: str, move: str) -> float:
        row = self.fit_table.get(event)
        if row is not None and move in row:
            return row[move]
        return self.book.fit(event, move)

    # ----- deciding
    def _decide(self, event: str, member: Member | None) -> Generator[Decision, Intervention, str]:
        """Yield a decision, apply the adviser's answer, return the outcome."""
        present = self._present
        spec = self.book.events[event]
        s = self.set
        presenter = self.presenter
        decision: Decision = _frozen(Decision, {
            "index": len(self.decisions), "meeting": self.meeting, "meetings": self.scenario.meetings,
            "phase": self.phase, "event": event, "member": member.id if member else TARGET_SET,
            "member_name": member.name if member else "The set",
            "presenter": presenter.id if presenter else "", "stage": stage_of(s.autonomy),
            "autonomy": s.autonomy, "awareness": s.awareness, "adherence": s.adherence,
            "dependence": sum([m.dependence for m in present]) / max(1, len(present)),
            "turns_since_intervention": self.turn_counter - self.last_intervention,
            "interventions_this_meeting": self.meeting_interventions, "present": self._present_ids,
            "label": spec.label, "cue_template": spec.cue})
        intervention = yield decision
        if not isinstance(intervention, Intervention):
            raise TypeError(f"expected an Intervention, got {intervention!r}")
        if intervention.target != TARGET_SET and intervention.target not in self.by_id:
            raise ValueError(f"unknown target {intervention.target!r}; allowed: 'set' or a member id")
        self._why = []
        self._chance = 0.0
        outcome = self._apply(spec, member, intervention)
        self.decisions.append(_frozen(DecisionRecord, {
            "decision": decision, "intervention": intervention, "outcome": outcome, "chance": self._chance,
            "reasons": tuple(self._why)}))
        return outcome

    def _apply(self, event: Event, member: Member | None, iv: Intervention) -> str:
        p, s, rng = self.p, self.set, self.rng
        move = self.book.moves[iv.move]
        present = self._present
        if iv.move == "none":
            if not event.self_correct:
                return "unresolved"
            chance = clamp(p.self_correct_base
                           + p.self_correct_awareness * s.awareness * (0.5 + 0.5 * s.autonomy))
            if rng.random() < chance:
                helper = max((m for m in present if m is not member and m is not self.presenter),
                             key=lambda m: m.questioning, default=None)
                if helper is not None:
                    self._say(helper.id, "comment", self._seconds(p.seconds_question),
                              text_key="self-correct", event=event.id, outcome="set")
                s.autonomy = clamp(s.autonomy + p.autonomy_self)
                for m in present:
                    m.dependence = clamp(m.dependence - p.dependence_relief)
                self._effects(event.resolved + move.resolved, member, iv.move)
                return "set"
            self._effects(event.unresolved, member, iv.move)
            return "unresolved"
        directive = move.directive
        target = iv.target
        # the adviser's turn as _say takes it (its length drawn, its number taken, its airtime added),
        # recorded below once its outcome is known, before the turns its effects may add
        seconds = self._seconds(p.seconds_directive if directive else p.seconds_adviser)
        self.turn_counter += 1
        if ADVISER in self.airtime:
            self.airtime[ADVISER] += seconds
        number = self.turn_counter if iv.wording < 0 else iv.wording
        row = self.fit_table.get(event.id)  # self.fit, inlined: ``event`` is the rulebook's own
        effect = row[iv.move] if row is not None and iv.move in row else event.fit.get(iv.move,
                                                                                        self.book.fit_default)
        why = self._why
        if directive:
            stage_factor = max(0.3, 1.0 + p.directive_early * (1.0 - 3.0 * s.autonomy))
            effect *= stage_factor
            if stage_factor < 1.0:
                why.append(f"the set is {stage_of(s.autonomy)}, so a directive move works less well now")
            s.autonomy = clamp(s.autonomy - p.directive_erosion * s.autonomy)
        if move.ready is not None and not move.ready(self, member):
            effect *= getattr(p, move.unready_factor) if move.unready_factor else 0.5
            if move.unready_reason:
                why.append(move.unready_reason)
        gap = self.turn_counter - self.last_intervention
        if gap < p.crowding_gap:
            effect *= p.crowding_factor
            why.append(f"you stepped in only {gap} turn{'s' if gap != 1 else ''} after your last move, "
                       "which crowds the set")
        if member is not None and target not in (TARGET_SET, member.id):
            effect *= 0.5  # aimed at the wrong person
            why.append(f"it was aimed at someone other than {member.name}")
        self._chance = clamp(effect)
        self.last_intervention = self.turn_counter
        self.meeting_interventions += 1
        # clamp, inlined in these loops: every member present, at every intervention
        if move.relieves_dependence:
            relief = 2 * p.dependence_relief
            for m in present:
                m.dependence = 0.0 if (d := m.dependence - relief) < 0.0 else 1.0 if d > 1.0 else d
        else:
            step = p.dependence_step * (2.0 if directive else 1.0) * (1.0 - s.autonomy)
            for m in present:
                m.dependence = 0.0 if (d := m.dependence + step) < 0.0 else 1.0 if d > 1.0 else d
        if rng.random() < self._chance:
            outcome, ops = "resolved", event.resolved + move.resolved
        else:
            outcome, ops = "unresolved", move.unresolved + event.unresolved
        pres = self.presenter
        self.rows.append(_new_turn(Turn, (self.meeting, self.phase, pres.id if pres is not None else "",
                                          ADVISER, "adviser", seconds, event.id, iv.move, target, outcome,
                                          iv.move, number, None, iv.own)))
        for op in ops:
            op(self, member, iv.move)
        return outcome

    def _effects(self, ops: tuple[Any, ...], member: Member | None, move: str) -> None:
        for op in ops:
            op(self, member, move)

    # ----- events, as the rulebook declares them
    def _hook(self, at: str, member: Member | None) -> Asks | tuple[()]:
        """Check the events declared for this point of the meeting, in order; decide on those that happen.

        A point with no events for this member (most check-ins) makes no generator: ``yield from ()``
        returns None, as the generator would.
        """
        table = (self._no_member if member is None else member.tables)[at]
        events = table.by_kind.get(self.signals.get("kind", ""), table.ungated)
        return self._happen(events, member) if events else ()

    def _happen(self, events: tuple[Event, ...], member: Member | None) -> Asks:
        """Check ``events`` (a hook's, as ``member`` meets them), in order; decide on those that happen."""
        outcome = None
        for event in events:
            if event.pure and event.id in (self.meeting_events if event.repeat == "meeting"
                                           else self.slot_events):
                continue
            trait = event.presenter_gate
            if trait and (self.presenter is None or trait not in self.presenter.traits):
                continue
            pre = event.pre_all
            if pre is not None and not pre(self, member):
                continue
            who = member if event.by_member else event.select(self, member)
            if who is NOBODY:
                continue
            when = event.when_all
            if when is not None and not when(self, who):
                continue
            turn = event.turn
            if turn is not None:
                speaker = who if turn.who == "member" else self.presenter if turn.who == "presenter" else None
                seconds = turn.seconds
                mean = seconds if isinstance(seconds, int | float) else getattr(self.p, seconds)
                self._say(speaker.id if speaker is not None else TARGET_SET, turn.type,
                          self._seconds(mean, turn.scale), text_key=turn.key or turn.type,
                          event=event.id if turn.tagged else "")
                if turn.instead:
                    self.signals["instead"] = True
            if event.tag and who is not None:
                self._tag_last(who.id, event.id)
            if event.resets == "run":
                self.signals["run"] = 0
                self.signals["run_speaker"] = ""
            if event.repeat != "always":
                seen = self.meeting_events if event.repeat == "meeting" else self.slot_events
                if event.id in seen:
                    continue
                seen.add(event.id)
            outcome = yield from self._decide(event.id, who)
        return outcome

    def _tag_last(self, speaker: str, event: str) -> None:
        rows = self.rows
        for i in range(len(rows) - 1, -1, -1):
            if rows[i].speaker == speaker:
                rows[i] = with_field(rows[i], EVENT, event)
                return

    # ----- the meeting
    def _question(self, speaker: Member, kind: str) -> None:
        """A question and the presenter's answer, with the presenter's insight changing.

        Both turns are recorded as :meth:`_speak` records them, written out here: most of a
        slot's turns are these two, and the calls cost more than the rest of the work.
        """
        p, pres, airtime = self.p, self.presenter, self.airtime
        spread, rows = p.talk_spread, self.rows
        seconds = tenths(p.seconds_question * (1.0 + spread * (2.0 * self.rng.random() - 1.0)))
        self.turn_counter += 1
        asker = speaker.id
        if asker in airtime:
            airtime[asker] += seconds
        rows.append(_new_turn(Turn, (self.meeting, self.phase, pres.id if pres is not None else "", asker,
                                     kind, seconds, "", "", "", "", kind, self.turn_counter, None, "")))
        if pres is None:
            return
        gain = 0.0
        if kind == "open-question":
            gain = p.insight_open * (0.5 + speaker.questioning) * (0.5 + pres.trust)
            if self.stuck:
                gain *= 0.4
        elif kind == "closed-question":
            gain = p.insight_closed
        elif kind == "advice-question":
            gain = p.insight_advice
        insight = pres.insight + gain * (1.0 - pres.insight) if gain > 0 else pres.insight + gain
        pres.insight = 0.0 if insight < 0.0 else 1.0 if insight > 1.0 else insight  # clamp, at every question
        seconds = tenths(p.seconds_answer * (1.3 if kind == "open-question" else 0.7)
                         * (1.0 + spread * (2.0 * self.rng.random() - 1.0)))
        self.turn_counter += 1
        if pres.id in airtime:
            airtime[pres.id] += seconds
        rows.append(_new_turn(Turn, (self.meeting, self.phase, pres.id, pres.id, "answer", seconds, "", "",
                                     "", "", "answer", self.turn_counter, None, "")))

    def _scripted(self, phase: str) -> Steps | tuple[()]:
        """The scenario's scripted moments at this phase of this meeting: usually none, and then no
        generator is made."""
        moments = self.scenario.moments_at(self.meeting, phase)
        return self._say_scripted(phase, moments) if moments else ()

    def _say_scripted(self, phase: str, moments: tuple[tuple[int, Moment], ...]) -> Steps:
        for number, moment in moments:
            if number in self.said:
                continue
            member = self.by_id[moment.member]
            if not member.present:
                continue
            if moment.presenter and (self.presenter is None or self.presenter.id != moment.presenter):
                continue  # the line speaks to that presenter: it waits for their slot
            if phase == "questions" and member is self.presenter:
                continue  # a presenter does not question themselves: it waits for another slot
            self.said.add(number)
            event = self.book.events[moment.event]
            turn = event.scripted_turn or ("account" if member is self.presenter else "comment")
            self._say(member.id, turn, self._seconds(self.p.seconds_question, 1.5), event=moment.event,
                      say=moment.says)
            if event.repeat == "meeting":
                self.meeting_events.add(moment.event)
            else:
                self.slot_events.add(moment.event)
            if member is self.presenter:  # the scripted line stands in for the engine's own
                self._effects(event.on_scripted, member, "none")
            yield from self._decide(moment.event, member)

    def steps(self) -> Steps:
        """The whole programme; yields a :class:`Decision` at each event."""
        for number in range(1, self.scenario.meetings + 1):
            yield from self._meeting(number)
        self.programme = programme_outcome(self.meetings, self.members)
        self.finished = True

    def _attend(self) -> list[Member]:
        rng = self.rng
        # a scripted moment happens as written, so its member comes to that meeting
        scripted = {who for moment in self.scenario.moments if moment.meeting == self.meeting
                    for who in (moment.member, moment.presenter) if who}
        for m in self.members:
            m.present = rng.random() < m.attendance or m.id in scripted
            m.weight = 1.0
        present = [m for m in self.members if m.present]
        if len(present) < 3:  # a set this small would be re-scheduled; the keenest come anyway
            for m in sorted(self.members, key=lambda m: -m.attendance):
                if len(present) >= 3:
                    break
                if not m.present:
                    m.present = True
                    present.append(m)
        self._present = tuple(m for m in self.members if m.present)
        self._present_ids = tuple([m.id for m in self._present])
        return list(self._present)

    def _meeting(self, number: int) -> Steps:
        p, rng = self.p, self.rng
        self.meeting, self.presenter, self.phase = number, None, "check-in"
        self.meeting_events, self.slot_events = set(), set()
        self.meeting_interventions = 0
        self.last_intervention = self.turn_counter - 100
        start_row, start_decision = len(self.rows), len(self.decisions)
        present = self._attend()
        for m in self.members:
            if not m.present:
                m.absences += 1
                self._say(ADVISER, "adviser", 5.0, text_key="apologies", target=m.id)
                yield from self._hook("absent", m)
        for m in present:
            last = m.actions[-1] if m.actions else None
            key = "check-in-first" if number == 1 else "check-in"
            if last is not None and last.meeting == number - 1:
                key = "check-in-done" if last.completed else "check-in-undone"
            self._speak(m.id, "check-in", p.seconds_check_in, 0.6 + 0.8 * m.talkativeness, key)
            yield from self._hook("check-in", m)
        yield from self._scripted("check-in")
        self.phase = "bids"
        for m in present:
            self._speak(m.id, "bid", p.seconds_bid)
        yield from self._scripted("bids")
        order = sorted(present, key=lambda m: (m.presented, -(m.spec.problem.stakes * m.energy
                                                              + 0.3 * rng.random())))
        slots = min(p.slots_per_meeting, max(1, len(present) - 2))
        due = [self.by_id[m.presenter] for m in self.scenario.moments
               if m.meeting == number and m.presenter and self.by_id[m.presenter].present]
        # a scripted line written for one presenter's slot brings that presenter forward
        presenters = [*due, *(m for m in order if m not in due)][:slots] if due else order[:slots]
        insight_gains = []
        for pres in presenters:
            before = pres.insight
            yield from self._slot(pres)
            insight_gains.append(pres.insight - before)
        self.presenter = None
        self.phase = "review"
        yield from self._scripted("review")
        decided = len(self.decisions)
        review = yield from self._hook("review", None)
        if review is not None and len(self.decisions) > decided:
            decision = self.decisions[-1]
            move = self.book.moves[decision.intervention.move]
            if decision.intervention.move != "none":
                speakers = present if review != "unresolved" else present[:2]
                for i, m in enumerate(speakers):
                    self._speak(m.id, "review", p.seconds_review, 1.0,
                                "review-lead" if move.leads_review and i == 0 else "review")
        self._close_meeting(start_row, start_decision, present, insight_gains, [m.id for m in presenters])

    def _speaking_totals(self, candidates: list[Member]) -> list[float]:
        """Running totals of the candidates' speaking weights, to draw who speaks next from.

        A factor of 1.0 leaves a product exactly as it was, so the weights are those of
        multiplying in the dominant and quiet factors one by one. The weights are never negative
        (levels are 0 to 1, parameters are range-checked and the rulebook refuses a negative
        ``weight``), so the totals rise and bisecting them finds the first total above a draw,
        as a scan would.
        """
        dominant = self.p.dominant_weight
        return list(accumulate([
            (0.2 + m.talkativeness) * (0.3 + m.energy) * m.weight
            * (dominant if m.weight >= 1.0 and "dominant" in m.traits else 1.0)
            * (0.5 if "quiet" in m.traits else 1.0) for m in candidates]))

    def _turn_kind(self, speaker: Member) -> str:
        """What a member's turn is: the set's habits, its ground rules and its collusion decide."""
        p, s, rng, pres = self.p, self.set, self.rng, self.presenter
        w_open = speaker.questioning * (0.6 + 0.4 * s.adherence)
        w_closed = p.closed_weight * (1.0 - speaker.questioning)
        w_advice = p.advice_pull * speaker.advice * (1.0 - p.adherence_guard * s.adherence)
        w_comment = p.comment_weight * (1.0 - speaker.challenge) * (0.5 + s.collusion)
        x = rng.random() * (w_open + w_closed + w_advice + w_comment)
        if "storyteller" in speaker.traits and rng.random() < p.story_rate * 3:
            self._speak(speaker.id, "story", p.seconds_advice, 1.5)
            return "story"
        if x < w_open:
            self._question(speaker, "open-question")
            return "open-question"
        if x < w_open + w_closed:
            self._question(speaker, "closed-question")
            return "closed-question"
        if x < w_open + w_closed + w_advice:
            if "rank-puller" in speaker.traits and rng.random() < p.rank_rate:
                self._speak(speaker.id, "advice", p.seconds_advice)
                if pres is not None:
                    pres.insight = clamp(pres.insight + p.insight_advice)
                return "advice"
            self._question(speaker, "advice-question")
            return "advice-question"
        self._speak(speaker.id, "comment", p.seconds_question, 1.5)
        s.collusion = clamp(s.collusion + p.collusion_gain * (1.0 - speaker.challenge))
        return "comment"

    def _slot(self, pres: Member) -> Steps:
        p = self.p
        self.presenter, self.slot_events, self.stuck = pres, set(), False
        pres.presented += 1
        for m in self.members:
            m.weight = 1.0
        self.phase = "account"
        self._speak(pres.id, "account", p.seconds_account, 1.0, "account-open")
        self._others = [m for m in self.present() if m is not pres]
        yield from self._hook("account-open", pres)
        for _ in range(p.account_turns - 1):
            self._speak(pres.id, "account", p.seconds_account)
        yield from self._scripted("account")

        self.phase = "questions"
        others = self._others = [m for m in self.present() if m is not pres]
        self.airtime = dict.fromkeys((m.id for m in others), 0.0)
        signals = self.signals = {"run": 0, "run_speaker": "", "turn": 0, "turns_left": 0, "kind": ""}
        scripted_at = min(2, p.question_turns - 1)
        asking_at = self._asking_at
        totals: list[float] = []
        totals_at, last = -1, len(others) - 1
        for t in range(p.question_turns):
            signals["turn"], signals["turns_left"] = t, p.question_turns - 1 - t
            if t == scripted_at:
                yield from self._scripted("questions")
            # the three hooks of a turn as _hook does them, checked only if they have events for this
            # member (most members have none of the traits that before-turn events need)
            table = asking_at[t]
            if events := table.by_kind.get(signals["kind"], table.ungated):
                yield from self._happen(events, None)
            if totals_at != self._weights_changed:
                # the weights change only through effects that say so (and at a slot's start): added
                # up again only after those, not at every turn
                totals, totals_at = self._speaking_totals(others), self._weights_changed
            speaker = others[bisect_right(totals, self.rng.random() * totals[last], 0, last)]
            signals["instead"] = False
            table = speaker.tables["before-turn"]
            if events := table.by_kind.get(signals["kind"], table.ungated):
                yield from self._happen(events, speaker)
            if signals["instead"]:
                continue
            kind = self._turn_kind(speaker)
            if kind in QUESTION_TYPES:
                signals["run"] = signals["run"] + 1 if signals["run_speaker"] == speaker.id else 1
                signals["run_speaker"] = speaker.id
            else:
                signals["run"], signals["run_speaker"] = 0, ""
            signals["kind"] = kind
            table = speaker.tables["after-turn"]
            if events := table.by_kind.get(kind, table.ungated):
                yield from self._happen(events, speaker)

        self.airtime = {}
        self.phase = "summary"
        self._speak(pres.id, "summary", p.seconds_summary)
        yield from self._scripted("summary")
        self.phase = "actions"
        yield from self._scripted("actions")
        specific = self.rng.random() < clamp(pres.commitment * (0.4 + 0.8 * pres.insight))
        owned = True
        if not specific:
            decided = len(self.decisions)
            outcome = yield from self._hook("vague-action", pres)
            if outcome in ("resolved", "set") and len(self.decisions) > decided:
                specific = True
                owned = not self.book.moves[self.decisions[-1].intervention.move].prescribes
        if specific:
            self._speak(pres.id, "action", p.seconds_action)
        commitment = pres.commitment * (1.0 if owned else p.owned_factor)
        pres.actions.append(Action(self.meeting, specific, owned, commitment))

    def _close_meeting(self, start_row: int, start_decision: int, present: list[Member],
                       insight_gains: list[float], presenters: list[str]) -> None:
        p, s, rng = self.p, self.set, self.rng
        rows = self.rows[start_row:]
        records = self.decisions[start_decision:]  # a meeting's decisions follow the last meeting's
        outcome = meeting_outcome(self.meeting, rows, [m.id for m in present], records, insight_gains,
                                  self.members, presenters, s.autonomy, s.awareness, s.adherence,
                                  s.cohesion, s.collusion, len(self.members))
        usefulness = clamp(0.5 * sum(insight_gains) / max(1, len(insight_gains)) / 0.3
                           + 0.3 * outcome.open_share + 0.2 * s.cohesion)
        org = self.scenario.organisation
        support = 1.0 - p.support_weight + p.support_weight * org.support
        done = 0
        for m in self.members:
            if m.present:
                m.attendance = clamp(m.attendance + p.attendance_rate * (usefulness - p.usefulness_neutral))
                m.energy = clamp(m.energy + 0.5 * p.attendance_rate * (usefulness - p.usefulness_neutral))
            m.energy = clamp(m.energy - 0.05 * org.pressure)
            m.dependence = clamp(m.dependence - p.dependence_decay * s.autonomy)
            if m.actions and m.actions[-1].meeting == self.meeting:
                action = m.actions[-1]
                chance = p.completion_base * clamp(action.commitment
                                                   + p.insight_carry * max(0.0, m.insight - 0.5))
                chance *= support * (1.0 if action.specific else p.vague_factor)
                completed = rng.random() < clamp(chance)
                action.completed = completed
                done += completed
                m.energy = clamp(m.energy + (p.energy_done if completed else -p.energy_undone))
                m.commitment = clamp(m.commitment + (0.03 if completed else -0.02))
        outcome.actions_completed = done
        outcome.usefulness = usefulness
        self.meetings.append(outcome)


def drive(steps: Steps, policy: Policy) -> None:
    """Run a programme's steps to the end, asking ``policy`` at each decision."""
    try:
        decision = next(steps)
        while True:
            decision = steps.send(policy(decision))
    except StopIteration:
        return


def run(scenario: Scenario, policy: Policy, seed: int | None = None,
        parameters: Parameters | None = None) -> Result:
    """Play a whole programme with an adviser ``policy``; deterministic for a given seed."""
    sim = Simulation(scenario, seed, parameters)
    drive(sim.steps(), policy)
    return sim.result()

