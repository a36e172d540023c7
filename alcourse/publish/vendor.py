"""Install-time vendoring for the offline JupyterLite site (run by ``make setup``, never at build).

JupyterLite's Pyodide kernel loads Pyodide and its packages from a CDN by default. Offline we
serve them ourselves:

- the ``pyodide`` npm package at exactly the version ``jupyterlite-pyodide-kernel`` expects gives
  the runtime (``pyodide.mjs``, ``pyodide.asm.*``, ``python_stdlib.zip``, ``pyodide-lock.json``);
- the pure-Python wheels the kernel needs from the lock file (micropip, IPython and its
  dependencies, jedi) come from PyPI. PyPI's files are not byte-identical to Pyodide's, so their
  ``sha256`` in the lock file is replaced;
- PyYAML and MarkupSafe (which Jinja2 needs) have no pure-Python wheel anywhere, so one is
  built from each sdist without its C extension and replaces Pyodide's compiled (CDN-only) entry;
- ``comm``, ``ipywidgets`` and ``jupyterlab_widgets`` wheels, at the versions installed here so
  that the kernel side matches the widget manager JupyterLite ships from this environment.

Usage (what the Makefile runs)::

    python -m alcourse.publish.vendor book/_vendor/lite
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
# What the kernel installs from the lock file at start-up (see the kernel worker's initKernel).
KERNEL_ROOTS = ("micropip", "packaging", "ipython", "jedi")
# What alcourse itself imports in the browser besides the widgets: Jinja2 renders its HTML.
LIBRARY_ROOTS = ("jinja2",)
# Installed with the kernel side of ipywidgets; versions are taken from this environment.
WIDGET_WHEELS = ("comm", "ipywidgets", "jupyterlab_widgets")


def normalise(name: str) -> str:
    """PEP 503 name: ``Prompt_Toolkit`` → ``prompt-toolkit``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pyodide_version() -> str:
    """The exact Pyodide version the installed JupyterLite kernel was built against."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    return str(PYODIDE_VERSION)


def lock_closure(packages: dict[str, dict[str, Any]], roots: tuple[str, ...]) -> list[str]:
    """Lock-file names of ``roots`` and everything they depend on, sorted.

    >>> lock = {"a": {"depends": ["B_c"]}, "b-c": {"depends": []}, "d": {"depends": []}}
    >>> lock_closure(lock, ("a",))
    ['a', 'b-c']
    """
    by_norm = {normalise(name): name for name in packages}
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = by_norm[normalise(stack.pop())]
        if name not in seen:
            seen.add(name)
            stack.extend(packages[name].get("depends", []))
    return sorted(seen)


def _pip(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--quiet", *args], check=True, cwd=cwd,
                   env={**os.environ, **(env or {})})


def npm_runtime(version: str, dest: Path) -> None:
    """The Pyodide runtime files from the npm registry into ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", f"pyodide@{version}"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(next(Path(tmp).glob("pyodide-*.tgz"))) as tar:
            tar.extractall(tmp, filter="data")
        for name in RUNTIME_FILES:
            shutil.copy2(Path(tmp) / "package" / name, dest / name)


def pure_wheels(lock: dict[str, Any], names: list[str], dest: Path, python: str) -> None:
    """Download the lock's pure-Python wheels from PyPI and point the lock at their hashes."""
    packages = lock["packages"]
    specs = [f"{packages[n]['name']}=={packages[n]['version']}" for n in names]
    _pip("download", "--no-deps", "--only-binary=:all:", "--python-version", python,
         "--implementation", "py", "--abi", "none", "--platform", "any", "-d", str(dest), *specs)
    for name in names:
        entry = packages[name]
        wheel = dest / entry["file_name"]
        if not wheel.exists():
            raise SystemExit(f"pip did not download {wheel.name} for {name}=={entry['version']}")
        entry["sha256"] = sha256(wheel)


# Lock entries Pyodide compiles (served only from its CDN), with how to build a pure-Python wheel
# from the project's sdist instead: PyYAML's setup.py drops its C extension when
# PYYAML_FORCE_LIBYAML is 0; MarkupSafe's setup.py falls back to its pure-Python module when the C
# compiler fails, which CC=false makes certain.
BUILT_PURE: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "pyyaml": ("PyYAML", {"PYYAML_FORCE_LIBYAML": "0"}, ["yaml"]),
    "markupsafe": ("MarkupSafe", {"CC": "false"}, ["markupsafe"]),
}


def pure_from_sdist(lock: dict[str, Any], dest: Path, name: str) -> None:
    """A pure-Python wheel of lock entry ``name``, built from its sdist, replacing the compiled one."""
    project, env, imports = BUILT_PURE[name]
    version = importlib.metadata.version(project)
    with tempfile.TemporaryDirectory() as tmp:
        _pip("download", "--no-deps", "--no-binary=:all:", f"{project}=={version}", "-d", tmp)
        sdist = next(Path(tmp).glob("*.tar.gz"))
        _pip("wheel", "--no-deps", "-w", tmp, str(sdist), env=env)
        wheel = next(Path(tmp).glob("*-py3-none-any.whl"))
        shutil.copy2(wheel, dest / wheel.name)
    entry = lock["packages"][name]
    entry.update(file_name=wheel.name, sha256=sha256(dest / wheel.name), imports=imports,
                 version=version, depends=[])


def widget_wheels(dest: Path) -> list[Path]:
    specs = [f"{name}=={importlib.metadata.version(name)}" for name in WIDGET_WHEELS]
    _pip("download", "--no-deps", "--only-binary=:all:", "-d", str(dest), *specs)
    return sorted(dest.glob("*.whl"))


def vendor(dest: Path) -> None:
    """Fill ``dest`` with ``pyodide/`` (runtime, wheels, patched lock) and ``wheels/``."""
    if dest.exists():
        shutil.rmtree(dest)
    runtime, wheels = dest / "pyodide", dest / "wheels"
    runtime.mkdir(parents=True)
    wheels.mkdir()
    version = pyodide_version()
    npm_runtime(version, runtime)
    lock_path = runtime / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    python = ".".join(lock["info"]["python"].split(".")[:2])
    names = lock_closure(lock["packages"], KERNEL_ROOTS + LIBRARY_ROOTS)
    pure_wheels(lock, [n for n in names if n not in BUILT_PURE], runtime, python)
    for name in BUILT_PURE:
        pure_from_sdist(lock, runtime, name)
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    widget_wheels(wheels)
    (dest / "VERSION").write_text(f"pyodide {version}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="folder to fill, e.g. book/_vendor/lite")
    vendor(parser.parse_args(argv).dest)


if __name__ == "__main__":
    main()
