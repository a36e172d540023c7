"""Built-in adviser policies: what a set adviser of a given style does at each decision.

>>> from alcourse.simulation.engine import Decision
>>> d = Decision(0, 1, 5, "questions", "advice-as-question", "dev", "Dev", "amira", "hierarchical",
...              0.1, 0.1, 0.3, 0.4, 10, 0, ("dev", "amira"))
>>> POLICIES["hands-off"](d).move, POLICIES["directive"](d).move, POLICIES["adaptive"](d).move
('none', 'prescriptive', 'confronting')
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from alcourse.errors import NotFound
from alcourse.simulation.engine import HANDS_OFF, Decision, Intervention, Policy
from alcourse.simulation.vocabulary import DIRECTIVE, FIT, MOVES, TARGET_SET

PRESENTER_EVENTS = frozenset({"puzzle-as-problem", "solution-as-problem", "rambling-presenter",
                              "defensive-presenter", "no-action"})
SET_MOVES = frozenset({"round", "pause", "timebox", "recontract", "hand-over"})


def _target(decision: Decision, move: str) -> str:
    if move in SET_MOVES or decision.member == TARGET_SET:
        return TARGET_SET
    return decision.member


def hands_off(decision: Decision) -> Intervention:
    """Never intervene: the set is left to find its own way."""
    return Intervention("none")


DIRECTIVE_CHOICE = {
    "no-action": "prescriptive", "process-review": "informative", "expert-request": "informative",
    "withdrawal": "prescriptive", "defensive-presenter": "confronting", "rapid-fire": "prescriptive",
    "dominance": "prescriptive", "side-talk": "prescriptive", "absence": "recontract",
    "pulling-rank": "confronting", "puzzle-as-problem": "informative", "rambling-presenter": "timebox",
}


def always_directive(decision: Decision) -> Intervention:
    """Take charge at every event: tell, inform or confront, and run the review yourself."""
    move = DIRECTIVE_CHOICE.get(decision.event, "prescriptive")
    return Intervention(move, _target(decision, move))


def _best(event: str, allowed: Callable[[str], bool]) -> str:
    row = FIT.get(event, {})
    options = [(value, move) for move, value in row.items() if allowed(move)]
    return max(options)[1] if options else "catalytic"


# chosen once: adaptive asks at every decision of every programme, and the fits are fixed
BEST = {event: _best(event, lambda m: True) for event in FIT}
BEST_NON_DIRECTIVE = {event: _best(event, lambda m: m not in DIRECTIVE) for event in FIT}


# the answers adaptive gives to the whole set, made once (an Intervention is immutable)
HAND_OVER, CATALYTIC = Intervention("hand-over"), Intervention("catalytic")


def adaptive(decision: Decision) -> Intervention:
    """Fit the move to the event and the set's stage; stand back more as the set matures.

    Early on it uses the best-fitting move, directive or not. Once the set is
    co-operative it avoids directive moves and leaves minor events to the set
    when it has process awareness. From the middle of the programme it hands the
    process review to the set.
    """
    event = decision.event
    late = decision.meeting > decision.meetings // 2
    if event == "process-review":
        if late or decision.awareness >= 0.35:
            return HAND_OVER
        return CATALYTIC
    if event == "expert-request":
        return Intervention("catalytic", decision.member)
    minor = event in ("rapid-fire", "side-talk", "leading-question")
    if minor and decision.turns_since_intervention < 4:
        return HANDS_OFF
    if decision.stage != "hierarchical" and decision.awareness > 0.5 and minor:
        return HANDS_OFF
    best = BEST if decision.stage == "hierarchical" else BEST_NON_DIRECTIVE
    move = best.get(event, "catalytic")  # an event of a scenario's own has no fits here
    return Intervention(move, _target(decision, move))


def random_policy(seed: int) -> Policy:
    """Choose any move and target at random: for testing that every path runs."""
    rng = random.Random(seed)

    def choose(decision: Decision) -> Intervention:
        move = rng.choice(MOVES)
        target = rng.choice((TARGET_SET, *decision.present))
        return Intervention(move, target)

    return choose


def scripted(choices: Sequence[Intervention], then: Policy = hands_off) -> Policy:
    """Play ``choices`` in order, then fall back on ``then``."""
    queue = list(choices)

    def choose(decision: Decision) -> Intervention:
        return queue[decision.index] if decision.index < len(queue) else then(decision)

    return choose


POLICIES: dict[str, Policy] = {
    "hands-off": hands_off,
    "directive": always_directive,
    "adaptive": adaptive,
}
POLICY_HELP = {
    "hands-off": "never intervenes",
    "directive": "takes charge at every event and runs the review",
    "adaptive": "fits the move to the event and the stage, and hands over as the set matures",
    "random": "any move at random (seeded): a baseline",
}


def policy(name: str, seed: int = 0) -> Policy:
    """A built-in policy by name: hands-off, directive, adaptive or random."""
    if name == "random":
        return random_policy(seed)
    try:
        return POLICIES[name]
    except KeyError:
        raise NotFound(f"no policy {name!r}; allowed: {', '.join([*POLICIES, 'random'])}") from None
