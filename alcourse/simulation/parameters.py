"""The model's numbers, each named and documented. Scenarios may override any of them.

The values are the course's own judgement, chosen so that the simulated sets
behave as the action-learning literature describes (see the book page
"How the set-meeting simulator works"); no published model of set meetings
exists to calibrate against.

>>> p = Parameters()
>>> p.question_turns
10
>>> p.with_overrides({"question_turns": 12}).question_turns
12
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def _p(default: float | int, doc: str, low: float = 0.0, high: float = 1.0) -> Any:
    return field(default=default, metadata={"doc": doc, "range": (low, high)})


# slots: the engine reads these at every turn, and an instance dict of 74 names is beyond what the
# interpreter's attribute caches serve
@dataclass(frozen=True, slots=True)
class Parameters:
    """Every tunable number in the model, with the range it may take."""

    # --- meeting structure
    slots_per_meeting: int = _p(2, "Presenter slots per meeting.", 1, 3)
    account_turns: int = _p(2, "Turns in the presenter's opening account.", 1, 6)
    question_turns: int = _p(10, "Questions and comments from the set in one presenter slot.", 4, 30)
    seconds_check_in: float = _p(70.0, "Mean length of a check-in turn (s).", 5, 600)
    seconds_bid: float = _p(25.0, "Mean length of a bid for time (s).", 5, 600)
    seconds_account: float = _p(110.0, "Mean length of a turn of the presenter's account (s).", 5, 900)
    seconds_question: float = _p(18.0, "Mean length of a question (s).", 2, 300)
    seconds_answer: float = _p(45.0, "Mean length of the presenter's answer (s).", 2, 600)
    seconds_advice: float = _p(40.0, "Mean length of advice or a story (s).", 2, 600)
    seconds_summary: float = _p(60.0, "Mean length of the presenter's summary (s).", 5, 600)
    seconds_action: float = _p(35.0, "Mean length of stating an action (s).", 5, 600)
    seconds_review: float = _p(40.0, "Mean length of a process-review contribution (s).", 5, 600)
    seconds_adviser: float = _p(20.0, "Mean length of a facilitative adviser intervention (s).", 2, 600)
    seconds_directive: float = _p(40.0, "Mean length of a directive adviser intervention (s).", 2, 600)
    talk_spread: float = _p(0.35, "Relative spread of turn lengths around their mean.", 0, 0.9)

    # --- what members say
    advice_pull: float = _p(1.2, "Weight of advice-laden turns at advice tendency 1.", 0, 5)
    adherence_guard: float = _p(0.7, "How far ground-rule adherence suppresses advice (0: not at all).")
    closed_weight: float = _p(0.5, "Weight of closed or leading questions for a member with no skill.", 0, 5)
    leading_share: float = _p(0.5, "Share of closed questions that lead the presenter to an answer.")
    comment_weight: float = _p(0.35, "Weight of supportive comments, scaled up by collusion.", 0, 5)
    story_rate: float = _p(0.08, "Chance a storyteller's turn becomes a story of their own.")
    side_talk_rate: float = _p(0.05, "Chance per slot that a side-talker starts a side conversation.")
    expert_rate: float = _p(0.5, "Chance per slot of 'tell us, you're the expert', times mean dependence.")
    rank_rate: float = _p(0.5, "Chance a rank-puller's advice invokes their seniority.")
    ramble_rate: float = _p(0.6, "Chance a rambler's account rambles.")
    rapid_fire_run: int = _p(3, "Questions in a row by one member that count as rapid fire.", 2, 10)
    dominance_share: float = _p(0.45, "Share of the set's airtime in a slot above which a member dominates.")
    dominant_weight: float = _p(2.5, "Extra speaking weight of a 'dominant' member.", 1, 10)
    withdrawal_trust: float = _p(0.4, "Trust below which a silent member is seen to withdraw.")
    defensive_trust: float = _p(0.45, "Presenter trust below which a closed question makes them defensive.")

    # --- presenter insight
    insight_open: float = _p(0.09, "Insight gained from an open question, before skill and trust scaling.")
    insight_closed: float = _p(0.02, "Insight gained from a closed question.")
    insight_advice: float = _p(-0.01, "Insight change from advice (advice closes thinking down).", -1, 1)
    insight_reframe: float = _p(0.2, "Insight gained when a puzzle or solution is reframed as a problem.")
    insight_silence: float = _p(0.05, "Insight gained from a pause in which the presenter thinks.")

    # --- adviser interventions
    directive_early: float = _p(0.35, "Boost to directive moves while the set is new, turning to a penalty "
                                       "as it grows autonomous.")
    directive_erosion: float = _p(0.08, "Autonomy lost per directive move, times current autonomy.")
    dependence_step: float = _p(0.01, "Dependence added per intervention (double if directive).")
    dependence_relief: float = _p(0.02, "Dependence removed when the set copes without the adviser.")
    crowding_gap: int = _p(3, "Turns since the last intervention below which it crowds in.", 0, 20)
    crowding_factor: float = _p(0.6, "Effectiveness multiplier when crowding in.")
    self_correct_base: float = _p(0.08, "Chance the set handles an event itself with no process awareness.")
    self_correct_awareness: float = _p(0.6, "Extra chance of self-correction at full process awareness "
                                             "and autonomy.")
    handover_awareness: float = _p(0.3, "Process awareness below which a hand-over flounders.")
    handover_floundering: float = _p(0.3, "Effectiveness multiplier of a premature hand-over.")

    # --- learning from interventions
    skill_gain: float = _p(0.06, "Questioning skill gained by a member whose rule-breaking is handled well.")
    advice_loss: float = _p(0.07, "Advice tendency lost by that member.")
    adherence_gain: float = _p(0.06, "Ground-rule adherence gained when a rule-breaking event is handled.")
    adherence_loss: float = _p(0.04, "Ground-rule adherence lost when one goes unchallenged.")
    collusion_gain: float = _p(0.03, "Collusion added by a supportive comment or unchallenged advice.")
    collusion_loss: float = _p(0.05, "Collusion removed when challenge is modelled.")
    cohesion_gain: float = _p(0.03, "Cohesion added by a well-handled event or a good review.")
    trust_gain: float = _p(0.08, "Trust gained by a member supported well.")
    trust_loss: float = _p(0.06, "Trust lost by a member confronted badly or exposed.")
    awareness_review: float = _p(0.1, "Process awareness gained from a process review.")
    awareness_event: float = _p(0.03, "Process awareness gained from a rule-breaking event handled well.")
    autonomy_review: float = _p(0.03, "Autonomy gained from a review the adviser runs.")
    autonomy_handover: float = _p(0.14, "Autonomy gained from a successful hand-over.")
    autonomy_self: float = _p(0.04, "Autonomy gained when the set corrects itself.")

    # --- between meetings
    completion_base: float = _p(0.9, "Chance a specific action is done at full commitment and support.")
    vague_factor: float = _p(0.35, "Completion multiplier for a vague action.")
    support_weight: float = _p(0.5, "How much organisational support matters to completing actions.")
    owned_factor: float = _p(0.6, "Commitment multiplier for an action the adviser prescribed.")
    attendance_rate: float = _p(0.35, "How far attendance follows the usefulness of the last meeting.")
    usefulness_neutral: float = _p(0.45, "Usefulness at which attendance neither rises nor falls.")
    dependence_decay: float = _p(0.12, "Dependence shed between meetings, times the set's autonomy.")
    energy_done: float = _p(0.06, "Energy gained by a member who completed their action.")
    energy_undone: float = _p(0.04, "Energy lost by a member who did not.")
    insight_carry: float = _p(0.5, "Share of a presenter's insight gain kept as commitment.")

    # --- the set at the start
    start_adherence: float = _p(0.35, "Ground-rule adherence at the first meeting.")
    start_cohesion: float = _p(0.3, "Cohesion at the first meeting.")
    start_collusion: float = _p(0.2, "Collusion at the first meeting.")
    start_autonomy: float = _p(0.05, "Autonomy at the first meeting (stage: hierarchical below 1/3, "
                                      "co-operative below 2/3, then autonomous).")
    start_awareness: float = _p(0.1, "Process awareness at the first meeting.")

    def with_overrides(self, overrides: dict[str, float]) -> Parameters:
        """A copy with some values changed (names and ranges checked by the scenario loader)."""
        kinds = {f.name: f.type for f in dataclasses.fields(self)}
        clean: dict[str, Any] = {k: (int(v) if kinds[k] in ("int", int) else float(v))
                                 for k, v in overrides.items()}
        return dataclasses.replace(self, **clean)


def parameter_fields() -> list[dataclasses.Field[Any]]:
    """The parameters in the order they are documented."""
    return list(dataclasses.fields(Parameters))


PARAMETER_NAMES = frozenset(f.name for f in dataclasses.fields(Parameters))
