"""nbgrader preprocessors that alcourse puts in place of two of nbgrader's own.

* :class:`RestoreCells` is nbgrader's ``OverwriteCells`` (edited locked cells are
  restored from the gradebook) that also puts back every *deleted* locked or
  graded cell, in its place. nbgrader's own ``add_missing_cells`` fails with a
  ``KeyError`` when the cell before a deleted one is an ordinary locked cell,
  and never restores locked cells that are not graded (such as the setup cell
  every check depends on).
* :class:`SandboxedExecute` is nbgrader's ``Execute`` with its kernel forked in
  the sandbox, a limit on output bytes per cell (nbgrader limits lines, so one
  50 MB line passes), a limit on the time for a whole submission, and a
  journal of what happened for the honest status of each submission.

Both are configured through nbgrader's own ``Autograde.sanitize_preprocessors``
and ``Autograde.autograde_preprocessors``; see :mod:`alcourse.grading.worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import Execute, OverwriteCells

from alcourse.grading.kernels import SandboxKernelManager
from alcourse.grading.options import GradeOptions
from alcourse.grading.sandbox import KernelFactory

RESTORED_NOTE = "This cell (id:{cell_id}) was missing from the submission. It was put back by alcourse."


def _coursedir(preprocessor: Any) -> Any:
    """nbgrader's CourseDirectory, reached through the exporter to the converter."""
    node = getattr(preprocessor, "parent", None)
    while node is not None:
        if getattr(node, "coursedir", None) is not None:
            return node.coursedir
        node = getattr(node, "parent", None)
    return None


