"""Analyse real set meetings with the simulator's debrief: read a log, draw the same charts.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "set.csv"
>>> _ = path.write_text("meeting,speaker,turn_type,seconds\\n"
...                     "1,Ann,open-question,20\\n1,Bo,advice-question,30\\n1,adviser,adviser,10\\n")
>>> debrief = analyse(path)
>>> [float(debrief.meetings.loc[0, c]) for c in ("meeting", "open_share", "advice_share")]
[1.0, 0.5, 0.5]
"""

from __future__ import annotations

from pathlib import Path

from alcourse.analysis.debrief import (
    Chart,
    Debrief,
    charts,
    debrief_from_log,
    debrief_from_result,
    debrief_html,
    next_steps,
)
from alcourse.analysis.log import LogError, read_log


def analyse(path: Path | str, adviser: str = "adviser") -> Debrief:
    """Read a real set's log and return its debrief (use :func:`charts` or :func:`debrief_html`)."""
    return debrief_from_log(read_log(path, adviser))


__all__ = ["Chart", "Debrief", "LogError", "analyse", "charts", "debrief_from_log", "debrief_from_result",
           "debrief_html", "next_steps", "read_log"]
