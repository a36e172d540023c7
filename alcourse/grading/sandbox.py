"""Isolation for submitted notebooks: what a kernel may see, use and do.

Submissions are untrusted code, and nbgrader would run them as the grader (often
root) with no limits. Here every kernel is forked by a fork-server
(:mod:`alcourse.grading.zygote`) that runs inside a bubblewrap sandbox; each
kernel then runs as ``nobody``, without network, with CPU-time, memory,
file-size and process limits, and sees only the Python installation (read-only)
and its own scratch folder. Root is not needed: an ordinary user (a hub's grader
service) gets the same sandbox through user namespaces (see :func:`unprivileged`).

>>> limits = Limits(cpu_seconds=30)
>>> limits.as_dict()["cpu_seconds"]
30
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from alcourse.errors import UserError
from alcourse.grading.options import Limits
from alcourse.venv import path_with_venv, venv_bin

STAGE_DIR = "/run/alcourse-stage"
# imported once by the fork-server so that each kernel only pays for its own cells
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
           "ipykernel.comm", "debugpy.server.api", "pydevd", "IPython", "IPython.core.completer", "pdb",
           "pydoc", "comm", "IPython.core.completerlib", "IPython.core.oinspect", "IPython.core.debugger",
           "IPython.extensions.storemagic", "faulthandler", "runpy", "tornado.platform.asyncio",
           "ipywidgets", "alcourse.session", "alcourse.widgets", "alcourse.curriculum")
KERNEL_ARGS = ("--HistoryManager.hist_file=:memory:", "--HistoryManager.enabled=False")


class IsolationUnavailable(UserError):
    """This machine cannot sandbox kernels; the message says why and what to do."""


class KernelFactoryError(RuntimeError):
    """The fork-server failed; grading cannot go on in this worker."""


@dataclass(frozen=True)
class Isolation:
    """How kernels are sandboxed. ``enabled=False`` is ``--no-isolation``: limits only."""

    enabled: bool = True
    limits: Limits = field(default_factory=Limits)
    user: str = "nobody"

    def ids(self) -> tuple[int, int]:
        entry = pwd.getpwnam(self.user)
        return entry.pw_uid, entry.pw_gid


def check_isolation(user: str = "nobody") -> None:
    """Raise :class:`IsolationUnavailable` unless kernels can be sandboxed here."""
    advice = ("Grade on a machine where it works, or pass --no-isolation to run submissions "
              "WITHOUT a sandbox (only for submissions you trust).")
    if sys.platform != "linux":
        raise IsolationUnavailable(f"kernel isolation needs Linux (this is {sys.platform}). {advice}")
    if shutil.which("bwrap") is None:
        raise IsolationUnavailable(
            "kernel isolation needs bubblewrap, which is not installed: run `make setup` as root "
            f"or `sudo apt-get install bubblewrap`. {advice}")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(user)
        except KeyError:
            raise IsolationUnavailable(f"kernel isolation runs kernels as user {user!r}, which does not "
                                       f"exist on this machine. {advice}") from None
    probe = subprocess.run(["bwrap", *_user_namespace(), "--unshare-net", "--unshare-pid",
                            "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                            "unshare", "--user", "--map-user=65534", "true"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        how = ("as root" if os.geteuid() == 0 else
               "without root (it needs unprivileged user namespaces: kernel.unprivileged_userns_clone=1 "
               "and user.max_user_namespaces > 0)")
        raise IsolationUnavailable(
            f"bubblewrap cannot create a sandbox here {how} ({probe.stderr.strip() or probe.returncode}); "
            f"a container may forbid namespaces. {advice}")


def unprivileged() -> bool:
    """Kernels are sandboxed with user namespaces (not root): the grader service of a hub.

    As root, each kernel becomes the real user ``nobody``. Without root, the sandbox
    runs in a user namespace where the grader is uid 0 (with capabilities only over the
    sandbox's own mounts), and each kernel enters a further user namespace in which it
    is uid 65534 with no capabilities at all.
    """
    return os.geteuid() != 0


def _user_namespace() -> list[str]:
    return ["--unshare-user", "--uid", "0", "--gid", "0", "--cap-add", "ALL"] if unprivileged() else []


def _read_only_paths() -> list[Path]:
    """The interpreter, the venv and alcourse itself: what a kernel needs to import."""
    import alcourse

    candidates = [Path(sys.base_prefix), Path(sys.prefix), venv_bin(),
                  *(Path(p) for p in alcourse.__path__)]
    candidates += [Path(p) for p in sys.path if "site-packages" in p or "dist-packages" in p]
    resolved = sorted({p.resolve() for p in candidates if p.exists()})
    kept: list[Path] = []
    for path in resolved:
        if str(path).startswith("/usr/") or any(path.is_relative_to(k) for k in kept):
            continue
        kept.append(path)
    # the venv's bin/python is a symlink that must resolve inside the sandbox too
    for path in list(kept):
        python = path / "bin" / "python"
        if python.is_symlink():
            target = python.resolve().parent.parent
            if not str(target).startswith("/usr/") and not any(target.is_relative_to(k) for k in kept):
                kept.append(target)
    return kept


def _parsed_cache() -> Path | None:
    """The grader's parsed-course cache (:mod:`alcourse.curriculum.parsed_cache`), if it has one."""
    from alcourse.curriculum.parsed_cache import default_folder

    folder = default_folder()
    return folder.resolve() if folder is not None and folder.is_dir() else None


def _parents(paths: list[Path]) -> list[str]:
    args: list[str] = []
    made: set[Path] = set()
    for path in paths:
        for parent in reversed(path.parents):
            if parent == Path("/") or parent in made or str(parent) == "/usr":
                continue
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_command(scratch_root: Path, parsed_cache: Path | None = None) -> list[str]:
    """The bubblewrap command line in which the fork-server runs (with ``parsed_cache``, the
    grader's parsed course, bound read-only)."""
    args = ["bwrap", *_user_namespace(), "--unshare-net", "--unshare-ipc", "--unshare-pid", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--hostname", "grading",
            "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
             "--proc", "/proc", "--dev", "/dev",
             "--perms", "0755", "--dir", "/tmp",  # noqa: S108 - an empty, read-only /tmp
             "--perms", "0755", "--dir", "/run",
             "--perms", "0700", "--dir", STAGE_DIR]
    read_only = _read_only_paths()
    args += _parents([*read_only, *([parsed_cache] if parsed_cache else []), scratch_root])
    for path in read_only:
        args += ["--ro-bind", str(path), str(path)]
    if parsed_cache is not None:
        # the course as the grader last parsed it (read-only): the fork-server need not parse it
        args += ["--ro-bind", str(parsed_cache), str(parsed_cache)]
    args += ["--bind", str(scratch_root), str(scratch_root), "--chdir", str(scratch_root)]
    if unprivileged():
        # the kernel is the sandbox's owner underneath its namespace: nothing but its scratch
        # folder may be writable (as root, the kernel is `nobody` and owns nothing here)
        args += ["--remount-ro", "/"]
    return args


class ForkedKernel:
    """A kernel process forked by the server, with the parts of ``Popen`` jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, factory: KernelFactory, kernel_id: str, pid: int) -> None:
        self.factory, self.kernel_id, self.pid = factory, kernel_id, pid

    def poll(self) -> int | None:
        status = self.factory.exit_status(self.kernel_id)
        if status is None:
            return None
        code, sig = status
        return -sig if sig else code

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.kernel_id}", timeout or 0)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        self.factory.signal(self.kernel_id, signum)

    def kill(self) -> None:
        self.send_signal(9)

    def terminate(self) -> None:
        self.send_signal(15)


class KernelFactory:
    """Starts the fork-server (sandboxed unless isolation is off) and asks it for kernels.

    >>> import tempfile
    >>> with KernelFactory(Isolation(enabled=False), Path(tempfile.mkdtemp())) as factory:
    ...     factory.ready_seconds >= 0
    True
    """

    def __init__(self, isolation: Isolation, scratch_parent: Path | None = None,
                 preload: tuple[str, ...] = PRELOAD, parse_content: bool = True) -> None:
        self.isolation = isolation
        # without root the kernel's files stay the grader's (uid 65534 inside its namespace)
        self.uid, self.gid = (isolation.ids() if isolation.enabled and not unprivileged()
                              else (os.getuid(), os.getgid()))
        # short: Unix socket paths (scratch/k-N) must stay under 108 bytes
        self.scratch_root = Path(tempfile.mkdtemp(prefix="alg-", dir=scratch_parent))
        os.chmod(self.scratch_root, 0o755)  # noqa: S103 - the kernel user must reach its folder
        self._events: dict[str, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._counter = 0
        self._log = tempfile.TemporaryFile(mode="w+", prefix="zygote-")
        cfg = {
            "isolate": isolation.enabled, "uid": self.uid, "gid": self.gid,
            "user_namespace": isolation.enabled and unprivileged(),
            "scratch_root": str(self.scratch_root), "stage_dir": STAGE_DIR,
            "limits": isolation.limits.as_dict(), "preload": list(preload),
            "parse_content": parse_content,
            "kernel_args": list(KERNEL_ARGS), "env": self._kernel_env(),
        }
        cmd = [sys.executable, "-P", "-m", "alcourse.grading.zygote", json.dumps(cfg)]
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            cache = _parsed_cache()
            if isolation.enabled:
                cmd = [*bwrap_command(self.scratch_root, cache), "--", *cmd]
            env = {**self._kernel_env(), "PYTHONDONTWRITEBYTECODE": "1",
                   "ALCOURSE_CACHE": str(cache) if cache else ""}
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._log, env=env, cwd=self.scratch_root)
            self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
            self._reader.start()
            ready = self._wait_for("__server__", timeout=120)
            if ready.get("op") != "ready":
                raise KernelFactoryError(f"the kernel sandbox did not start: {self.log_text()}")
        except BaseException:
            self.close()
            raise
        self.ready_seconds = float(ready.get("preload_seconds", 0))

    @staticmethod
    def _kernel_env() -> dict[str, str]:
        return {"PATH": path_with_venv(), "LANG": "C.UTF-8",
                # nbgrader sets this in its own environment while it starts the kernel; these
                # kernels start ahead of that, and only ever autograde
                "NBGRADER_EXECUTION": "autograde",
                "LC_ALL": "C.UTF-8", "USER": "nobody", "PYTHONDONTWRITEBYTECODE": "1",
                "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
                # fewer malloc arenas: less address space per thread under the memory limit
                "MALLOC_ARENA_MAX": "2", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}

    def log_text(self) -> str:
        self._log.seek(0)
        return self._log.read()[-4000:]

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            key = event.get("id") or "__server__"
            with self._cond:
                self._events.setdefault(key, {}).update(event)
                if event.get("op") == "exited":
                    self._events[key]["exit"] = (event.get("code"), event.get("signal"))
                self._cond.notify_all()
        with self._cond:
            self._events.setdefault("__server__", {})["op"] = "gone"
            self._cond.notify_all()

    def _wait_for(self, key: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while key not in self._events and self._events.get("__server__", {}).get("op") != "gone":
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return dict(self._events.get(key, {}))

    def _send(self, **request: Any) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        with self._write_lock:
            try:
                self.proc.stdin.write((json.dumps(request) + "\n").encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                raise KernelFactoryError(f"the kernel sandbox has stopped: {self.log_text()}") from None

    def new_scratch(self, label: str) -> Path:
        """A fresh folder only the next kernel may write in."""
        self._counter += 1
        safe = "".join(ch if ch.isalnum() else "-" for ch in label)[:20]
        path = self.scratch_root / f"{self._counter}-{safe}"
        path.mkdir(mode=0o700)
        return path

    def hand_over(self, scratch: Path) -> None:
        """Give the kernel's user the scratch folder and everything copied into it."""
        for dirpath, _dirs, files in os.walk(scratch):
            os.chown(dirpath, self.uid, self.gid)
            for name in files:
                os.chown(os.path.join(dirpath, name), self.uid, self.gid)

    def spawn(self, scratch: Path, connection_file: Path) -> ForkedKernel:
        kernel_id = f"k{time.monotonic_ns()}"
        self._send(op="spawn", id=kernel_id, scratch=str(scratch), connection_file=str(connection_file))
        event = self._wait_for(kernel_id, timeout=30)
        if "pid" not in event:
            raise KernelFactoryError(f"the kernel sandbox did not start a kernel: {self.log_text()}")
        return ForkedKernel(self, kernel_id, int(event["pid"]))

    def exit_status(self, kernel_id: str) -> tuple[int | None, int | None] | None:
        with self._cond:
            event = self._events.get(kernel_id, {})
            if "exit" in event:
                return event["exit"]  # type: ignore[no-any-return]
            if self._events.get("__server__", {}).get("op") == "gone":
                return (None, 9)
            return None

    def signal(self, kernel_id: str, signum: int) -> None:
        with contextlib.suppress(KernelFactoryError):
            self._send(op="signal", id=kernel_id, signal=int(signum))

    def forget(self, kernel_id: str) -> None:
        with self._cond:
            self._events.pop(kernel_id, None)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.scratch_root, ignore_errors=True)
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> KernelFactory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
