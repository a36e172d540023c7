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
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from alcourse.simulation.outcomes import MeetingOutcome, ProgrammeOutcome, meeting_outcome, programme_outcome
from alcourse.simulation.parameters import FIT, Parameters, fit
from alcourse.simulation.scenario import MemberSpec, Scenario
from alcourse.simulation.vocabulary import DIRECTIVE, EVENTS, MOVES, TARGET_SET

ADVISER = "adviser"
RULE_EVENTS = frozenset(e.id for e in EVENTS.values() if e.rule)
ADVICE_EVENTS = frozenset({"advice-as-question", "pulling-rank"})
QUESTIONS = ("open-question", "closed-question", "advice-question")
# Raised at most once per meeting (others once per presenter slot): a trainee meets the
# pattern, not every instance of it.
PER_MEETING = frozenset({"dominance", "leading-question", "rapid-fire", "defensive-presenter",
                         "storytelling", "side-talk", "withdrawal", "expert-request", "pulling-rank",
                         "absence"})

# Row layout of the raw turn records (tuples are several times cheaper than objects here).
COLUMNS = ("meeting", "phase", "presenter", "speaker", "turn_type", "seconds", "event", "move",
           "target", "outcome", "text_key", "text_index", "say")
MEETING, PHASE, PRESENTER, SPEAKER, TURN, SECONDS, EVENT, MOVE, TARGET, OUTCOME = range(10)


def clamp(value: float) -> float:
    """Keep a probability or a level within [0, 1]."""
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def stage_of(autonomy: float) -> str:
    """Heron's facilitation stages, read off the set's autonomy."""
    if autonomy < 1 / 3:
        return "hierarchical"
    return "co-operative" if autonomy < 2 / 3 else "autonomous"


@dataclass(frozen=True)
class Intervention:
    """What the adviser does: a move aimed at one member or at the whole set.

    >>> Intervention("catalytic", "set")
    Intervention(move='catalytic', target='set')
    """

    move: str
    target: str = TARGET_SET

    def __post_init__(self) -> None:
        if self.move not in MOVES:
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

    @property
    def cue(self) -> str:
        """What the trainee notices, in words."""
        return EVENTS[self.event].cue.format(name=self.member_name)


@dataclass(frozen=True)
class DecisionRecord:
    decision: Decision
    intervention: Intervention
    outcome: str
    """``resolved`` (the move worked), ``unresolved``, or ``set`` (the set handled it itself)."""


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
    rows: list[tuple[Any, ...]]
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


Policy = Callable[[Decision], Intervention]
Steps = Generator[Decision, Intervention, None]


