"""The Hand in step: the trainee types their id and name and gets one file for their trainer.

The file (``MODULE--TRAINEE.alcourse.zip``, see :mod:`alcourse.handin.archive`) is built in
the kernel, in Python, from the notebook as last saved and its answers file. It is saved beside
the notebook, and the widget shows a link that downloads it: a ``data:`` URL carrying the file
itself, with the ``download`` attribute. In JupyterLite (a Pyodide kernel in the browser) that
link is the way out: clicking it is an ordinary browser download, made from bytes already in
the page, so no request leaves the site. It works the same in JupyterLab and Voila.

The markup comes from ``templates/widgets/handin.html.j2`` (the JupyterLite site serves
Jinja2 with the kernel, see :mod:`alcourse.publish.vendor`).

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "m03-x.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
>>> w = HandInWidget("m03-x", folder, "m03-x.ipynb", "m03-x.answers.json")
>>> w.trainee.value, w.person.value = "ann", "Ann Lee"
>>> w.make()
>>> (folder / "m03-x--ann.alcourse.zip").exists(), 'download="m03-x--ann.alcourse.zip"' in w.result.value
(True, True)
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets

from alcourse.handin.archive import Limits, make_archive
from alcourse.handin.manifest import archive_name, check_trainee_id
from alcourse.render import part

TEMPLATE = "widgets/handin.html.j2"
WHAT_TO_DO = ("Send this one file to your trainer the way they told you: upload it to the place they "
              "named (for example a Teams or SharePoint folder), or attach it to an email. Do not open, "
              "unzip or change it. You can hand in again later: your trainer keeps the newest file.")


def in_browser() -> bool:
    """True in JupyterLite, where the kernel is Pyodide (Python compiled to WebAssembly)."""
    return sys.platform == "emscripten"


class HandInWidget(widgets.VBox):
    """Two text boxes, one button, and the file (saved beside the notebook, and a download link)."""

    def __init__(self, module_id: str, folder: Path | str, notebook: str, answers: str,
                 todo: Callable[[], list[str]] | None = None, limits: Limits | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.module_id = module_id
        self.folder = Path(folder)
        self.notebook = notebook
        self.answers = answers
        self.todo = todo
        self.limits = limits or Limits()
        self.clock = clock or (lambda: datetime.now(UTC))
        label = {"description_width": "initial"}
        self.trainee = widgets.Text(description="The id your trainer gave you:", style=label,
                                    placeholder="for example t017 or ann.lee")
        self.person = widgets.Text(description="Your name:", style=label,
                                   placeholder="as your trainer knows you")
        self.button = widgets.Button(description="Make my hand-in file", button_style="primary",
                                     tooltip="Makes one file with this notebook and your answers",
                                     layout=widgets.Layout(width="auto", min_height="36px"))
        self.button.add_class("alcourse-handin-make")
        self.result = widgets.HTML(part(TEMPLATE, "empty"))
        self.button.on_click(lambda _button: self.make())
        intro = widgets.HTML(part(TEMPLATE, "intro"))
        super().__init__([intro, self.trainee, self.person, self.button, self.result],
                         layout=widgets.Layout(width="100%"))
        self.add_class("alcourse-handin")

    def _not_made(self, text: str) -> None:
        self.result.value = part(TEMPLATE, "not_made", text=text)

    def _read_parts(self) -> tuple[bytes, bytes] | str:
        notebook = self.folder / self.notebook
        try:
            nb = notebook.read_bytes()
        except OSError:
            return (f"Cannot find {self.notebook} beside this notebook: save the notebook "
                    "(Ctrl + S) and press the button again.")
        answers = self.folder / self.answers
        try:
            ans = answers.read_bytes()
        except FileNotFoundError:
            # nothing chosen yet: an empty record, so the trainer still gets the written answers
            from alcourse.answers import FORMAT

            ans = json.dumps({"format": FORMAT, "module": self.module_id, "exercises": {}}).encode()
        except OSError as exc:
            return f"Cannot read your answers file ({exc}). Ask your trainer."
        if len(nb) > self.limits.notebook_bytes or len(ans) > self.limits.answers_bytes:
            return ("This notebook is too large to hand in (over "
                    f"{self.limits.notebook_bytes // (1024 * 1024)} MB). Clear its outputs "
                    "(Edit, Clear Outputs of All Cells), save, and press the button again.")
        return nb, ans

    def make(self) -> None:
        """Build the file; show where it is, a download link and what to do with it."""
        trainee = self.trainee.value.strip()
        problem = check_trainee_id(trainee)
        if problem:
            self._not_made(f"{problem}.")
            return
        name = " ".join(self.person.value.split())
        if not name:
            self._not_made("type your name too, so your trainer knows the file is yours.")
            return
        parts = self._read_parts()
        if isinstance(parts, str):
            self._not_made(parts)
            return
        import alcourse

        _manifest, data = make_archive(self.module_id, trainee, name, parts[0], parts[1], self.clock(),
                                       alcourse.__version__, sys.platform)
        filename = archive_name(self.module_id, trainee)
        saved = self._save(filename, data)
        href = "data:application/zip;base64," + base64.b64encode(data).decode("ascii")
        where = ("It goes to your browser's Downloads folder."
                 if in_browser() else f"It is also saved beside this notebook as {saved}.")
        self.result.value = part(TEMPLATE, "ready", kilobytes=len(data) // 1024 + 1, filename=filename,
                                 href=href, where=where, what_to_do=WHAT_TO_DO,
                                 todo=self.todo() if self.todo else [])

    def _save(self, filename: str, data: bytes) -> str:
        """Beside the notebook, atomically: a half-written hand-in file is never left there."""
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{filename}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.folder / filename)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return filename
