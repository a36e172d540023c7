"""Build the JupyterLite site (``make lite``): every module runs in the browser, offline.

The site goes into ``_build/html/lite`` beside the book, which links to it ("Run in your
browser"). Nothing is fetched: the Pyodide runtime and wheels were vendored at set-up time by
:mod:`alcourse.publish.vendor`, the widget front end comes from this environment, the notebooks
are the trainee (release) versions made here by ``nbgrader generate_assignment`` (no hidden
tests, mark schemes or model answers reach the browser), and ``alcourse`` goes in as a wheel
built here by the standard build front end.

The kernel pre-loads ``alcourse`` (and with it ipywidgets and PyYAML) from the site's own
``pyodide-lock.json``, so the notebooks are the same as in JupyterLab: no install cell.
Answers are saved beside the notebook in the browser's storage; grading needs the
JupyterLab/JupyterHub route.

Usage::

    python -m alcourse.publish.lite            # _build/html/lite from book/_vendor/lite
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import alcourse
from alcourse.errors import UserError
from alcourse.publish.project import project_root
from alcourse.publish.vendor import normalise, sha256
from alcourse.venv import with_venv_path

# what `import alcourse` needs in the browser (Jinja2 renders the widgets' HTML); nbformat,
# pandas and matplotlib are for authoring and grading, which happen outside the browser
BROWSER_REQUIRES = ("ipywidgets", "pyyaml", "jinja2")
LITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
# SOURCE_DATE_EPOCH for the wheel's file dates when none is set: 1980-01-01, the earliest a zip
# can record, so two builds of the same code are byte-identical
EPOCH = "315532800"


def source_tree() -> Path:
    """The source checkout of the running ``alcourse`` (where its ``pyproject.toml`` is)."""
    tree = Path(alcourse.__file__).resolve().parent.parent
    pyproject = tree / "pyproject.toml"
    if not pyproject.is_file() or 'name = "alcourse"' not in pyproject.read_text(encoding="utf-8"):
        raise UserError(f"{tree}: alcourse is installed from a wheel, not from its source; the JupyterLite "
                        "site carries alcourse as a wheel built from source: run this with alcourse "
                        "installed from a checkout (pip install -e CHECKOUT)")
    return tree


def build_wheel(dest: Path, source: Path | None = None) -> Path:
    """The ``alcourse`` wheel for the browser, made by the standard build front end (``python -m
    build``, no network, no isolation): an sdist, then the wheel from it in a clean folder, so
    nothing left over in a ``build/`` folder can slip in. ``SOURCE_DATE_EPOCH`` fixes the files'
    dates, so the same code gives the same bytes.

    Building takes about 12 s (tests/test_publish.py builds it):

    >>> build_wheel(Path("_build/lite-src/wheels")).name  # doctest: +SKIP
    'alcourse-0.1.0-py3-none-any.whl'
    """
    source = source or source_tree()
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", EPOCH)}
        proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, str(source)],
                              env=env, capture_output=True, text=True, check=False)
        wheels = sorted(Path(out).glob("alcourse-*.whl"))
        if proc.returncode != 0 or not wheels:
            raise UserError(f"{source}: building the alcourse wheel failed:\n{proc.stdout[-3000:]}"
                            f"{proc.stderr[-3000:]}")
        wheel = dest / wheels[0].name
        shutil.copyfile(wheels[0], wheel)
    return wheel


def _wheel_requires(wheel: Path) -> list[str]:
    """Names (not versions or markers) a wheel requires outside any extra."""
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(meta).decode()
    names = []
    for line in text.splitlines():
        if line.startswith("Requires-Dist:"):
            spec = line.split(":", 1)[1].strip()
            if "extra ==" in spec:
                continue
            name = spec.split(";")[0].strip()
            for stop in "<>=!~[( ":
                name = name.split(stop)[0]
            names.append(normalise(name))
    return names


def add_to_lock(lock: dict[str, Any], wheels: list[Path], imports: dict[str, list[str]],
                depends: dict[str, tuple[str, ...]] | None = None) -> None:
    """Lock entries for ``wheels``, with dependencies kept to names the lock can satisfy.

    A requirement the lock cannot satisfy (e.g. ``widgetsnbextension``, whose front end the
    site already has) is left out: Pyodide would otherwise fail to load the package at all.
    ``depends`` names a package's dependencies in the browser where they are fewer than its
    wheel's (``alcourse`` needs no pandas or matplotlib there, though the lock has both).
    """
    packages = lock["packages"]
    names = {normalise(w.name.split("-")[0]): w for w in wheels}
    known = {normalise(n) for n in packages} | set(names)
    for name, wheel in names.items():
        packages[name] = {
            "name": name, "version": wheel.name.split("-")[1], "file_name": wheel.name,
            "install_dir": "site", "package_type": "package", "sha256": sha256(wheel),
            "imports": imports.get(name, [name.replace("-", "_")]),
            "depends": sorted(d for d in set((depends or {}).get(name) or _wheel_requires(wheel))
                              if d in known),
            "unvendored_tests": False,
        }


def release(notebooks: Path, work: Path) -> dict[str, Path]:
    """nbgrader's own release of every module in ``notebooks`` (``MODULE/MODULE.ipynb``): a course
    folder at ``work`` whose source is ``notebooks``, and one ``nbgrader generate_assignment``
    over all its modules, as a trainer's ``alcourse release`` does for each (hidden tests, mark
    schemes and model answers removed, cells locked, checksums recorded). Returns each module's
    release folder.
    """
    from alcourse.grading.course import CourseFolder

    modules = sorted(p.parent.name for p in notebooks.glob("*/*.ipynb")
                     if p.stem == p.parent.name and ".ipynb_checkpoints" not in p.parts)
    if not modules:
        raise UserError(f"{notebooks}: no module notebooks (MODULE/MODULE.ipynb); "
                        "run `alcourse build` first")
    if work.exists():
        shutil.rmtree(work)
    folder = CourseFolder.init(work, source=notebooks.resolve())
    # nbgrader globs the assignment id: one run releases every module (one start-up, not ten)
    folder.nbgrader("generate_assignment", "*", "--force")
    released = {m: folder.root / "release" / m for m in modules}
    for module, path in released.items():
        if not (path / f"{module}.ipynb").is_file():
            raise UserError(f"{notebooks / module}: nbgrader released no {module}.ipynb")
        # answers a trainer left while trying the source must not reach trainees
        for stray in path.glob("*.answers.json"):
            stray.unlink()
    return released


def write_contents(notebooks: Path, files: Path, work: Path,
                   kernelspec: dict[str, Any] | None = LITE_KERNELSPEC) -> list[Path]:
    """Every module's release (see :func:`release`) into ``files/MODULE/``; return the notebooks.

    ``kernelspec`` replaces the notebooks' (JupyterLite's kernel is called ``python``); None keeps it.
    """
    import nbformat

    written = []
    for module, released in release(notebooks, work).items():
        dest = files / module
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(released, dest)
        notebook = dest / f"{module}.ipynb"
        if kernelspec is not None:
            nb = nbformat.read(notebook, as_version=4)
            nb.metadata["kernelspec"] = dict(kernelspec)
            nbformat.write(nb, notebook)
        written.append(notebook)
    return written


def labextension(name: str) -> Path:
    """A front-end extension installed in this environment (copied, never downloaded)."""
    path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name
    if not (path / "package.json").exists():
        raise UserError(f"{path}: missing; run `make setup` to install the pinned requirements")
    return path


def stage(stage_dir: Path, vendor: Path, notebooks: Path, config_dir: Path) -> list[Path]:
    """Lay out the JupyterLite input folder; return the wheels for ``--piplite-wheels``."""
    if not (vendor / "pyodide" / "pyodide-lock.json").exists():
        raise UserError(f"{vendor}: the Pyodide runtime is not vendored; run `make setup` "
                        "(it fetches it from the npm registry and PyPI once)")
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    pyodide = stage_dir / "static" / "pyodide"
    shutil.copytree(vendor / "pyodide", pyodide)
    wheels = [build_wheel(stage_dir / "wheels"), *sorted((vendor / "wheels").glob("*.whl"))]
    for wheel in wheels:
        shutil.copy2(wheel, pyodide / wheel.name)
    lock_path = pyodide / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    add_to_lock(lock, wheels, {"jupyterlab-widgets": [], "ipywidgets": ["ipywidgets"]},
                {"alcourse": BROWSER_REQUIRES})
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    write_contents(notebooks, stage_dir / "files", stage_dir.parent / "lite-release")
    config = json.loads((config_dir / "jupyter_lite_config.json").read_text(encoding="utf-8"))
    config.setdefault("LiteBuildConfig", {})["federated_extensions"] = [
        str(labextension(name)) for name in ("@jupyterlite/pyodide-kernel-extension",
                                             "@jupyter-widgets/jupyterlab-manager")]
    (stage_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1),
                                                        encoding="utf-8")
    shutil.copy2(config_dir / "jupyter-lite.json", stage_dir / "jupyter-lite.json")
    shutil.copy2(Path(__file__).with_name("overrides.json"), stage_dir / "overrides.json")
    return wheels


def build(root: Path, output: Path | None = None, vendor: Path | None = None, notebooks: Path | None = None,
          stage_dir: Path | None = None) -> Path:
    """Build the site of the project at ``root`` into ``output``; return ``output``."""
    output = output or root / "_build" / "html" / "lite"
    vendor = vendor or root / "book" / "_vendor" / "lite"
    notebooks = notebooks or root / "notebooks"
    stage_dir = stage_dir or output.parent.parent / "lite-src"
    wheels = stage(stage_dir, vendor, notebooks, root / "book" / "lite")
    if output.exists():
        shutil.rmtree(output)
    env = with_venv_path()
    cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(stage_dir),
           "--output-dir", str(output), "--contents", str(stage_dir / "files"),
           "--settings-overrides", str(stage_dir / "overrides.json"),
           "--piplite-wheels", *[str(w) for w in wheels]]
    proc = subprocess.run(cmd, cwd=stage_dir, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise UserError(f"jupyter lite build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    # browsers ask the site's root for /favicon.ico before JupyterLite sets its own icon;
    # without one every visit logs a 404
    root_icon = output.parent / "favicon.ico"
    if not root_icon.exists() and (output / "lab" / "favicon.ico").exists():
        shutil.copy2(output / "lab" / "favicon.ico", root_icon)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=None,
                        help="the course project's folder (default: the current folder)")
    parser.add_argument("--output", type=Path, default=None, help="default: ROOT/_build/html/lite")
    parser.add_argument("--vendor", type=Path, default=None, help="default: ROOT/book/_vendor/lite")
    args = parser.parse_args(argv)
    try:
        out = build(project_root(args.root), args.output and args.output.resolve(),
                    args.vendor and args.vendor.resolve())
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"JupyterLite site in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
