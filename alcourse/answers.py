"""Trainee answers saved beside the notebook, one JSON file per module.

Widget values live in the browser and vanish when a kernel restarts or when
nbgrader re-executes a notebook. So every choice is written to disk at once
(atomically: a crash mid-write leaves the old file whole) and graded cells
read the file, never the widgets.

The first choice for a question is what is graded; later changes are kept so
the trainee can explore the feedback and the widget shows their latest choice.

A view (a widget, one per store) may fall behind the file: a trainee closes the
tab while the kernel runs, reopens the notebook and plays on in a new widget
while the old one is still live. Every write re-reads the file first; an entry
that is replaced whole (a simulation's path) is written only if the file still
holds what this store last saw of it, otherwise :class:`StaleAnswersError` says
so and nothing is written.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = AnswerStore(folder / "m03.answers.json", module="m03")
>>> store.record("m03.sort", "q1", "action")
>>> store.record("m03.sort", "q1", "traditional")
>>> AnswerStore(folder / "m03.answers.json", module="m03").graded("m03.sort")
{'q1': 'action'}
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "alcourse-answers/1"


class AnswersError(ValueError):
    """The answers file cannot be used; the message says which file and what to do."""


class StaleAnswersError(AnswersError):
    """This store's view of an entry is older than the file: another view saved newer work.

    Nothing was written. The store now takes the file's entry as seen, so a view
    that reloads it (and shows the trainee what changed) may save again.
    """

    def __init__(self, path: Path, section: str, key: str) -> None:
        super().__init__(f"{path}: {section}: {key}: newer work was saved from another tab or window "
                         "since this view was opened; nothing was overwritten. Reload the view "
                         "(run its cell again) to carry on from the saved work.")
        self.section = section
        self.key = key


_ABSENT = object()


class AnswerStore:
    """Reads and writes one module's answers file."""

    # Exercise answers are merged question by question and the first choice is never
    # replaced, so a view that is behind cannot undo anything there. Entries of every
    # other section (a simulation's whole path) are replaced whole, so they are guarded.
    MERGED_SECTIONS = frozenset({"exercises"})

    def __init__(self, path: Path | str, module: str) -> None:
        self.path = Path(path)
        self.module = module
        # guarded sections as this store first read them and then wrote them: what its view is based on
        self._seen: dict[str, dict[str, Any]] | None = None

    @classmethod
    def beside(cls, module: str, folder: Path | str | None = None) -> AnswerStore:
        """The store for ``module`` in ``folder`` (default: the notebook's folder, the cwd)."""
        return cls(Path(folder or Path.cwd()) / f"{module}.answers.json", module)

    def _empty(self) -> dict[str, Any]:
        return {"format": FORMAT, "module": self.module, "exercises": {}}

    def load(self) -> dict[str, Any]:
        """The whole file as a dict; an empty record if there is no file yet."""
        data = self._read()
        if self._seen is None:
            self._seen = self._guarded(data)
        return data

    def _guarded(self, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {name: copy.deepcopy(section) for name, section in data.items()
                if isinstance(section, dict) and name not in self.MERGED_SECTIONS}

    def _read(self) -> dict[str, Any]:
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

    def _check_not_behind(self, data: dict[str, Any]) -> None:
        """Refuse to replace a guarded entry that changed on disk since this store last saw it."""
        if self._seen is None:
            return  # this store has read nothing: it holds no view that could be behind
        disk = self._read()
        for name, section in self._guarded(data).items():
            entry = disk.get(name)
            on_disk: dict[str, Any] = entry if isinstance(entry, dict) else {}
            seen = self._seen.setdefault(name, {})
            for key in set(section) | set(on_disk):
                now = on_disk.get(key, _ABSENT)
                if section.get(key, _ABSENT) == now:
                    continue  # this write leaves the entry as it is on disk
                if seen.get(key, _ABSENT) != now:
                    if now is _ABSENT:
                        seen.pop(key, None)
                    else:
                        seen[key] = copy.deepcopy(now)
                    raise StaleAnswersError(self.path, name, key)

    def _save(self, data: dict[str, Any]) -> None:
        self._check_not_behind(data)
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
        self._seen = self._guarded(data)

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

    # ----- written answers: typed into a text box, saved as typed, marked by a trainer
    WRITTEN = "written"

    def write_text(self, reflection_id: str, text: str) -> None:
        """Save a written answer (the whole text, replacing the last save)."""
        data = self.load()
        section = data.get(self.WRITTEN)
        if not isinstance(section, dict):
            section = data[self.WRITTEN] = {}
        section[reflection_id] = {"text": text}
        self._save(data)

    def text(self, reflection_id: str) -> str:
        """The saved written answer; empty if none yet.

        >>> import tempfile, pathlib
        >>> store = AnswerStore(pathlib.Path(tempfile.mkdtemp()) / "m01.answers.json", "m01")
        >>> store.write_text("m01.reflection", "My problem is a puzzle.")
        >>> AnswerStore(store.path, "m01").text("m01.reflection")
        'My problem is a puzzle.'
        """
        section = self.load().get(self.WRITTEN)
        entry = section.get(reflection_id) if isinstance(section, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        return text if isinstance(text, str) else ""
