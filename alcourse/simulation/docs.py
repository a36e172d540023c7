"""Tables for the book page "How the set-meeting simulator works", generated from the model itself.

The page keeps the tables between marker comments; ``python -m alcourse.simulation.docs`` rewrites
them, and a test fails if the page and the model disagree.

>>> "| question_turns | 10 | 4 to 30 |" in parameter_table()
True
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from alcourse.simulation.parameters import Parameters, parameter_fields
from alcourse.simulation.vocabulary import EVENTS, FIT, FIT_DEFAULT, MOVE_LABELS

PAGE = Path("book") / "simulation-model.md"  # in the course project (the current folder)


def _number(value: float) -> str:
    return f"{value:g}"


def parameter_table() -> str:
    """Every parameter: name, default, allowed range and meaning."""
    defaults = Parameters()
    lines = ["| Parameter | Default | Allowed | Meaning |", "|---|---|---|---|"]
    for f in parameter_fields():
        low, high = f.metadata["range"]
        lines.append(f"| {f.name} | {_number(getattr(defaults, f.name))} | {_number(low)} to {_number(high)} "
                     f"| {f.metadata['doc'].replace('|', '/')} |")
    return "\n".join(lines)


def fit_table() -> str:
    """How well each move fits each event (the chance it resolves it, before timing and stage)."""
    lines = ["| Event | Best-fitting moves (chance of resolving it) |", "|---|---|"]
    for event_id, event in EVENTS.items():
        row = sorted(FIT.get(event_id, {}).items(), key=lambda kv: -kv[1])
        moves = ", ".join(f"{MOVE_LABELS[m].split(':')[0].lower()} {v:.2f}" for m, v in row)
        lines.append(f"| {event.label} | {moves} |")
    lines.append(f"\nAny move not listed for an event fits it with chance {FIT_DEFAULT:.2f}.")
    return "\n".join(lines)


TABLES = {"parameters": parameter_table, "fit": fit_table}


def _fill(make: Callable[[], str], match: re.Match[str]) -> str:
    return match.group(1) + make() + "\n" + match.group(2)


def refreshed(text: str) -> str:
    """``text`` with every marked table region regenerated."""
    for name, make in TABLES.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(partial(_fill, make), text)
    return text


def main() -> int:
    PAGE.write_text(refreshed(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"refreshed {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