class RestoreCells(OverwriteCells):  # type: ignore[misc]
    """OverwriteCells, plus deleted locked and graded cells put back where they were."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb, resources = super().preprocess(nb, resources)
        with Gradebook(self.db_url) as gb:
            try:
                source_nb = gb.find_notebook(self.notebook_id, self.assignment_id)
            except MissingEntry:
                return nb, resources
            source_cells = list(source_nb.source_cells)
            grade_cells = {c.name: c for c in source_nb.grade_cells}
            solution_ids = {c.name for c in source_nb.solution_cells}
            task_ids = {c.name for c in source_nb.task_cells}
            order = self._source_order(resources)
            source_cells.sort(key=lambda c: order.get(c.name, len(order)))
            for position, source_cell in enumerate(source_cells):
                if source_cell.name in self._present(nb):
                    continue
                if not (source_cell.locked or source_cell.name in grade_cells
                        or source_cell.name in solution_ids or source_cell.name in task_ids):
                    continue
                cell = self._rebuild(source_cell, grade_cells.get(source_cell.name),
                                     source_cell.name in solution_ids, source_cell.name in task_ids)
                self.log.warning("Missing cell %s put back into the notebook", source_cell.name)
                present = self._present(nb)
                before = [present[c.name] for c in source_cells[:position] if c.name in present]
                nb.cells.insert(before[-1] + 1 if before else 0, cell)
        return nb, resources

    @staticmethod
    def _present(nb: NotebookNode) -> dict[str, int]:
        return {cell.metadata["nbgrader"]["grade_id"]: index for index, cell in enumerate(nb.cells)
                if "grade_id" in cell.metadata.get("nbgrader", {})}

    def _source_order(self, resources: ResourcesDict) -> dict[str, int]:
        """Cell order from the source notebook (the gradebook does not keep positions)."""
        coursedir = _coursedir(self)
        if coursedir is None:
            return {}
        path = Path(coursedir.format_path(coursedir.source_directory, ".", self.assignment_id))
        try:
            source = json.loads((path / f"{self.notebook_id}.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in source.get("cells", [])]
        return {grade_id: index for index, grade_id in enumerate(ids) if grade_id}

    def _rebuild(self, source_cell: Any, grade_cell: Any, is_solution: bool, is_task: bool) -> NotebookNode:
        if grade_cell is not None:
            cell = self.missing_cell_transform(source_cell, grade_cell.max_score, is_solution=is_solution)
            if is_solution:
                # an empty answer put back must score as "no response", not wait for a marker
                cell.source = source_cell.source
            else:
                cell.source = f"# {RESTORED_NOTE.format(cell_id=source_cell.name)}\n{source_cell.source}"
            return cell
        if is_task:
            return self.missing_cell_transform(source_cell, 0, is_task=True)
        source = source_cell.source
        if source_cell.cell_type == "code":
            source = f"# {RESTORED_NOTE.format(cell_id=source_cell.name)}\n{source}"
        if source_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(source=source)
        else:
            cell = nbformat.v4.new_markdown_cell(source=source)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
        cell.metadata["nbgrader"] = {"grade": False, "solution": is_solution, "task": False,
                                     "locked": source_cell.locked, "grade_id": source_cell.name,
                                     "checksum": source_cell.checksum, "schema_version": 3}
        cell.pop("id", None)
        return MetadataValidator().upgrade_cell_metadata(cell)  # type: ignore[no-any-return]


@dataclass
class Incident:
    """Something that happened while a notebook ran: what the status report builds on."""

    kind: str  # "timeout", "truncated", "kernel-died", "deadline", "kernel-start"
    cell: int | None
    message: str
    detail: dict[str, Any] = field(default_factory=dict)


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


@dataclass
class GradingContext:
    """What a worker shares with the Execute preprocessors nbgrader creates for it."""

    factory: KernelFactory
    options: GradeOptions = field(default_factory=GradeOptions)
    journal: dict[str, list[Incident]] = field(default_factory=dict)
    prestarted: dict[str, Prestarted] = field(default_factory=dict)

    def note(self, student: str, incident: Incident) -> None:
        self.journal.setdefault(student, []).append(incident)

    def prestart(self, student: str, inputs: dict[str, Path], notebook: Path | None) -> None:
        """Boot a kernel for a submission that comes next, while the current one runs.

        The kernel starts on this thread's event loop, so it makes progress whenever
        nbclient waits for the current notebook; :meth:`claim` checks that it was
        given exactly the files nbgrader then prepares, and otherwise throws it away.
        """
        from jupyter_core.utils import ensure_event_loop

        self.discard(student)
        scratch = self.factory.new_scratch(student)
        _fill_scratch(scratch, inputs, notebook)
        self.factory.hand_over(scratch)
        km = SandboxKernelManager(self.factory, scratch, kernel_name="python3")
        task = ensure_event_loop().create_task(_boot(km, self.options.startup_seconds))
        self.prestarted[student] = Prestarted(_digest(inputs), km, scratch, task)

    def claim(self, student: str, inputs: dict[str, Path]) -> tuple[SandboxKernelManager, Any, Path] | None:
        """The prestarted kernel and its client for this submission, if it fits; else None."""
        from jupyter_core.utils import ensure_event_loop

        ready = self.prestarted.pop(student, None)
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

    def discard(self, student: str) -> None:
        ready = self.prestarted.pop(student, None)
        if ready is not None:
            self._drop(ready)

    def discard_all(self) -> None:
        for student in list(self.prestarted):
            self.discard(student)

    def _drop(self, ready: Prestarted) -> None:
        from jupyter_core.utils import ensure_event_loop

        loop = ensure_event_loop()

        async def stop() -> None:
            if not ready.task.done():
                ready.task.cancel()
            with contextlib.suppress(BaseException):
                kc = await ready.task
                kc.stop_channels()
            with contextlib.suppress(Exception):
                if ready.km.has_kernel:
                    await ready.km.shutdown_kernel(now=True)

        loop.run_until_complete(stop())
        shutil.rmtree(ready.scratch, ignore_errors=True)


def _size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(content["text"])
    if "traceback" in content:
        return sum(len(line) for line in content["traceback"])
    total = 0
    for value in content.get("data", {}).values():
        total += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    return total


def _human(size: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} bytes"


class SandboxedExecute(Execute):  # type: ignore[misc]
    """nbgrader's Execute, with the kernel in the sandbox and bounded output and time.

    A worker makes a subclass with ``context`` set (see :func:`bind_context`), so
    the factory travels with the class nbgrader instantiates, not with its config.
    """

    context: ClassVar[GradingContext | None] = None

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict,
                   km: Any = None) -> tuple[NotebookNode, ResourcesDict]:
        ctx = self.context
        assert ctx is not None, "use bind_context() to make a SandboxedExecute for a worker"
        self._student = resources["nbgrader"]["student"]
        self._cell_bytes: dict[int, int] = {}
        self._dropped: dict[int, int] = {}
        self._notices: dict[int, NotebookNode] = {}
        self._current_cell: int | None = None
        self._sandbox_km: SandboxKernelManager | None = None
        self._scratch: Path | None = None
        self._deadline_hit = False
        watchdog = threading.Timer(ctx.options.submission_seconds, self._stop_for_deadline)
        watchdog.daemon = True
        watchdog.start()
        try:
            return super().preprocess(nb, resources, km)  # type: ignore[no-any-return]
        except DeadKernelError:
            self._note_death()
            raise
        except CellTimeoutError:
            # nbclient gives up when an interrupted cell still sends nothing back
            if self._deadline_hit:
                self._note_death()
            else:
                cell = self._current_cell
                ctx.note(self._student, Incident(
                    "unresponsive", cell,
                    f"cell {cell + 1 if cell is not None else '?'} ran longer than {self.timeout} s and "
                    "did not stop when interrupted", {"seconds": self.timeout}))
            raise
        finally:
            watchdog.cancel()
            self._finish_notices()
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
            process = getattr(getattr(self._sandbox_km, "provisioner", None), "process", None)
            if process is not None and hasattr(process, "kernel_id"):
                ctx.factory.forget(process.kernel_id)

    # -- the kernel ---------------------------------------------------------------------------------
    def create_kernel_manager(self) -> SandboxKernelManager:
        ctx = self.context
        assert ctx is not None
        info = self.resources["nbgrader"]
        # what the kernel may read: the files nbgrader put beside the notebook (never the
        # autograded notebook itself, which holds the hidden tests) and the trainee's own notebook
        inputs = kernel_inputs(Path(self.resources.get("metadata", {}).get("path") or "."))
        kernel_name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.kernel_name = kernel_name
        claimed = ctx.claim(info["student"], inputs) if kernel_name == "python3" else None
        if claimed is not None:
            km, kc, scratch = claimed
            kc.allow_stdin = False
            self.kc = kc
        else:
            scratch = ctx.factory.new_scratch(info["student"])
            coursedir = _coursedir(self)
            notebook = None
            if coursedir is not None:
                notebook = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                                      info["assignment"])) / f"{info['notebook']}.ipynb"
            _fill_scratch(scratch, inputs, notebook)
            ctx.factory.hand_over(scratch)
            km = SandboxKernelManager(ctx.factory, scratch, kernel_name=kernel_name, config=self.config)
        self.km = km
        self._sandbox_km = km
        self._scratch = scratch
        return km

    def _stop_for_deadline(self) -> None:
        self._deadline_hit = True
        km = self._sandbox_km
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            process.kill()

    def _note_death(self) -> None:
        ctx = self.context
        assert ctx is not None
        status = self._sandbox_km.exit_status if self._sandbox_km is not None else None
        if status is None and self._sandbox_km is not None:
            # the exit event may still be on its way from the fork-server
            for _ in range(50):
                time.sleep(0.02)
                status = self._sandbox_km.exit_status
                if status is not None:
                    break
        code, sig = status if status is not None else (None, None)
        if self._deadline_hit:
            ctx.note(self._student, Incident(
                "deadline", self._current_cell,
                f"stopped after {ctx.options.submission_seconds:.0f} s, the time limit for one submission",
                {"seconds": ctx.options.submission_seconds}))
        else:
            ctx.note(self._student, Incident("kernel-died", self._current_cell, "the kernel ended",
                                             {"code": code, "signal": sig}))

    # -- cells and outputs --------------------------------------------------------------------------
    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        # (nbclient binds execute_cell to its own coroutine, so an override there is never called)
        self._current_cell = index
        return super().preprocess_cell(cell, resources, index)  # type: ignore[no-any-return]

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        ctx = self.context
        assert ctx is not None
        ctx.note(self._student, Incident(
            "timeout", self._current_cell,
            f"ran longer than {timeout} s and was interrupted", {"seconds": timeout}))
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        ctx = self.context
        assert ctx is not None
        size = _size(msg.get("content", {}))
        used = self._cell_bytes.get(cell_index, 0)
        limit = ctx.options.max_output_bytes
        if used + size <= limit:
            self._cell_bytes[cell_index] = used + size
            return super().output(outs, msg, display_id, cell_index)  # type: ignore[no-any-return]
        room = max(0, limit - used)
        self._cell_bytes[cell_index] = limit
        content = msg.get("content", {})
        if room and msg.get("msg_type") == "stream":
            kept = dict(msg, content=dict(content, text=content["text"][:room]))
            super().output(outs, kept, display_id, cell_index)
            size -= room
        self._dropped[cell_index] = self._dropped.get(cell_index, 0) + size
        if cell_index not in self._notices:
            notice = nbformat.v4.new_output("stream", name="stdout", text="")
            outs.append(notice)
            self._notices[cell_index] = notice
        return None

    def handle_comm_msg(self, outs: list[NotebookNode], msg: dict[str, Any], cell_index: int) -> None:
        ctx = self.context
        assert ctx is not None
        data = msg.get("content", {}).get("data", {})
        if len(json.dumps(data, default=str)) > ctx.options.max_output_bytes:
            # an oversized widget state would be kept whole in the notebook's metadata
            self._dropped[cell_index] = self._dropped.get(cell_index, 0) + 1
            return
        super().handle_comm_msg(outs, msg, cell_index)

    def _finish_notices(self) -> None:
        ctx = self.context
        if ctx is None:
            return
        for cell_index, dropped in self._dropped.items():
            notice = self._notices.get(cell_index)
            text = (f"[alcourse: output cut here. This cell produced more than "
                    f"{_human(ctx.options.max_output_bytes)} of output; "
                    f"{_human(dropped)} more was not kept.]\n")
            if notice is not None:
                notice.text = "\n" + text
            ctx.note(self._student, Incident("truncated", cell_index, text.strip(),
                                             {"dropped_bytes": dropped}))


def bind_context(context: GradingContext) -> type[SandboxedExecute]:
    """A SandboxedExecute class that carries this worker's context."""
    return type("BoundSandboxedExecute", (SandboxedExecute,), {"context": context})
