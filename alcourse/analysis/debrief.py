"""The debrief: the same charts and advice for a simulated programme and for a real set's log.

Charts are matplotlib figures rendered to PNG, each with alt text that states
the data in words, so a screen-reader user gets what a sighted user sees.
Colours are paired with hatching, markers and direct labels: nothing relies on
colour alone.

>>> from alcourse.simulation import load_scenario, policy, run
>>> debrief = debrief_from_result(run(load_scenario("primary-care-practice-managers"),
...                                   policy("adaptive"), seed=2))
>>> [c.title for c in charts(debrief)]
['Airtime', 'Question mix', 'Adviser interventions', 'Actions', 'Dependence on the adviser']
>>> charts(debrief)[0].png[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any

from alcourse.render import part
from alcourse.simulation.outcomes import turn_measures
from alcourse.simulation.vocabulary import DIRECTIVE, HERON, MOVE_LABELS, STRUCTURAL

# Okabe-Ito colours: distinguishable with colour-vision deficiencies; hatches carry the meaning too.
OPEN, CLOSED, ADVICE, INK = "#0072B2", "#E69F00", "#D55E00", "#222222"
GINI_BOUND = 0.25
"""Airtime Gini above which the debrief suggests widening participation; graded criteria use the same."""
UNEVEN = "how unevenly members shared the talk (0: all equally; 1: one member spoke alone)"
"""The airtime Gini coefficient in words, for trainees who have never met one."""


@dataclass(frozen=True)
class Debrief:
    """What a debrief shows, from a simulation or a real log."""

    source: str
    meetings: Any
    """pandas DataFrame, one row per meeting (see :data:`MEETING_COLUMNS`)."""
    airtime: dict[str, float]
    moves: dict[str, int]
    names: dict[str, str] = field(default_factory=dict)


TEMPLATE = "widgets/debrief.html.j2"
MEETING_COLUMNS = ["meeting", "present", "questions", "open_share", "closed_share", "advice_share",
                   "airtime_gini", "adviser_share", "actions", "specific_actions", "actions_completed",
                   "dependence"]


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes
    alt: str

    def img_tag(self) -> str:
        """The chart as a figure: the PNG inline, its alt text also in the caption."""
        return part(TEMPLATE, "chart", c=self)


def debrief_from_result(result: Any) -> Debrief:
    """The debrief of a simulated programme (or of the meetings played so far)."""
    import pandas as pd

    rows = []
    for m in result.meetings:
        rows.append({"meeting": m.meeting, "present": round(m.attendance * len(result.scenario.members)),
                     "questions": m.questions, "open_share": m.open_share, "closed_share": m.closed_share,
                     "advice_share": m.advice_share, "airtime_gini": m.airtime_gini,
                     "adviser_share": m.adviser_share, "actions": m.actions_recorded,
                     "specific_actions": m.specific_actions, "actions_completed": m.actions_completed,
                     "dependence": m.dependence})
    played = {m.meeting for m in result.meetings}
    kept = [r for r in result.rows if r.meeting in played]
    members = [m.id for m in result.scenario.members]
    measures = turn_measures([r.speaker for r in kept], [r.turn_type for r in kept],
                             [r.seconds for r in kept],
                             [r.move for r in kept], members=members)
    moves: dict[str, int] = {}
    for record in result.decisions:
        if record.decision.meeting in played:
            moves[record.intervention.move] = moves.get(record.intervention.move, 0) + 1
    names = {m.id: m.name for m in result.scenario.members}
    return Debrief("simulation", pd.DataFrame(rows, columns=MEETING_COLUMNS), measures.airtime, moves, names)


def debrief_from_log(log: Any) -> Debrief:
    """The debrief of a real set's log (see :func:`alcourse.analysis.read_log`)."""
    import pandas as pd

    rows = []
    for meeting, turns in log.groupby("meeting", sort=True):
        m = turn_measures(turns["speaker"].tolist(), turns["turn_type"].tolist(),
                          turns["seconds"].tolist(), turns["move"].tolist())
        rows.append({"meeting": int(meeting), "present": len(m.airtime), "questions": m.questions,
                     "open_share": m.open_share, "closed_share": m.closed_share,
                     "advice_share": m.advice_share, "airtime_gini": m.airtime_gini,
                     "adviser_share": m.adviser_share, "actions": m.actions, "specific_actions": m.actions,
                     "actions_completed": math.nan, "dependence": math.nan})
    whole = turn_measures(log["speaker"].tolist(), log["turn_type"].tolist(), log["seconds"].tolist(),
                          log["move"].tolist())
    moves = {k: v for k, v in whole.moves.items() if k}
    return Debrief("log", pd.DataFrame(rows, columns=MEETING_COLUMNS), whole.airtime, moves)


