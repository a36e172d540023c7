"""Build the JupyterLite site (``make lite``): every module runs in the browser, offline.

The site goes into ``_build/html/lite`` beside the book, which links to it ("Run in your
browser"). Nothing is fetched: the Pyodide runtime and wheels were vendored at set-up time by
:mod:`alcourse.publish.vendor`, the widget front end comes from this environment, the notebooks
are the trainee (release) versions made here with nbgrader's own preprocessors (no hidden
tests, mark schemes or model answers reach the browser), and ``alcourse`` goes in as a wheel
built here.

The kernel pre-loads ``alcourse`` (and with it ipywidgets and PyYAML) from the site's own
``pyodide-lock.json``, so the notebooks are the same as in JupyterLab: no install cell.
Answers are saved beside the notebook in the browser's storage; grading needs the
JupyterLab/JupyterHub route.

Usage::

    python -m alcourse.publish.lite            # _build/html/lite from book/_vendor/lite
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import alcourse
from alcourse.errors import UserError
from alcourse.publish.vendor import normalise, sha256
from alcourse.venv import with_venv_path

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "book" / "lite"
VENDOR = ROOT / "book" / "_vendor" / "lite"
OUTPUT = ROOT / "_build" / "html" / "lite"
# what `import alcourse` needs in the browser (Jinja2 renders the widgets' HTML); nbformat,
# pandas and matplotlib are for authoring and grading, which happen outside the browser
BROWSER_REQUIRES = ("ipywidgets", "pyyaml", "jinja2")
LITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
# a fixed timestamp keeps the wheel byte-identical between builds of the same code
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(dest: Path, package: Path | None = None) -> Path:
    """A pure-Python wheel of ``alcourse`` for the browser, built without network or setuptools.

    >>> import tempfile, zipfile
    >>> wheel = build_wheel(Path(tempfile.mkdtemp()))
    >>> wheel.name == f"alcourse-{alcourse.__version__}-py3-none-any.whl"
    True
    >>> "alcourse/content/data/seed.yaml" in zipfile.ZipFile(wheel).namelist()
    True
    """
    package = package or Path(alcourse.__file__).parent
    version = alcourse.__version__
    dist_info = f"alcourse-{version}.dist-info"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        files.append((f"alcourse/{path.relative_to(package).as_posix()}", path.read_bytes()))
    metadata = "\n".join(["Metadata-Version: 2.1", "Name: alcourse", f"Version: {version}",
                          "Summary: A Jupyter course for facilitators of action learning sets "
                          "(browser build)",
                          *(f"Requires-Dist: {r}" for r in BROWSER_REQUIRES)]) + "\n"
    files += [(f"{dist_info}/METADATA", metadata.encode()),
              (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: alcourse.publish.lite\n"
                                     b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
              (f"{dist_info}/top_level.txt", b"alcourse\n")]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    dest.mkdir(parents=True, exist_ok=True)
    wheel = dest / f"alcourse-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*files, (f"{dist_info}/RECORD", record.encode())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
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


def add_to_lock(lock: dict, wheels: list[Path], imports: dict[str, list[str]]) -> None:
    """Lock entries for ``wheels``, with dependencies kept to names the lock can satisfy.

    A requirement the lock cannot satisfy (e.g. ``widgetsnbextension``, whose front end the
    site already has) is left out: Pyodide would otherwise fail to load the package at all.
    """
    packages = lock["packages"]
    names = {normalise(w.name.split("-")[0]): w for w in wheels}
    known = {normalise(n) for n in packages} | set(names)
    for name, wheel in names.items():
        packages[name] = {
            "name": name, "version": wheel.name.split("-")[1], "file_name": wheel.name,
            "install_dir": "site", "package_type": "package", "sha256": sha256(wheel),
            "imports": imports.get(name, [name.replace("-", "_")]),
            "depends": sorted(d for d in set(_wheel_requires(wheel)) if d in known),
            "unvendored_tests": False,
        }


def release_notebook(source: Path, kernelspec: dict | None = LITE_KERNELSPEC) -> dict:
    """The trainee version of a source notebook, as ``nbgrader generate_assignment`` makes it.

    Run in-process with nbgrader's own preprocessors (minus the gradebook), so hidden tests,
    mark schemes and model answers are removed exactly as in a release. ``kernelspec``
    replaces the notebook's (JupyterLite's kernel is called ``python``); None keeps it.
    """
    import nbformat
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = nbformat.read(source, as_version=4)
    resources: dict = {}
    for step in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata, ComputeChecksums,
                 ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata):
        nb, resources = step().preprocess(nb, resources)
    if kernelspec is not None:
        nb.metadata["kernelspec"] = dict(kernelspec)
    return nb


def write_contents(notebooks: Path, files: Path) -> list[Path]:
    """Released notebooks of every module into ``files/MODULE/MODULE.ipynb``."""
    import nbformat

    written = []
    for source in sorted(notebooks.glob("*/*.ipynb")):
        if ".ipynb_checkpoints" in source.parts:
            continue
        dest = files / source.parent.name / source.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(release_notebook(source), dest)
        written.append(dest)
    if not written:
        raise UserError(f"{notebooks}: no module notebooks (MODULE/MODULE.ipynb); "
                        "run `make notebooks` first")
    return written


def labextension(name: str) -> Path:
    """A front-end extension installed in this environment (copied, never downloaded)."""
    path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name
    if not (path / "package.json").exists():
        raise UserError(f"{path}: missing; run `make setup` to install the pinned requirements")
    return path


def stage(stage_dir: Path, vendor: Path, notebooks: Path) -> list[Path]:
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
    add_to_lock(lock, wheels, {"jupyterlab-widgets": [], "ipywidgets": ["ipywidgets"]})
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    write_contents(notebooks, stage_dir / "files")
    config = json.loads((CONFIG_DIR / "jupyter_lite_config.json").read_text(encoding="utf-8"))
    config.setdefault("LiteBuildConfig", {})["federated_extensions"] = [
        str(labextension(name)) for name in ("@jupyterlite/pyodide-kernel-extension",
                                             "@jupyter-widgets/jupyterlab-manager")]
    (stage_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1),
                                                        encoding="utf-8")
    shutil.copy2(CONFIG_DIR / "jupyter-lite.json", stage_dir / "jupyter-lite.json")
    shutil.copy2(Path(__file__).with_name("overrides.json"), stage_dir / "overrides.json")
    return wheels


def build(output: Path = OUTPUT, vendor: Path = VENDOR, notebooks: Path | None = None,
          stage_dir: Path | None = None) -> Path:
    """Build the site into ``output``; return ``output``."""
    notebooks = notebooks or ROOT / "notebooks"
    stage_dir = stage_dir or output.parent.parent / "lite-src"
    wheels = stage(stage_dir, vendor, notebooks)
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
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--vendor", type=Path, default=VENDOR)
    args = parser.parse_args(argv)
    try:
        out = build(args.output.resolve(), args.vendor.resolve())
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"JupyterLite site in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
