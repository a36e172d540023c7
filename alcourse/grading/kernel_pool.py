"""Kernels started ahead of need: while one submission runs, the next one's kernel boots.

A worker knows which submission it grades next (the coordinator sends one ahead),
so it forks that kernel and fills its scratch folder with the files nbgrader will
put beside the notebook. The execute preprocessor then :meth:`~KernelPool.claim`\\ s
it; a kernel whose inputs turn out different from what nbgrader prepared is thrown
away and a fresh one started (:meth:`~KernelPool.fresh`), so a pre-start can only
save time, never change a result.

Kernels start on the worker thread's event loop (the one nbclient runs on), so a
booting kernel makes progress whenever nbclient waits for the current notebook.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alcourse.grading.kernels import SandboxKernelManager, SandboxKernelSpecManager
from alcourse.grading.sandbox import KernelFactory


def kernel_inputs(folder: Path, exclude: list[str] | None = None) -> dict[str, Path]:
    """Relative path -> file for what a kernel may read from ``folder`` (never notebooks)."""
    from nbgrader.utils import find_all_files

    if not folder.is_dir():
        return {}
    files = find_all_files(str(folder), [*(exclude or []), "*.ipynb"])
    return {str(Path(f).relative_to(folder)): Path(f) for f in files if not Path(f).is_symlink()}


def _digest(files: dict[str, Path]) -> dict[str, bytes]:
    return {rel: hashlib.sha256(path.read_bytes()).digest() for rel, path in files.items()}


def _fill_scratch(scratch: Path, inputs: dict[str, Path], notebook: Path | None) -> None:
    for rel, path in inputs.items():
        target = scratch / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    if notebook is not None and notebook.is_file():
        shutil.copy(notebook, scratch / notebook.name)


@dataclass
class Prestarted:
    """A kernel booted ahead of need for one submission, with the inputs it was given."""

    digests: dict[str, bytes]
    km: SandboxKernelManager
    scratch: Path
    task: asyncio.Task[Any]


async def _boot(km: SandboxKernelManager, timeout: float) -> Any:
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
    except BaseException:
        kc.stop_channels()
        raise
    return kc


class KernelPool:
    """Sandboxed kernels for one worker: at most one booting ahead per submission."""

    def __init__(self, factory: KernelFactory, startup_seconds: float = 60.0) -> None:
        self.factory = factory
        self.startup_seconds = startup_seconds
        self._ready: dict[str, Prestarted] = {}
        # one for every kernel: a new one reads the installed kernel specs from disk again
        self.spec_manager = SandboxKernelSpecManager()

    def prestart(self, student: str, inputs: dict[str, Path], notebook: Path | None) -> None:
        """Boot a kernel for a submission that comes next, while the current one runs."""
        from jupyter_core.utils import ensure_event_loop

        self.discard(student)
        scratch = self._scratch(student, inputs, notebook)
        km = SandboxKernelManager(self.factory, scratch, kernel_name="python3",
                                  kernel_spec_manager=self.spec_manager)
        task = ensure_event_loop().create_task(_boot(km, self.startup_seconds))
        self._ready[student] = Prestarted(_digest(inputs), km, scratch, task)

    def claim(self, student: str, inputs: dict[str, Path]) -> tuple[SandboxKernelManager, Any, Path] | None:
        """The prestarted kernel, its client and its scratch folder, if it fits ``inputs``; else None."""
        from jupyter_core.utils import ensure_event_loop

        ready = self._ready.pop(student, None)
        if ready is None:
            return None
        if _digest(inputs) != ready.digests:
            self._drop(ready)
            return None
        try:
            kc = ensure_event_loop().run_until_complete(ready.task)
        except Exception:
            self._drop(ready)
            return None
        return ready.km, kc, ready.scratch

    def fresh(self, student: str, inputs: dict[str, Path], notebook: Path | None,
              **km_options: Any) -> tuple[SandboxKernelManager, Path]:
        """A kernel manager (not started) whose kernel will see exactly ``inputs`` and ``notebook``."""
        scratch = self._scratch(student, inputs, notebook)
        km_options.setdefault("kernel_spec_manager", self.spec_manager)
        return SandboxKernelManager(self.factory, scratch, **km_options), scratch

    def _scratch(self, student: str, inputs: dict[str, Path], notebook: Path | None) -> Path:
        scratch = self.factory.new_scratch(student)
        _fill_scratch(scratch, inputs, notebook)
        self.factory.hand_over(scratch)
        return scratch

    def discard(self, student: str) -> None:
        """Stop a kernel started ahead for ``student`` and never claimed (nbgrader failed early)."""
        ready = self._ready.pop(student, None)
        if ready is not None:
            self._drop(ready)

    def close(self) -> None:
        for student in list(self._ready):
            self.discard(student)

    def _drop(self, ready: Prestarted) -> None:
        from jupyter_core.utils import ensure_event_loop

        async def stop() -> None:
            if not ready.task.done():
                ready.task.cancel()
            with contextlib.suppress(BaseException):
                kc = await ready.task
                kc.stop_channels()
            with contextlib.suppress(Exception):
                if ready.km.has_kernel:
                    await ready.km.shutdown_kernel(now=True)

        ensure_event_loop().run_until_complete(stop())
        shutil.rmtree(ready.scratch, ignore_errors=True)
