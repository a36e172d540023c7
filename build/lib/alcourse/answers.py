"""Trainee answers saved beside the notebook, one JSON file per module.

Widget values live in the browser and vanish when a kernel restarts or when
nbgrader re-executes a notebook. So every choice is written to disk at once
(atomically: a crash mid-write leaves the old file whole) and graded cells
read the file, never the widgets.

The first choice for a question is what is graded; later changes are kept so
the trainee can explore the feedback and the widget shows their latest choice.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = AnswerStore(folder / "m03.answers.json", module="m03")
>>> store.record("m03.sort", "q1", "action")
>>> store.record("m03.sort", "q1", "traditional")
>>> AnswerStore(folder / "m03.answers.json", module="m03").graded("m03.sort")
{'q1': 'action'}
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "alcourse-answers/1"


class AnswersError(ValueError):
    """The answers file cannot be used; the message says which file and what to do."""


class AnswerStore:
    """Reads and writes one module's answers file."""

    def __init__(self, path: Path | str, module: str) -> None:
        self.path = Path(path)
        self.module = module

    @classmethod
    def beside(cls, module: str, folder: Path | str | None = None) -> AnswerStore:
        """The store for ``module`` in ``folder`` (default: the notebook's folder, the cwd)."""
        return cls(Path(folder or Path.cwd()) / f"{module}.answers.json", module)

    def _empty(self) -> dict[str, Any]:
        return {"format": FORMAT, "module": self.module, "exercises": {}}

    def load(self) -> dict[str, Any]:
        """The whole file as a dict; an empty record if there is no file yet."""
        if not self.path.exists():
            return self._empty()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AnswersError(
                f"{self.path}: cannot read saved answers ({exc}). Do not delete it: "
                "ask your trainer, who can repair it; your notebook is unaffected."
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise AnswersError(
                f"{self.path}: is not an alcourse answers file (expected format {FORMAT!r}). "
                "Rename or move it, then run the exercise cells again."
            )
        if data.get("module") != self.module:
            raise AnswersError(
                f"{self.path}: holds answers for module {data.get('module')!r}, not "
                f"{self.module!r}. Keep each module's answers file beside its own notebook."
            )
        if not isinstance(data.get("exercises"), dict):
            raise AnswersError(f"{self.path}: field 'exercises' should be a mapping")
        return data

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def record(self, exercise_id: str, question_id: str, option_id: str) -> None:
        """Save a choice at once. The first choice is kept for grading."""
        data = self.load()
        answers = data["exercises"].setdefault(exercise_id, {})
        entry = answers.get(question_id)
        if not isinstance(entry, dict) or "first" not in entry:
            entry = {"first": option_id, "latest": option_id, "changes": 0}
        else:
            entry = {**entry, "latest": option_id, "changes": int(entry.get("changes", 0)) + 1}
        answers[question_id] = entry
        self._save(data)

    def _answers(self, exercise_id: str, key: str) -> dict[str, str]:
        entries = self.load()["exercises"].get(exercise_id, {})
        if not isinstance(entries, dict):
            return {}
        return {q: e[key] for q, e in entries.items()
                if isinstance(e, dict) and isinstance(e.get(key), str)}

    def graded(self, exercise_id: str) -> dict[str, str]:
        """Question id → first choice: what counts for the grade."""
        return self._answers(exercise_id, "first")

    def latest(self, exercise_id: str) -> dict[str, str]:
        """Question id → latest choice: what the widget shows."""
        return self._answers(exercise_id, "latest")

    def write_all(self, exercise_id: str, answers: dict[str, str]) -> None:
        """Replace an exercise's answers as first choices (for model answers and tests)."""
        data = self.load()
        data["exercises"][exercise_id] = {
            q: {"first": o, "latest": o, "changes": 0} for q, o in answers.items()
        }
        self._save(data)
