"""What people say in a simulated meeting: sentence templates, filled in when a transcript is shown.

The engine records only a template number per turn, so batch runs pay nothing
for the words. Templates use ``{presenter}``, ``{name}``, ``{problem}``,
``{action}`` and ``{target}``.

>>> render("open-question", 0, presenter="Amira", problem="discharge delays")
'Amira, what would be different if this were solved?'
"""

from __future__ import annotations

import string

from alcourse.simulation.rulebook import default_rulebook

TEMPLATES: dict[str, tuple[str, ...]] = {
    "check-in-first": (
        "Busy month. Good to have the time set aside for this.",
        "I'm a bit distracted today: we had an inspection visit this week.",
        "I'm curious how this will work. I've not been in a set before.",
        "Honestly, I nearly didn't come. It's been relentless.",
    ),
    "check-in": (
        "Busy month. Good to be here and have the time.",
        "I'm a bit distracted today: we had an inspection visit this week.",
        "Glad to be back. What we talked about last time stayed with me.",
        "Honestly, I nearly didn't come. It's been relentless.",
    ),
    "check-in-done": (
        "Since last time I did what I said: {action}. It went better than I expected.",
        "I followed through on {action}. I learned more from what went wrong than what went right.",
    ),
    "check-in-undone": (
        "I didn't get to {action}. Things overtook me.",
        "I meant to {action}, but it slipped.",
    ),
    "bid": (
        "I'd like some time today, if there's room. Mine is this: {problem}",
        "Mine can wait, but it is getting urgent: {problem}",
        "Something small from me: {problem}",
    ),
    "account-open": ("Let me set the scene. {problem}",),
    "account": (
        "The short version: it keeps happening, and I'm the one who gets asked about it.",
        "What worries me most is who loses if this goes wrong.",
        "I've tried a couple of things already and they haven't stuck.",
        "There's a lot of history here, going back years, and several teams involved...",
    ),
    "answer": (
        "That's a good question. I suppose I haven't asked them directly.",
        "Yes. Well, mostly yes.",
        "I hadn't thought of it that way. The real block might be me.",
        "Hmm. I'm not sure. Let me think about that.",
    ),
    "open-question": (
        "{presenter}, what would be different if this were solved?",
        "What have you already tried, and what happened?",
        "Who else cares about this, and what do they want?",
        "What is stopping you?",
        "What do you feel when you think about raising it with them?",
        "Who knows the most about this, and who can make it happen?",
    ),
    "closed-question": (
        "Have you spoken to your manager about it?",
        "Don't you think the rota is the real issue?",
        "Is it a money problem?",
        "Surely the team would back you on that?",
    ),
    "advice-question": (
        "Have you thought about just escalating it?",
        "Wouldn't it be easier to run a pilot on one ward first?",
        "Why don't you set up a working group?",
        "Have you considered bringing in the improvement team?",
    ),
    "advice": (
        "In my experience, and I've been doing this twenty years, you simply mandate it.",
        "When I was a director we just told them. It works.",
    ),
    "comment": (
        "That sounds really hard. You're doing brilliantly.",
        "I've been there. It's not you, it's the system.",
        "We're all in the same boat, honestly.",
    ),
    "story": (
        "That reminds me of what happened in my service last year. We had exactly this...",
        "Funny, I had something very similar. Let me tell you what we did...",
    ),
    "summary": (
        "So where I've got to is that this is partly about me, not just them.",
        "What I'm taking away: I need to find out who really owns this.",
    ),
    "action": (
        "Before next time I will {action}.",
        "My action: {action}, by the end of the month.",
    ),
    "action-vague": (
        "I'll think about it.",
        "I'll see how things go.",
    ),
    "review": (
        "I noticed we asked better questions in the second slot.",
        "I caught myself giving advice again.",
        "It felt safer today. People said things they wouldn't say at work.",
        "We ran out of time for the second presenter's actions.",
    ),
    "review-lead": (
        "Shall I take us through the review? What did we do well, and what could we do better?",
    ),
    "silence": ("(a pause)",),
    "side-talk": ("(a murmured side conversation)",),
    "self-correct": (
        "Hang on, was that a question or a suggestion?",
        "Can we give {presenter} a moment before the next question?",
        "I think we've drifted. What question is {presenter} trying to answer?",
    ),
    "apologies": ("Apologies from {name}.",),
}


# The adviser's lines live with the moves (scenarios/model/moves.yaml), so a new move brings its words.
TEMPLATES.update({move.id: move.lines for move in default_rulebook().moves.values() if move.lines})
TEMPLATES.update({event.turn.key: event.turn.lines for event in default_rulebook().events.values()
                  if event.turn is not None and event.turn.lines and event.turn.key})


def render(key: str, index: int, lines: dict[str, tuple[str, ...]] | None = None, **values: str) -> str:
    """The sentence for template ``key`` number ``index`` (wrapping), filled with ``values``.

    ``lines`` are a scenario's own wordings, used before the course's.

    >>> render("catalytic", 0, target="raj")
    'Raj, what is it you most want to understand here?'
    """
    options = (lines or {}).get(key) or TEMPLATES[key]
    text = options[index % len(options)].format_map(_Default(values))
    return text[:1].upper() + text[1:]


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a template uses.

    >>> sorted(placeholders("{presenter}, what about {problem}?"))
    ['presenter', 'problem']
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "the set" if key == "target" else f"{{{key}}}"
