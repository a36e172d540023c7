"""SandboxedExecute: nbgrader's ``Execute`` with the kernel in the sandbox, bounded output and time.

* The kernel is forked in the sandbox (:mod:`alcourse.grading.sandbox`), by the worker's
  :class:`~alcourse.grading.kernel_pool.KernelPool`, often started ahead of need.
* Output is limited in *bytes* per cell while it arrives (nbgrader's ``LimitOutput`` limits
  lines, after the fact, so one 50 MB line passes and is held in memory first).
* A whole submission has a time limit (``submission_seconds``), beyond nbclient's per-cell
  ``timeout``.
* What happened (a timeout, cut output, a dead kernel) is noted in the worker's
  :class:`~alcourse.grading.incidents.Journal` for the honest status of each submission.

Configured through nbgrader's own ``Autograde.autograde_preprocessors`` with traitlets
(``SandboxedExecute.timeout``, ``.submission_seconds``, ``.max_output_bytes``); the kernel
pool and the journal are the worker's, found up the parent chain (see
:mod:`~alcourse.grading.preprocessors.lineage`). Everything here uses nbclient's public
hooks (``on_cell_start``, ``on_cell_execute``, ``on_cell_executed``, ``error_on_timeout``)
and its public methods (``create_kernel_manager``, ``output``, ``handle_comm_msg``).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer

from alcourse.grading.incidents import Incident, Journal
from alcourse.grading.kernel_pool import KernelPool, kernel_inputs
from alcourse.grading.kernels import SandboxKernelManager
from alcourse.grading.preprocessors.lineage import find_up


def _size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(content["text"])
    if "traceback" in content:
        return sum(len(line) for line in content["traceback"])
    total = 0
    for value in content.get("data", {}).values():
        total += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    return total


def human_size(size: float) -> str:
    """
    >>> human_size(512), human_size(100_000)
    ('512 bytes', '100.0 kB')
    """
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} bytes"


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in the sandbox and bounded output and time."""

    submission_seconds = Float(300.0, help="Seconds one whole submission may run before its kernel "
                                           "is stopped.").tag(config=True)
    max_output_bytes = Integer(100_000, help="Output kept per cell, in bytes; the rest is dropped "
                                             "with a notice.").tag(config=True)

    # -- where the worker's kernels and journal are ---------------------------------------------
    @property
    def pool(self) -> KernelPool:
        pool = find_up(self, "kernel_pool")
        if pool is None:
            raise RuntimeError("SandboxedExecute runs inside an alcourse grading worker "
                               "(alcourse grade), which provides its kernel pool")
        return pool  # type: ignore[no-any-return]

    @property
    def journal(self) -> Journal:
        found: Journal = find_up(self, "journal") or Journal()
        return found

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict,
                   km: Any = None) -> tuple[NotebookNode, ResourcesDict]:
        self._student = resources["nbgrader"]["student"]
        self._journal = self.journal
        self._cell_bytes: dict[int, int] = {}
        self._dropped: dict[int, int] = {}
        self._notices: dict[int, NotebookNode] = {}
        self._current_cell: int | None = None
        self._cell_started = 0.0
        self._sandbox_km: SandboxKernelManager | None = None
        self._reset_scratch()
        self._deadline_hit = False
        self._kernel_asked = time.perf_counter()
        self._reset_cell_clock()
        watchdog = threading.Timer(self.submission_seconds, self._stop_for_deadline)
        watchdog.daemon = True
        watchdog.start()
        try:
            done: tuple[NotebookNode, ResourcesDict] = super().preprocess(nb, resources, km)
            return done
        except DeadKernelError:
            self._note_death()
            raise
        except CellTimeoutError:
            # nbclient gives up when an interrupted cell still sends nothing back
            if self._deadline_hit:
                self._note_death()
            else:
                cell = self._current_cell
                self._journal.note(self._student, Incident(
                    "unresponsive", cell,
                    f"cell {cell + 1 if cell is not None else '?'} ran longer than {self.timeout} s and "
                    "did not stop when interrupted", {"seconds": self.timeout}))
            raise
        finally:
            watchdog.cancel()
            if self._cells_started is not None:
                ended = self._cells_ended or time.perf_counter()
                self._journal.clock.add("cells", ended - self._cells_started)
            self._finish_notices()
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
            process = getattr(getattr(self._sandbox_km, "provisioner", None), "process", None)
            if process is not None and hasattr(process, "kernel_id"):
                self.pool.factory.forget(process.kernel_id)

    def _reset_scratch(self) -> None:
        # the kernel's scratch folder, made when the kernel starts (create_kernel_manager)
        self._scratch: Path | None = None

    def _reset_cell_clock(self) -> None:
        # set by nbclient's hooks while the cells run (on_cell_start / on_cell_executed)
        self._cells_started: float | None = None
        self._cells_ended: float | None = None

    # -- the kernel ---------------------------------------------------------------------------------
    def create_kernel_manager(self) -> SandboxKernelManager:
        self._kernel_asked = time.perf_counter()
        info = self.resources["nbgrader"]
        pool = self.pool
        # what the kernel may read: the files nbgrader put beside the notebook (never the
        # autograded notebook itself, which holds the hidden tests) and the trainee's own notebook
        inputs = kernel_inputs(Path(self.resources.get("metadata", {}).get("path") or "."))
        # the kernel is the notebook's own (Python) unless configured: set, then read by nbclient
        named: str = getattr(self, "kernel_name", "") or ""
        kernel_name = named or self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.kernel_name = kernel_name
        claimed = pool.claim(info["student"], inputs) if kernel_name == "python3" else None
        if claimed is not None:
            km, kc, scratch = claimed
            kc.allow_stdin = False
            self.kc = kc
        else:
            coursedir = find_up(self, "coursedir")
            notebook = None
            if coursedir is not None:
                notebook = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                                      info["assignment"])) / f"{info['notebook']}.ipynb"
            km, scratch = pool.fresh(info["student"], inputs, notebook, kernel_name=kernel_name,
                                     config=self.config)
        self.km = km
        self._sandbox_km = km
        self._scratch = scratch
        return km

    def _stop_for_deadline(self) -> None:
        self._deadline_hit = True
        process = getattr(getattr(self._sandbox_km, "provisioner", None), "process", None)
        if process is not None:
            process.kill()

    def _note_death(self) -> None:
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
            self._journal.note(self._student, Incident(
                "deadline", self._current_cell,
                f"stopped after {self.submission_seconds:.0f} s, the time limit for one submission",
                {"seconds": self.submission_seconds}))
        else:
            self._journal.note(self._student, Incident("kernel-died", self._current_cell, "the kernel ended",
                                                       {"code": code, "signal": sig}))

    # -- nbclient's hooks ---------------------------------------------------------------------------
    # nbclient declares these as configurable callables; nbgrader's Execute defines
    # on_cell_executed as a method, and so does this class (calling nbgrader's).
    # (nbconvert's ExecutePreprocessor runs cell by cell: the on_notebook_* hooks never fire)
    def on_cell_start(self, cell: NotebookNode, cell_index: int) -> None:
        self._current_cell = cell_index
        if self._cells_started is None:  # the kernel is up and has answered kernel_info
            self._cells_started = time.perf_counter()
            self._journal.clock.add("kernel start", self._cells_started - self._kernel_asked)

    def on_cell_execute(self, cell: NotebookNode, cell_index: int) -> None:
        self._cell_started = time.monotonic()

    def on_cell_executed(self, **kwargs: Any) -> None:
        super().on_cell_executed(**kwargs)
        self._cells_ended = time.perf_counter()
        content = kwargs["execute_reply"]["content"]
        limit = self.timeout_func(kwargs["cell"]) if self.timeout_func is not None else self.timeout
        # nbclient answers a cell that ran past its timeout (and was interrupted) with the
        # reply configured in error_on_timeout; the elapsed time tells it from a notebook
        # that raises an exception of that name itself
        if content.get("status") == "error" and self.error_on_timeout and limit and \
                content.get("ename") == self.error_on_timeout.get("ename") and \
                time.monotonic() - self._cell_started >= limit:
            self._journal.note(self._student, Incident(
                "timeout", kwargs["cell_index"], f"ran longer than {limit} s and was interrupted",
                {"seconds": limit}))

    # -- outputs ------------------------------------------------------------------------------------
    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        size = _size(msg.get("content", {}))
        used = self._cell_bytes.get(cell_index, 0)
        limit = self.max_output_bytes
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
        data = msg.get("content", {}).get("data", {})
        if len(json.dumps(data, default=str)) > self.max_output_bytes:
            # an oversized widget state would be kept whole in the notebook's metadata
            self._dropped[cell_index] = self._dropped.get(cell_index, 0) + 1
            return
        super().handle_comm_msg(outs, msg, cell_index)

    def _finish_notices(self) -> None:
        for cell_index, dropped in self._dropped.items():
            notice = self._notices.get(cell_index)
            text = (f"[alcourse: output cut here. This cell produced more than "
                    f"{human_size(self.max_output_bytes)} of output; "
                    f"{human_size(dropped)} more was not kept.]\n")
            if notice is not None:
                notice.text = "\n" + text
            self._journal.note(self._student, Incident("truncated", cell_index, text.strip(),
                                                       {"dropped_bytes": dropped}))
