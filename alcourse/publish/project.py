"""The course project a book or JupyterLite build works on: given, or the current folder.

Building the book needs the project's files (``_config.yml``, ``_toc.yml``, ``book/``,
``notebooks/``), which an installed ``alcourse`` does not carry; so the build commands take
the project's folder as an argument and default to the current folder, never to where the
package happens to be installed.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> project_root(folder)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
alcourse.errors.UserError: ...: not an alcourse project (no _config.yml, _toc.yml); run this in ...
>>> _ = (folder / "_config.yml").write_text(""); _ = (folder / "_toc.yml").write_text("")
>>> project_root(folder) == folder.resolve()
True
"""

from __future__ import annotations

from pathlib import Path

from alcourse.errors import UserError

MARKERS = ("_config.yml", "_toc.yml")


def project_root(folder: Path | None = None) -> Path:
    """``folder`` (default: the current folder), checked to be a course project."""
    root = (folder if folder is not None else Path.cwd()).resolve()
    missing = [name for name in MARKERS if not (root / name).is_file()]
    if missing:
        raise UserError(f"{root}: not an alcourse project (no {', '.join(missing)}); run this in the "
                        "project's folder or pass --root FOLDER")
    return root
