"""The observer app's notebook: one hidden cell that shows the observer widget for one session.

Opened in JupyterLab it is a notebook; served by Voila (``alcourse observe app``) it is an app
with no code on screen.

>>> import tempfile, pathlib, nbformat
>>> nb = nbformat.read(write_app(pathlib.Path(tempfile.mkdtemp()), ["Ann", "Bo"], "Kim"), 4)
>>> "ObserverApp" in nb.cells[1].source, "RubricForm" in nb.cells[-1].source
(True, True)
"""

from __future__ import annotations

from pathlib import Path

from alcourse.observe.files import write_atomic
from alcourse.observe.session import Session

NOTEBOOK = "observe.ipynb"


def log_name(observer: str, meeting: int) -> str:
    """The log's file name: ``observations/<observer>-meeting-<n>.csv``.

    >>> log_name("Kim Lee", 2)
    'observations/kim-lee-meeting-2.csv'
    """
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in observer.lower()).split()) or "observer"
    return f"observations/{slug}-meeting-{meeting}.csv"


def rubric_name(observer: str, meeting: int) -> str:
    """The observer's rubric file beside their log."""
    return log_name(observer, meeting).replace(".csv", "-rubric.csv")


def write_app(folder: Path, members: list[str], observer: str = "", meeting: int = 1) -> Path:
    """Write ``folder/observe.ipynb`` for one observer of one session; return its path."""
    import nbformat

    Session(tuple(members), meeting, observer)  # the same checks as when coding starts
    code = (f"from alcourse.widgets.observer import ObserverApp\n\n"
            f"ObserverApp(members={members!r}, observer={observer!r}, meeting={meeting!r},\n"
            f"            log={log_name(observer, meeting)!r})")
    rubric = (f"from alcourse.content import load_course\nfrom alcourse.widgets.rubric import RubricForm\n\n"
              f"RubricForm(load_course().competences, {observer or 'observer'!r}, 'observer',\n"
              f"           path={rubric_name(observer, meeting)!r})")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(
        "# Observe a practice set\n\nOne key or one tap per event. The log is saved after every event, "
        "so closing this page loses nothing: open it again to carry on."),
        nbformat.v4.new_code_cell(code, metadata={"jupyter": {"source_hidden": True}}),
        nbformat.v4.new_markdown_cell("## After the session: the rubric\n\nScore the facilitator on each "
                                      "competence you saw evidence of."),
        nbformat.v4.new_code_cell(rubric, metadata={"jupyter": {"source_hidden": True}})]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NOTEBOOK
    write_atomic(path, nbformat.writes(nb))
    return path
