"""Write every generated file (notebooks, book pages, ``_toc.yml``) from the data.

>>> from pathlib import Path
>>> from alcourse.curriculum import load_curriculum
>>> files = generated_files(load_curriculum())
>>> "notebooks/m03-traditional-vs-action-learning/m03-traditional-vs-action-learning.ipynb" in files
True
"""

from __future__ import annotations

from pathlib import Path

from alcourse.curriculum.bookpage import glossary_page, intro_page, module_page, toc
from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.notebook import notebook_text


def generated_files(cur: Curriculum) -> dict[str, str]:
    """Relative path → text for every file the data generates."""
    files = {"_toc.yml": toc(cur), "book/intro.md": intro_page(cur),
             "book/glossary.md": glossary_page(cur)}
    for module in cur.modules.values():
        files[f"notebooks/{module.id}/{module.notebook}"] = notebook_text(module, cur)
        files[f"book/modules/{module.id}.md"] = module_page(module, cur)
    return files


def write_generated(cur: Curriculum, root: Path) -> list[str]:
    """Write files that changed; return their relative paths."""
    changed = []
    for rel, text in sorted(generated_files(cur).items()):
        path = root / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(rel)
    return changed


def stale_files(cur: Curriculum, root: Path) -> list[str]:
    """Generated files that are missing or differ from the data."""
    return [rel for rel, text in sorted(generated_files(cur).items())
            if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]


def write_sources(cur: Curriculum, target: Path) -> Path:
    """Write the nbgrader source notebooks (``MODULE/MODULE.ipynb``) into ``target``.

    An installed alcourse has no repository checkout: a course folder then gets its
    source notebooks from the content data, exactly as ``alcourse build`` writes them.

    >>> import tempfile
    >>> from alcourse.curriculum import load_curriculum
    >>> out = write_sources(load_curriculum(), Path(tempfile.mkdtemp()) / "source")
    >>> (out / "m03-traditional-vs-action-learning" / "m03-traditional-vs-action-learning.ipynb").is_file()
    True
    """
    for module in cur.modules.values():
        path = target / module.id / module.notebook
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebook_text(module, cur), encoding="utf-8")
    return target
