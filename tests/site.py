"""Helpers for tests of the published site: build it once, serve it, watch the browser, run axe.

The site is built from a copy of the working tree (so the developer's ``_build`` is untouched)
exactly as ``make book`` does: Jupyter Book from a clean ``_build`` with warnings as errors,
then the JupyterLite site into ``_build/html/lite``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "book" / "_vendor" / "axe" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# a made-up hub: module pages must link to it; nothing ever connects to it
TEST_HUB = "https://hub.example.org"
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache",
                                     "*.answers.json", ".ipynb_checkpoints", ".ruff_cache")


def build_site(work: Path, hub: str = TEST_HUB) -> Path:
    """Copy the repository into ``work`` and build book + JupyterLite; return the HTML root.

    ``_config.yml`` names ``hub`` as the organisation's JupyterHub, so its links are built.
    """
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
    if not (src / "book" / "_vendor" / "static" / "embed-amd.js").exists():
        raise RuntimeError("book/_vendor is missing: run `make setup` (it vendors the widget scripts)")
    config = src / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert '  jupyterhub_url: ""\n' in text, "_config.yml: launch_buttons.jupyterhub_url not found"
    config.write_text(text.replace('  jupyterhub_url: ""\n', f'  jupyterhub_url: "{hub}"\n'),
                      encoding="utf-8")
    # exactly what `make book` runs, with no network at all where a network namespace can be
    # made (root, as in CI): the build must not fetch anything
    build = [sys.executable, "-m", "alcourse.publish.bookbuild", "--root", str(src)]
    offline = _offline(build)
    proc = subprocess.run(offline or build, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    assert "built: book, lite" in proc.stdout, proc.stdout[-2000:]
    print(f"site built {'with the network cut off' if offline else 'normally (no unshare)'}")
    return src / "_build" / "html"


def _offline(command: list[str]) -> list[str] | None:
    """``command`` inside a new network namespace with only loopback, if this machine allows it."""
    if os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("ip")):
        return None
    if subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode != 0:
        return None
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]


def book_pages(html: Path) -> list[str]:
    """Every page of the book (not the theme's fragments, nor the JupyterLite site)."""
    skip = {"_static", "lite", "_sources", "_images", "jupyter_execute"}
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if p.relative_to(html).parts[0] not in skip)


@dataclass
class Watch:
    """What went wrong while a browser context loaded pages from ``base`` only."""

    base: str
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith((self.base + "/", "data:", "blob:")) or url == self.base:
            route.continue_()
        else:
            # the network is "cut off": anything not served by the site fails, and is recorded
            self.external.append(url)
            route.abort("internetdisconnected")

    def attach(self, context: Any) -> Watch:
        context.route("**/*", self.route)
        # responses of web and service workers too (Pyodide runs in a worker)
        context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url}: HTTP {r.status}"))
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)
        return self

    def _page(self, page: Any) -> None:
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))

    def problems(self) -> list[str]:
        return ([f"external request: {u}" for u in self.external] + [f"failed: {f}" for f in self.failed]
                + [f"console error: {c}" for c in self.console_errors])


def axe(page: Any, include: str | list[str] | None = None,
        exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core (vendored from npm) in ``page``; return the WCAG A/AA violations.

    ``include`` (one CSS selector or several) limits the check to those parts of the page.
    """
    if isinstance(include, str):
        include = [include]
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `make setup` (it vendors axe-core from npm)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """([include, exclude, tags]) => axe.run(
             include ? {include: include, exclude: exclude} : document,
             {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [include, exclude or [], WCAG_TAGS])
    return list(result["violations"])


def describe(where: str, violations: list[dict]) -> list[str]:
    """One line per failing element, with what axe says to fix."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} at {node['target']}: "
                         f"{node['html'][:200]} -- {summary[:300]}")
    return lines


@functools.cache
def released() -> dict[str, Path]:
    """nbgrader's release of every module (as the JupyterLite site has it), made once per session."""
    from alcourse.publish.lite import release

    return release(ROOT / "notebooks", Path(tempfile.mkdtemp(prefix="alcourse-release-")) / "course")


def trainee_workspace(folder: Path) -> list[str]:
    """Every module's trainee (release) notebook in ``folder/MODULE/``; return the module ids.

    Made by ``nbgrader generate_assignment`` (as ``make lite`` does) once per test session.
    """
    modules = []
    for module, release in released().items():
        shutil.copytree(release, folder / module, dirs_exist_ok=True)
        modules.append(module)
    return modules


def open_alone(page: Any, base: str, rel: str) -> None:
    """Open a notebook in JupyterLab in a workspace of its own, then wait for its kernel.

    JupyterLab reopens the tabs of the workspace a URL names; a workspace per notebook keeps
    earlier notebooks (hidden, but matching the same selectors) out of the page.
    """
    from tests.browser import KERNEL_READY

    url, token = base.split("|")
    name = "".join(ch if ch.isalnum() else "-" for ch in rel)
    page.goto(f"{url}/lab/workspaces/{name}/tree/{rel}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_function(KERNEL_READY, timeout=60_000)


_OPEN_NEXT = """async ({path, keep}) => {
  const app = window.jupyterapp;
  const old = app.shell.currentWidget;
  const kernel = old && old.sessionContext && old.sessionContext.session
    ? old.sessionContext.session.kernel : null;
  if (old && old.sessionContext) {
    old.context.model.dirty = false;  // a test run's outputs need no saving (and no dialog)
    if (!keep) await old.sessionContext.shutdown();
  }
  await app.commands.execute('docmanager:open', keep && kernel ? {path, kernel: {id: kernel.id}} : {path});
  if (old) old.close();
}"""


def open_next(page: Any, path: str, *, same_kernel: bool = False) -> None:
    """In JupyterLab or JupyterLite: close the open notebook (and its kernel), open ``path``.

    Much quicker than loading the whole application again for every notebook. With
    ``same_kernel`` the new notebook joins the old one's kernel instead (in JupyterLite a new
    Pyodide kernel takes about 10 s to start; what a module's cells do is tested all the same).
    """
    from tests.browser import KERNEL_READY

    page.evaluate(_OPEN_NEXT, {"path": path, "keep": same_kernel})
    page.wait_for_function("""(p) => { const w = window.jupyterapp.shell.currentWidget;
                                       return !!w && !!w.context && w.context.path.endsWith(p); }""",
                           arg=path, timeout=30_000)
    page.wait_for_function(KERNEL_READY, timeout=120_000)