class Simulation:
    """One programme for one scenario and seed. Use :meth:`steps` or :func:`run`."""

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 parameters: Parameters | None = None) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.p = parameters or scenario.model_parameters()
        self.fit_table = _merged_fit(scenario.fit)
        self.rng = random.Random(self.seed)
        self.members = [Member.from_spec(m) for m in scenario.members]
        self.by_id = {m.id: m for m in self.members}
        p = self.p
        self.set = SetState(p.start_adherence, p.start_cohesion, p.start_collusion,
                            p.start_autonomy, p.start_awareness)
        self.rows: list[tuple[Any, ...]] = []
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
        self.stuck = False
        self.airtime: dict[str, float] = {}
        """Seconds each non-presenting member has spoken in the current slot."""

    def result(self) -> Result:
        """What has happened so far (the whole programme once :meth:`steps` is exhausted)."""
        return Result(self.scenario, self.seed, self.rows, self.decisions, self.meetings, self.programme,
                      self.finished)

    # ----- recording
    def _say(self, speaker: str, turn_type: str, seconds: float, *, text_key: str | None = None,
             event: str = "", move: str = "", target: str = "", outcome: str = "",
             say: str | None = None) -> None:
        self.turn_counter += 1
        if speaker in self.airtime:
            self.airtime[speaker] += seconds
        presenter = self.presenter.id if self.presenter is not None else ""
        self.rows.append((self.meeting, self.phase, presenter, speaker, turn_type, seconds, event, move,
                          target, outcome, text_key or turn_type, self.turn_counter, say))

    def _seconds(self, mean: float, scale: float = 1.0) -> float:
        spread = self.p.talk_spread
        return round(mean * scale * (1.0 + spread * (2.0 * self.rng.random() - 1.0)), 1)

    def present(self) -> list[Member]:
        return [m for m in self.members if m.present]

    # ----- deciding
    def _decide(self, event: str, member: Member | None) -> Generator[Decision, Intervention, str]:
        """Yield a decision, apply the adviser's answer, return the outcome."""
        present = self.present()
        decision = Decision(
            index=len(self.decisions), meeting=self.meeting, meetings=self.scenario.meetings,
            phase=self.phase, event=event, member=member.id if member else TARGET_SET,
            member_name=member.name if member else "The set",
            presenter=self.presenter.id if self.presenter else "", stage=stage_of(self.set.autonomy),
            autonomy=self.set.autonomy, awareness=self.set.awareness, adherence=self.set.adherence,
            dependence=sum(m.dependence for m in present) / max(1, len(present)),
            turns_since_intervention=self.turn_counter - self.last_intervention,
            interventions_this_meeting=self.meeting_interventions,
            present=tuple(m.id for m in present),
        )
        intervention = yield decision
        if not isinstance(intervention, Intervention):
            raise TypeError(f"expected an Intervention, got {intervention!r}")
        if intervention.target != TARGET_SET and intervention.target not in self.by_id:
            raise ValueError(f"unknown target {intervention.target!r}; allowed: 'set' or a member id")
        outcome = self._apply(event, member, intervention)
        self.decisions.append(DecisionRecord(decision, intervention, outcome))
        return outcome

    def _apply(self, event: str, member: Member | None, iv: Intervention) -> str:
        p, s, rng = self.p, self.set, self.rng
        move = iv.move
        present = self.present()
        if move == "none":
            if event == "process-review":
                return "unresolved"
            chance = clamp(p.self_correct_base
                           + p.self_correct_awareness * s.awareness * (0.5 + 0.5 * s.autonomy))
            if rng.random() < chance:
                helper = max((m for m in present if m is not member and m is not self.presenter),
                             key=lambda m: m.questioning, default=None)
                if helper is not None:
                    self._say(helper.id, "comment", self._seconds(p.seconds_question),
                              text_key="self-correct", event=event, outcome="set")
                s.autonomy = clamp(s.autonomy + p.autonomy_self)
                for m in present:
                    m.dependence = clamp(m.dependence - p.dependence_relief)
                self._resolved(event, member, move)
                return "set"
            self._unresolved(event, member, move)
            return "unresolved"
        directive = move in DIRECTIVE
        target = iv.target
        self._say(ADVISER, "adviser", self._seconds(p.seconds_directive if directive else p.seconds_adviser),
                  text_key=move, event=event, move=move, target=target)
        effect = fit(event, move, self.fit_table)
        if directive:
            effect *= max(0.3, 1.0 + p.directive_early * (1.0 - 3.0 * s.autonomy))
            s.autonomy = clamp(s.autonomy - p.directive_erosion * s.autonomy)
        if move == "hand-over" and s.awareness < p.handover_awareness:
            effect *= p.handover_floundering
        if self.turn_counter - self.last_intervention < p.crowding_gap:
            effect *= p.crowding_factor
        if member is not None and target not in (TARGET_SET, member.id):
            effect *= 0.5  # aimed at the wrong person
        self.last_intervention = self.turn_counter
        self.meeting_interventions += 1
        if move == "hand-over":
            for m in present:
                m.dependence = clamp(m.dependence - 2 * p.dependence_relief)
        else:
            step = p.dependence_step * (2.0 if directive else 1.0) * (1.0 - s.autonomy)
            for m in present:
                m.dependence = clamp(m.dependence + step)
        if rng.random() < clamp(effect):
            self._resolved(event, member, move)
            self._mark_last("resolved")
            return "resolved"
        if move == "confronting" and member is not None and member.trust < 0.5:
            member.trust = clamp(member.trust - p.trust_loss)
        self._unresolved(event, member, move)
        self._mark_last("unresolved")
        return "unresolved"

    def _mark_last(self, outcome: str) -> None:
        for i in range(len(self.rows) - 1, -1, -1):
            if self.rows[i][SPEAKER] == ADVISER and self.rows[i][MOVE]:
                self.rows[i] = (*self.rows[i][:OUTCOME], outcome, *self.rows[i][OUTCOME + 1:])
                return

    def _resolved(self, event: str, member: Member | None, move: str) -> None:
        p, s = self.p, self.set
        pres = self.presenter
        s.cohesion = clamp(s.cohesion + p.cohesion_gain)
        if event in RULE_EVENTS:
            s.adherence = clamp(s.adherence + p.adherence_gain)
            s.awareness = clamp(s.awareness + p.awareness_event)
            if member is not None:
                member.advice = clamp(member.advice - p.advice_loss)
                member.questioning = clamp(member.questioning + p.skill_gain)
        if event in ADVICE_EVENTS or event == "leading-question":
            s.collusion = clamp(s.collusion - p.collusion_loss)
        if event in ("advice-as-question", "leading-question", "storytelling") and member is not None:
            self._question(member, "open-question")
        elif event == "rapid-fire" and pres is not None:
            self._say(TARGET_SET, "silence", self._seconds(20.0), text_key="silence")
            pres.insight = clamp(pres.insight + p.insight_silence * (1 - pres.insight))
        elif event == "dominance" and member is not None:
            member.weight = 0.3
            for m in self.present():
                if "quiet" in m.traits:
                    m.weight = 1.6
        elif event == "pulling-rank":
            for m in self.present():
                if m is not member:
                    m.trust = clamp(m.trust + p.trust_gain / 2)
        elif event == "withdrawal" and member is not None:
            member.trust = clamp(member.trust + p.trust_gain)
            member.energy = clamp(member.energy + p.trust_gain / 2)
            member.weight = 1.5
        elif event in ("puzzle-as-problem", "solution-as-problem") and pres is not None:
            pres.insight = clamp(pres.insight + p.insight_reframe)
            pres.kind = "problem"
            self.stuck = False
        elif event == "rambling-presenter" and pres is not None:
            pres.insight = clamp(pres.insight + p.insight_silence)
        elif event == "defensive-presenter" and pres is not None:
            pres.trust = clamp(pres.trust + p.trust_gain)
        elif event == "expert-request":
            if move in ("informative", "prescriptive"):
                for m in self.present():
                    m.dependence = clamp(m.dependence + 2 * p.dependence_step)
            else:
                s.autonomy = clamp(s.autonomy + p.autonomy_self / 2)
                for m in self.present():
                    m.dependence = clamp(m.dependence - p.dependence_relief)
        elif event == "side-talk":
            s.cohesion = clamp(s.cohesion + p.cohesion_gain)
        elif event == "absence" and member is not None:
            member.attendance = clamp(member.attendance + p.attendance_rate / 3)
        elif event == "process-review":
            s.awareness = clamp(s.awareness + p.awareness_review)
            if move == "hand-over":
                s.autonomy = clamp(s.autonomy + p.autonomy_handover)
            else:
                s.autonomy = clamp(s.autonomy + p.autonomy_review)
        if move in ("supportive", "cathartic") and member is not None:
            member.trust = clamp(member.trust + p.trust_gain / 2)

    def _unresolved(self, event: str, member: Member | None, move: str) -> None:
        p, s = self.p, self.set
        pres = self.presenter
        if event in RULE_EVENTS:
            s.adherence = clamp(s.adherence - p.adherence_loss * (1.0 if move == "none" else 0.5))
        if event in ADVICE_EVENTS:
            s.collusion = clamp(s.collusion + p.collusion_gain)
            if pres is not None:
                pres.trust = clamp(pres.trust - p.trust_loss / 3)
        if event == "withdrawal" and member is not None:
            member.energy = clamp(member.energy - p.energy_undone)
            member.attendance = clamp(member.attendance - p.attendance_rate / 6)
        elif event in ("puzzle-as-problem", "solution-as-problem"):
            self.stuck = True
        elif event == "rambling-presenter" and pres is not None:
            self._say(pres.id, "account", self._seconds(self.p.seconds_account, 1.5))
            for m in self.present():
                m.energy = clamp(m.energy - p.energy_undone / 2)
        elif event == "defensive-presenter" and pres is not None:
            pres.trust = clamp(pres.trust - p.trust_loss)
        elif event == "expert-request":
            for m in self.present():
                m.trust = clamp(m.trust - p.trust_loss / 3)
        elif event == "absence" and member is not None:
            member.attendance = clamp(member.attendance - p.attendance_rate / 6)
        elif event == "process-review":
            s.awareness = clamp(s.awareness + p.awareness_review / 3)

    # ----- the meeting
    def _question(self, speaker: Member, kind: str) -> None:
        """A question and the presenter's answer, with the presenter's insight changing."""
        p, pres = self.p, self.presenter
        self._say(speaker.id, kind, self._seconds(p.seconds_question), text_key=kind)
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
        pres.insight = clamp(pres.insight + gain * (1.0 - pres.insight) if gain > 0 else pres.insight + gain)
        self._say(pres.id, "answer", self._seconds(p.seconds_answer, 1.3 if kind == "open-question" else 0.7))

    def _scripted(self, phase: str) -> Generator[Decision, Intervention, None]:
        for moment in self.scenario.moments:
            if moment.meeting != self.meeting or moment.phase != phase:
                continue
            member = self.by_id[moment.member]
            if not member.present:
                continue
            turn = {"advice-as-question": "advice-question", "leading-question": "closed-question",
                    "pulling-rank": "advice", "storytelling": "story", "side-talk": "side-talk",
                    "expert-request": "comment"}.get(moment.event, "account" if member is self.presenter
                                                     else "comment")
            self._say(member.id, turn, self._seconds(self.p.seconds_question, 1.5), event=moment.event,
                      say=moment.says)
            (self.meeting_events if moment.event in PER_MEETING else self.slot_events).add(moment.event)
            if moment.event in ("puzzle-as-problem", "solution-as-problem") and member is self.presenter:
                member.kind = "problem"  # the scripted line stands in for the engine's own
            yield from self._decide(moment.event, member)

    def _event(self, event: str, member: Member) -> Steps:
        """Raise an event once per slot (or per meeting): later repeats are part of one pattern."""
        seen = self.meeting_events if event in PER_MEETING else self.slot_events
        if event in seen:
            return
        seen.add(event)
        yield from self._decide(event, member)

    def steps(self) -> Steps:
        """The whole programme; yields a :class:`Decision` at each event."""
        for number in range(1, self.scenario.meetings + 1):
            yield from self._meeting(number)
        self.programme = programme_outcome(self.meetings, self.members)
        self.finished = True

    def _attend(self) -> list[Member]:
        rng = self.rng
        # a scripted moment happens as written, so its member comes to that meeting
        scripted = {moment.member for moment in self.scenario.moments if moment.meeting == self.meeting}
        for m in self.members:
            m.present = rng.random() < m.attendance or m.id in scripted
            m.weight = 1.0
        present = self.present()
        if len(present) < 3:  # a set this small would be re-scheduled; the keenest come anyway
            for m in sorted(self.members, key=lambda m: -m.attendance):
                if len(present) >= 3:
                    break
                if not m.present:
                    m.present = True
                    present.append(m)
        return self.present()

    def _meeting(self, number: int) -> Steps:
        p, rng = self.p, self.rng
        self.meeting, self.presenter, self.phase = number, None, "check-in"
        self.meeting_events, self.slot_events = set(), set()
        self.meeting_interventions = 0
        self.last_intervention = self.turn_counter - 100
        start_row = len(self.rows)
        present = self._attend()
        for m in self.members:
            if not m.present:
                m.absences += 1
                self._say(ADVISER, "adviser", 5.0, text_key="apologies", target=m.id)
                if m.absences >= 2:
                    yield from self._event("absence", m)
        for m in present:
            last = m.actions[-1] if m.actions else None
            key = "check-in"
            if last is not None and last.meeting == number - 1:
                key = "check-in-done" if last.completed else "check-in-undone"
            self._say(m.id, "check-in", self._seconds(p.seconds_check_in, 0.6 + 0.8 * m.talkativeness),
                      text_key=key)
        yield from self._scripted("check-in")
        self.phase = "bids"
        for m in present:
            self._say(m.id, "bid", self._seconds(p.seconds_bid))
        yield from self._scripted("bids")
        order = sorted(present, key=lambda m: (m.presented, -(m.spec.problem.stakes * m.energy
                                                              + 0.3 * rng.random())))
        presenters = order[:min(p.slots_per_meeting, max(1, len(present) - 2))]
        insight_gains = []
        for pres in presenters:
            before = pres.insight
            yield from self._slot(pres)
            insight_gains.append(pres.insight - before)
        self.presenter = None
        self.phase = "review"
        yield from self._scripted("review")
        review = yield from self._decide("process-review", None)
        decision = self.decisions[-1]
        if decision.intervention.move != "none":
            leader = decision.intervention.move == "hand-over"
            speakers = present if review != "unresolved" else present[:2]
            for i, m in enumerate(speakers):
                self._say(m.id, "review", self._seconds(p.seconds_review),
                          text_key="review-lead" if leader and i == 0 else "review")
        self._close_meeting(start_row, present, insight_gains, [m.id for m in presenters])

    def _pick(self, candidates: list[Member]) -> Member:
        weights = []
        total = 0.0
        for m in candidates:
            w = (0.2 + m.talkativeness) * (0.3 + m.energy) * m.weight
            if "dominant" in m.traits and m.weight >= 1.0:
                w *= self.p.dominant_weight
            if "quiet" in m.traits:
                w *= 0.5
            total += w
            weights.append(total)
        x = self.rng.random() * total
        for m, edge in zip(candidates, weights, strict=True):
            if x < edge:
                return m
        return candidates[-1]

    def _slot(self, pres: Member) -> Steps:
        p, s, rng = self.p, self.set, self.rng
        self.presenter, self.slot_events, self.stuck = pres, set(), False
        pres.presented += 1
        for m in self.members:
            m.weight = 1.0
        self.phase = "account"
        self._say(pres.id, "account", self._seconds(p.seconds_account), text_key="account-open")
        if pres.kind == "puzzle":
            yield from self._event("puzzle-as-problem", pres)
        elif pres.kind == "solution":
            yield from self._event("solution-as-problem", pres)
        if "rambler" in pres.traits and rng.random() < p.ramble_rate:
            self._say(pres.id, "account", self._seconds(p.seconds_account, 1.6))
            yield from self._event("rambling-presenter", pres)
        for _ in range(p.account_turns - 1):
            self._say(pres.id, "account", self._seconds(p.seconds_account))
        yield from self._scripted("account")

        self.phase = "questions"
        others = [m for m in self.present() if m is not pres]
        airtime = self.airtime = dict.fromkeys((m.id for m in others), 0.0)
        run_speaker, run_length = "", 0
        expert_at = p.question_turns // 2
        quiet_check = max(1, p.question_turns - 3)
        scripted_at = min(2, p.question_turns - 1)
        for t in range(p.question_turns):
            if t == scripted_at:
                yield from self._scripted("questions")
            if t == expert_at:
                mean_dep = sum(m.dependence for m in self.present()) / len(self.present())
                seeker = next((m for m in others if "expert-seeker" in m.traits), None)
                chance = p.expert_rate * mean_dep * (1.6 if seeker else 1.0)
                if rng.random() < chance:
                    asker = seeker or max(others, key=lambda m: m.dependence)
                    self._say(asker.id, "comment", self._seconds(p.seconds_question), text_key="comment",
                              event="expert-request")
                    yield from self._event("expert-request", asker)
            if t == quiet_check:
                for m in others:
                    if airtime[m.id] == 0.0 and m.trust < p.withdrawal_trust:
                        yield from self._event("withdrawal", m)
                        break
            speaker = self._pick(others)
            if "side-talker" in speaker.traits and rng.random() < p.side_talk_rate * 4:
                self._say(speaker.id, "side-talk", self._seconds(15.0))
                yield from self._event("side-talk", speaker)
                continue
            w_open = speaker.questioning * (0.6 + 0.4 * s.adherence)
            w_closed = p.closed_weight * (1.0 - speaker.questioning)
            w_advice = p.advice_pull * speaker.advice * (1.0 - p.adherence_guard * s.adherence)
            w_comment = p.comment_weight * (1.0 - speaker.challenge) * (0.5 + s.collusion)
            x = rng.random() * (w_open + w_closed + w_advice + w_comment)
            if "storyteller" in speaker.traits and rng.random() < p.story_rate * 3:
                self._say(speaker.id, "story", self._seconds(p.seconds_advice, 1.5), event="storytelling")
                kind = "story"
            elif x < w_open:
                kind = "open-question"
                self._question(speaker, kind)
            elif x < w_open + w_closed:
                kind = "closed-question"
                self._question(speaker, kind)
            elif x < w_open + w_closed + w_advice:
                if "rank-puller" in speaker.traits and rng.random() < p.rank_rate:
                    kind = "advice"
                    self._say(speaker.id, "advice", self._seconds(p.seconds_advice), event="pulling-rank")
                    pres.insight = clamp(pres.insight + p.insight_advice)
                else:
                    kind = "advice-question"
                    self._question(speaker, kind)
            else:
                kind = "comment"
                self._say(speaker.id, "comment", self._seconds(p.seconds_question, 1.5))
                s.collusion = clamp(s.collusion + p.collusion_gain * (1.0 - speaker.challenge))
            if kind in QUESTIONS:
                run_length = run_length + 1 if run_speaker == speaker.id else 1
                run_speaker = speaker.id
            else:
                run_speaker, run_length = "", 0
            if kind == "story":
                yield from self._event("storytelling", speaker)
            elif kind == "advice":
                yield from self._event("pulling-rank", speaker)
            elif kind == "advice-question":
                self._tag_last_question(speaker.id, "advice-as-question")
                yield from self._event("advice-as-question", speaker)
            elif kind == "closed-question":
                if rng.random() < p.leading_share:
                    self._tag_last_question(speaker.id, "leading-question")
                    yield from self._event("leading-question", speaker)
                if pres.trust < p.defensive_trust or "defensive" in pres.traits:
                    if rng.random() < 0.5:
                        yield from self._event("defensive-presenter", pres)
            if run_length >= p.rapid_fire_run:
                yield from self._event("rapid-fire", speaker)
                run_speaker, run_length = "", 0
            total = sum(airtime.values())
            if t >= 4 and total > 0 and len(others) > 2:
                top = max(others, key=lambda m: airtime[m.id])
                if airtime[top.id] / total > p.dominance_share:
                    yield from self._event("dominance", top)

        self.airtime = {}
        self.phase = "summary"
        self._say(pres.id, "summary", self._seconds(p.seconds_summary))
        yield from self._scripted("summary")
        self.phase = "actions"
        yield from self._scripted("actions")
        specific = rng.random() < clamp(pres.commitment * (0.4 + 0.8 * pres.insight))
        owned = True
        if not specific:
            self._say(pres.id, "action", self._seconds(p.seconds_action), text_key="action-vague")
            outcome = yield from self._decide("no-action", pres)
            if outcome in ("resolved", "set"):
                specific = True
                owned = self.decisions[-1].intervention.move != "prescriptive"
        if specific:
            self._say(pres.id, "action", self._seconds(p.seconds_action))
        commitment = pres.commitment * (1.0 if owned else p.owned_factor)
        pres.actions.append(Action(self.meeting, specific, owned, commitment))

    def _tag_last_question(self, speaker: str, event: str) -> None:
        for i in range(len(self.rows) - 1, -1, -1):
            if self.rows[i][SPEAKER] == speaker:
                self.rows[i] = (*self.rows[i][:EVENT], event, *self.rows[i][EVENT + 1:])
                return

    def _close_meeting(self, start_row: int, present: list[Member], insight_gains: list[float],
                       presenters: list[str]) -> None:
        p, s, rng = self.p, self.set, self.rng
        rows = self.rows[start_row:]
        records = [d for d in self.decisions if d.decision.meeting == self.meeting]
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


def _merged_fit(overrides: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    if not overrides:
        return FIT
    merged = {event: dict(row) for event, row in FIT.items()}
    for event, row in overrides.items():
        merged.setdefault(event, {}).update(row)
    return merged


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

