"""Argument types for numeric options: a bad value is a usage error (exit 2, naming the option).

argparse turns an :class:`argparse.ArgumentTypeError` into ``alcourse grade: error: argument
--jobs: …`` and exits 2, before any work starts.

>>> positive_int("3"), positive_float("0.5")
(3, 0.5)
>>> positive_int("0")
Traceback (most recent call last):
argparse.ArgumentTypeError: 0 is not a whole number of at least 1
>>> positive_float("-1")
Traceback (most recent call last):
argparse.ArgumentTypeError: -1 is not a number above 0

``--jobs`` is told the same way wherever it is offered (``grade``, ``hub grade``); its default
is :func:`alcourse.grading.options.default_jobs`, kept out of the parser so that building it
imports nothing of grading:

>>> from alcourse.grading.options import MAX_DEFAULT_JOBS
>>> f"at most {MAX_DEFAULT_JOBS})" in JOBS_HELP
True
"""

from __future__ import annotations

import argparse
import math

JOBS_HELP = "submissions graded at once (default: one more than the cores, at most 8)"


def positive_int(text: str) -> int:
    """A whole number of at least 1 (a count of workers, seconds, megabytes…)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give one of at least 1") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of at least 1")
    return value


def positive_float(text: str) -> float:
    """A finite number above 0 (seconds)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; give one above 0") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a number above 0")
    return value