def _render(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


def _figure(width: float = 6.4, height: float = 3.2) -> Any:
    from matplotlib.figure import Figure

    # a Figure without pyplot: no global state, no GUI backend
    return Figure(figsize=(width, height))


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _airtime_chart(d: Debrief) -> Chart:
    fig = _figure(7.2, 3.2)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    ordered = sorted(d.airtime.items(), key=lambda kv: kv[1])
    labels = [d.names.get(k, k) for k, _ in ordered]
    left.barh(labels, [v for _, v in ordered], color=OPEN, edgecolor=INK)
    for y, (_, v) in enumerate(ordered):
        left.text(v, y, f" {_pct(v)}", va="center", fontsize=8)
    left.set_xlabel("share of the members' airtime")
    left.set_xlim(0, max([v for _, v in ordered] + [0.1]) * 1.35)
    meetings = d.meetings["meeting"].tolist()
    gini = d.meetings["airtime_gini"].tolist()
    right.plot(meetings, gini, marker="o", color=INK, label="unevenness of talk")
    right.axhline(GINI_BOUND, linestyle="--", color=ADVICE, label=f"aim: below {GINI_BOUND}")
    right.set_ylim(0, max([*gini, GINI_BOUND]) * 1.4)
    right.set_xticks(meetings)
    right.set_xlabel("meeting")
    right.set_ylabel("unevenness (0 = all equal)")
    right.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    top = ordered[-1] if ordered else ("nobody", 0.0)
    low = ordered[0] if ordered else ("nobody", 0.0)
    alt = (f"Bars: {d.names.get(top[0], top[0])} had the most airtime ({_pct(top[1])}), "
           f"{d.names.get(low[0], low[0])} the least ({_pct(low[1])}). Line: {UNEVEN}, by meeting: "
           + ", ".join(f"meeting {m} {g:.2f}" for m, g in zip(meetings, gini, strict=True)) + ".")
    return Chart("Airtime", _render(fig), alt)


def _question_chart(d: Debrief) -> Chart:
    fig = _figure()
    ax = fig.subplots()
    meetings = d.meetings["meeting"].tolist()
    bottom = [0.0] * len(meetings)
    for column, label, colour, hatch in (("open_share", "open", OPEN, ""),
                                         ("closed_share", "closed or leading", CLOSED, "//"),
                                         ("advice_share", "advice as a question", ADVICE, "xx")):
        values = d.meetings[column].tolist()
        ax.bar(meetings, values, bottom=bottom, label=label, color=colour, hatch=hatch, edgecolor=INK)
        for x, b, v in zip(meetings, bottom, values, strict=True):
            if v >= 0.08:
                ax.text(x, b + v / 2, _pct(v), ha="center", va="center", fontsize=8,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(meetings)
    ax.set_xlabel("meeting")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1.0)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    alt = "Share of open questions and of advice disguised as questions: " + "; ".join(
        f"meeting {m} open {_pct(o)}, advice {_pct(a)}" for m, o, a in
        zip(meetings, d.meetings["open_share"], d.meetings["advice_share"], strict=True)) + "."
    return Chart("Question mix", _render(fig), alt)


def _moves_chart(d: Debrief) -> Chart:
    fig = _figure(6.4, 3.4)
    ax = fig.subplots()
    order = [m for m in (*HERON, *STRUCTURAL, "none") if m in HERON or d.moves.get(m)]
    labels = [MOVE_LABELS[m].split(":")[0] if m in HERON else MOVE_LABELS[m] for m in order]
    counts = [d.moves.get(m, 0) for m in order]
    hatches = ["" if m in HERON else ".." for m in order]
    bars = ax.barh(labels[::-1], counts[::-1], color=OPEN, edgecolor=INK)
    for bar, hatch in zip(bars, hatches[::-1], strict=True):
        bar.set_hatch(hatch)
    for y, c in enumerate(counts[::-1]):
        ax.text(c, y, f" {c}", va="center", fontsize=8)
    ax.set_xlabel("times used (Heron categories plain, structural moves dotted)")
    ax.set_xlim(0, max([*counts, 1]) * 1.2)
    fig.tight_layout()
    used = [f"{MOVE_LABELS[m].split(':')[0].lower()} {d.moves[m]}" for m in order if d.moves.get(m)]
    unused = [m for m in HERON if not d.moves.get(m)]
    alt = ("Interventions used: " + (", ".join(used) if used else "none recorded") + "."
           + (f" Heron categories never used: {', '.join(unused)}." if unused else ""))
    return Chart("Adviser interventions", _render(fig), alt)


def _actions_chart(d: Debrief) -> Chart:
    fig = _figure()
    ax = fig.subplots()
    meetings = d.meetings["meeting"].tolist()
    specific = d.meetings["specific_actions"].tolist()
    completed = d.meetings["actions_completed"].tolist()
    width = 0.38
    ax.bar([m - width / 2 for m in meetings], specific, width, label="specific actions agreed",
           color=OPEN, edgecolor=INK)
    real = all(not (isinstance(c, float) and math.isnan(c)) for c in completed)
    if real:
        ax.bar([m + width / 2 for m in meetings], completed, width, label="done by the next meeting",
               color=CLOSED, hatch="//", edgecolor=INK)
    ax.set_xticks(meetings)
    ax.set_xlabel("meeting")
    ax.set_ylabel("actions")
    ax.set_ylim(0, max([*specific, 1]) + 1)
    ax.legend(fontsize=7)
    fig.tight_layout()
    parts = [f"meeting {m}: {s} agreed" + (f", {int(c)} done" if real else "")
             for m, s, c in zip(meetings, specific, completed, strict=True)]
    return Chart("Actions", _render(fig), "Actions by meeting: " + "; ".join(parts) + ".")


def _dependence_chart(d: Debrief) -> Chart:
    fig = _figure()
    ax = fig.subplots()
    meetings = d.meetings["meeting"].tolist()
    dependence = d.meetings["dependence"].tolist()
    adviser = d.meetings["adviser_share"].tolist()
    has_dependence = all(not math.isnan(x) for x in dependence)
    if has_dependence:
        ax.plot(meetings, dependence, marker="o", color=INK, label="members' dependence on you")
    ax.plot(meetings, adviser, marker="s", linestyle="--", color=ADVICE, label="your share of talk")
    ax.set_xticks(meetings)
    ax.set_ylim(0, 1)
    ax.set_xlabel("meeting")
    ax.set_ylabel("0 to 1")
    ax.legend(fontsize=7)
    fig.tight_layout()
    alt = "Your share of talk by meeting: " + ", ".join(_pct(a) for a in adviser) + "."
    if has_dependence:
        alt = ("Members' dependence on the adviser by meeting: " + ", ".join(f"{x:.2f}" for x in dependence)
               + ". " + alt)
    return Chart("Dependence on the adviser", _render(fig), alt)


def charts(debrief: Debrief) -> list[Chart]:
    """The five debrief charts: airtime, question mix, interventions, actions, dependence."""
    return [_airtime_chart(debrief), _question_chart(debrief), _moves_chart(debrief),
            _actions_chart(debrief), _dependence_chart(debrief)]


def next_steps(debrief: Debrief) -> list[str]:
    """What to try next, from the pattern in the numbers."""
    frame = debrief.meetings
    tips = []
    if frame.empty:
        return ["Play at least one meeting to get a debrief."]
    if frame["advice_share"].iloc[-1] > 0.2:
        tips.append("Advice disguised as questions is still common. Try asking 'what question are you "
                    "answering?' the first time it happens in a slot, or re-contract the ground rule.")
    if frame["airtime_gini"].mean() > GINI_BOUND:
        tips.append("Airtime is uneven. Try a round so each member asks one question, and a supportive "
                    "word to the quietest member.")
    if frame["adviser_share"].mean() > 0.12:
        tips.append("You talk a lot for a set adviser. Try deliberate silence on minor events and see "
                    "whether the set handles them itself.")
    if debrief.moves and not any(debrief.moves.get(m) for m in ("catalytic", "supportive", "cathartic")):
        tips.append("You used no facilitative Heron categories. Try a catalytic question that hands the "
                    "thinking back to the presenter.")
    if debrief.source == "simulation" and not debrief.moves.get("hand-over"):
        tips.append("You never handed the process to the set. From the middle of the programme, try "
                    "asking a member to lead the process review.")
    specific = frame["specific_actions"].sum()
    if len(frame) and specific < len(frame):
        tips.append("Few specific actions were agreed. End each slot with 'what will you do before next "
                    "time?'")
    dependence = frame["dependence"].dropna().tolist()
    if len(dependence) >= 2 and dependence[-1] > dependence[0]:
        if any(debrief.moves.get(m) for m in DIRECTIVE):
            tips.append("Dependence on you rose over the programme. Use fewer directive moves as the set "
                        "matures.")
        else:
            tips.append("Dependence on you rose over the programme: every time you step in, the set leans "
                        "on you a little more. Try deliberate silence on minor events, and hand the "
                        "process review to a member.")
    if not tips:
        tips.append("A well-run programme. Next time, try the same scenario with a different seed, or a "
                    "harder scenario.")
    return tips


def debrief_html(debrief: Debrief, criteria: list[tuple[str, str, str]] | None = None) -> str:
    """The whole debrief as HTML: headline numbers, charts with alt text, what to try next.
    ``criteria`` are the graded criteria as (verdict, label, why), shown first."""
    frame = debrief.meetings
    summary = None if frame.empty else {
        "open": _pct(frame["open_share"].mean()), "advice": _pct(frame["advice_share"].mean()),
        "uneven": UNEVEN, "gini": f"{frame['airtime_gini'].mean():.2f}",
        "adviser": _pct(frame["adviser_share"].mean()), "specific": int(frame["specific_actions"].sum())}
    return part(TEMPLATE, "debrief", criteria=criteria or [], summary=summary,
                charts=charts(debrief) if summary else [], tips=next_steps(debrief))


POLICY_STYLES = {"hands-off": ("o", "-", OPEN), "directive": ("s", "--", ADVICE),
                 "adaptive": ("^", ":", INK), "random": ("D", "-.", CLOSED)}


def policy_comparison(frame: Any) -> list[Chart]:
    """Charts comparing policies from a batch frame (see :func:`alcourse.simulation.batch.compare`):
    the mean by meeting of advice share, dependence and airtime Gini, and actions completed."""
    charts_made = []
    runs = frame.groupby("policy")["run"].nunique().max()
    for column, title, ylabel in (("advice_share", "Advice as a share of questions", "share of questions"),
                                  ("dependence", "Members' dependence on the adviser", "dependence (0 to 1)"),
                                  ("airtime_gini", "Airtime spread", "unevenness of talk (0 = all equal)"),
                                  ("actions_completed", "Actions done by the next meeting", "actions")):
        means = frame.groupby(["policy", "meeting"])[column].mean().unstack(0)
        fig = _figure()
        ax = fig.subplots()
        words = []
        for policy_name in means.columns:
            marker, style, colour = POLICY_STYLES.get(policy_name, ("x", "-", INK))
            series = means[policy_name]
            ax.plot(series.index, series.values, marker=marker, linestyle=style, color=colour,
                    label=policy_name)
            ax.annotate(policy_name, (series.index[-1], series.values[-1]), textcoords="offset points",
                        xytext=(6, 0), va="center", fontsize=8)
            words.append(f"{policy_name} from {series.values[0]:.2f} to {series.values[-1]:.2f}")
        ax.set_xticks(list(means.index))
        ax.set_xlabel("meeting")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7)
        fig.tight_layout()
        alt = f"Mean over {runs} runs, first to last meeting: " + "; ".join(words) + "."
        charts_made.append(Chart(title, _render(fig), alt))
    return charts_made
