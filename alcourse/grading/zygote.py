"""A kernel fork-server: run as ``python -m alcourse.grading.zygote CONFIG_JSON``.

Starting a fresh Python kernel for every submission costs about half a second
of CPU (interpreter, IPython, ipykernel, ipywidgets, alcourse). This process
imports all of that once, then forks one kernel per submission; a fork costs
milliseconds and the notebook only pays for its own cells.

With isolation on, this process runs inside a bubblewrap sandbox (no network,
read-only interpreter and venv, nothing of the course folder). Each forked
child, before it runs any submitted code:

1. gets its own mount namespace in which every other scratch folder is hidden
   under an empty tmpfs and only its own scratch folder is mounted back;
2. gets CPU-time, address-space, file-size, open-file and process limits;
3. drops every capability and becomes the unprivileged user (``nobody``),
   with ``no_new_privs`` so nothing can regain privilege; without root, it enters
   a new user namespace as uid 65534 with no capabilities instead;
4. starts an IPython kernel whose sockets are Unix sockets in its scratch
   folder (the sandbox has no network, not even loopback to the grader).

Protocol: JSON lines. In (stdin): ``{"op": "spawn", "id", "scratch",
"connection_file"}`` and ``{"op": "signal", "id", "signal"}``. Out (stdout):
``ready``, ``spawned`` (with ``pid``), ``exited`` (with ``code`` or
``signal``) and ``error``. End of input kills every kernel and ends.

This module must stay importable without nbgrader: it is what the sandbox runs.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
SETUP_FAILED = 121  # exit code of a child whose sandbox could not be set up


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(libc: Any, source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    def enc(value: str | None) -> bytes | None:
        return value.encode() if value is not None else None

    _check(libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def _hide_other_scratch(cfg: dict[str, Any], scratch: str) -> None:
    """Only this submission's scratch folder stays visible; writes go nowhere else."""
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
    stage, root = cfg["stage_dir"], cfg["scratch_root"]
    _mount(libc, scratch, stage, None, MS_BIND)
    _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755")
    os.mkdir(scratch, 0o755)
    _mount(libc, stage, scratch, None, MS_BIND)
    _mount(libc, None, scratch, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV)
    _check(libc.umount2(stage.encode(), MNT_DETACH), f"umount {stage}")
    # nothing beside the scratch folder can be written (without root, the kernel owns this tmpfs)
    _mount(libc, None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # a private, small /dev/shm, so nothing is shared between kernels through it
    shm = "/dev/shm"  # noqa: S108 - the sandbox's own, replaced by an empty private one
    if os.path.isdir(shm):
        _mount(libc, "tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m,mode=1777")


def _limit(limits: dict[str, int]) -> None:
    pairs = {
        "cpu_seconds": resource.RLIMIT_CPU,
        "memory_bytes": resource.RLIMIT_AS,
        "file_bytes": resource.RLIMIT_FSIZE,
        "open_files": resource.RLIMIT_NOFILE,
        "processes": resource.RLIMIT_NPROC,
    }
    for key, which in pairs.items():
        value = limits.get(key)
        if value:
            # CPU: SIGXCPU (a clear reason) at the soft limit, SIGKILL two seconds later if ignored
            hard = value + 2 if which == resource.RLIMIT_CPU else value
            resource.setrlimit(which, (value, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _drop_privileges(uid: int, gid: int) -> None:
    libc = _libc()
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last_cap + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)  # from root to non-root: the kernel clears every capability
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError("could not become the unprivileged user")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _become_nobody_in_namespace() -> None:
    """Without root: enter a new user namespace as uid/gid 65534 and give up every capability.

    The mount namespace stays owned by the sandbox's namespace, where this process
    has no capability left, so it cannot undo the mounts that hide other submissions.
    """
    libc = _libc()
    outer_uid, outer_gid = os.getuid(), os.getgid()
    _check(libc.unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)")
    for name, text in (("setgroups", "deny"), ("uid_map", f"65534 {outer_uid} 1"),
                       ("gid_map", f"65534 {outer_gid} 1")):
        with open(f"/proc/self/{name}", "w") as fh:
            fh.write(text)
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last_cap + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    _check(libc.capset(ctypes.byref(header), ctypes.byref((_CapData * 2)())), "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")
    if os.getuid() != 65534 or os.getgid() != 65534:
        raise OSError("could not become uid 65534 in the kernel's user namespace")
    if int(open("/proc/self/status").read().split("CapEff:")[1].split()[0], 16) != 0:
        raise OSError("capabilities left after dropping them")


def _become_kernel(cfg: dict[str, Any], req: dict[str, Any]) -> None:
    """In the forked child: isolate, then run an IPython kernel. Never returns."""
    code = SETUP_FAILED
    scratch = req["scratch"]
    try:
        os.setsid()  # its own process group: an interrupt reaches the kernel, never this server
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        # a write over the file-size limit fails with an error the notebook sees, not a kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if cfg["isolate"]:
            _hide_other_scratch(cfg, scratch)
        _limit(cfg["limits"])
        if cfg["isolate"] and cfg.get("user_namespace"):
            _become_nobody_in_namespace()
        elif cfg["isolate"]:
            _drop_privileges(cfg["uid"], cfg["gid"])
        os.chdir(scratch)
        log = os.open(os.path.join(scratch, ".kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, 65536)
        os.environ.clear()
        os.environ.update(cfg["env"])
        os.environ.update({"HOME": scratch, "TMPDIR": scratch,
                           "IPYTHONDIR": os.path.join(scratch, ".ipython"),
                           "MPLCONFIGDIR": os.path.join(scratch, ".matplotlib"),
                           "JUPYTER_RUNTIME_DIR": scratch, "JUPYTER_DATA_DIR": scratch})
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", closefd=False, buffering=1)
        sys.stderr = open(2, "w", closefd=False, buffering=1)
        sys.argv = ["ipykernel_launcher", "-f", req["connection_file"], *cfg["kernel_args"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        code = 0
        app.initialize(sys.argv[1:])
        app.start()
    except BaseException:  # the child must never fall back into the server loop
        try:
            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:  # noqa: S110 - nothing left to report to
            pass
    os._exit(code)


class Server:
    """The fork-server loop: commands in, events out, one child per kernel."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.children: dict[int, tuple[str, int]] = {}  # pidfd -> (kernel id, pid)
        self.pids: dict[str, int] = {}
        self.selector = selectors.DefaultSelector()
        self.buffer = b""

    def send(self, **event: Any) -> None:
        os.write(1, (json.dumps(event) + "\n").encode())

    def spawn(self, req: dict[str, Any]) -> None:
        pid = os.fork()
        if pid == 0:
            _become_kernel(self.cfg, req)
        pidfd = os.pidfd_open(pid)
        self.children[pidfd] = (req["id"], pid)
        self.pids[req["id"]] = pid
        self.selector.register(pidfd, selectors.EVENT_READ, "child")
        self.send(op="spawned", id=req["id"], pid=pid)

    def reap(self, pidfd: int) -> None:
        kernel_id, pid = self.children.pop(pidfd)
        self.selector.unregister(pidfd)
        os.close(pidfd)
        self.pids.pop(kernel_id, None)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            self.send(op="exited", id=kernel_id, code=None, signal=os.WTERMSIG(status))
        else:
            self.send(op="exited", id=kernel_id, code=os.WEXITSTATUS(status), signal=None)

    def handle(self, line: bytes) -> None:
        req = json.loads(line)
        if req["op"] == "spawn":
            self.spawn(req)
        elif req["op"] == "signal":
            pid = self.pids.get(req["id"])
            if pid is not None:
                try:
                    # the kernel leads its own process group: reach what it started too
                    os.killpg(pid, req["signal"])
                except ProcessLookupError:
                    pass
        else:
            self.send(op="error", id=req.get("id"), message=f"unknown op {req['op']!r}")

    def run(self) -> None:
        os.set_blocking(0, False)
        self.selector.register(0, selectors.EVENT_READ, "stdin")
        while True:
            for key, _ in self.selector.select():
                if key.data == "child":
                    self.reap(key.fd)
                    continue
                chunk = os.read(0, 65536)
                if not chunk:
                    self.shutdown()
                    return
                self.buffer += chunk
                while b"\n" in self.buffer:
                    line, self.buffer = self.buffer.split(b"\n", 1)
                    if line.strip():
                        self.handle(line)

    def shutdown(self) -> None:
        for pid in list(self.pids.values()):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pidfd in list(self.children):
            self.reap(pidfd)


def parse_content() -> None:
    """Parse the course content once here; every forked kernel gets it without re-reading.

    ``Session(module)`` calls ``load_curriculum()``, which parses every YAML file of the
    course (about half a second, growing with the course). It caches what it parsed
    (see :func:`alcourse.curriculum.load_curriculum`), and a forked kernel inherits the
    cache: its own call finds the files unchanged and returns this result.
    """
    from alcourse.curriculum import load_curriculum

    load_curriculum()


def main() -> None:
    cfg = json.loads(sys.argv[1])
    start = time.perf_counter()
    for name in cfg["preload"]:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a module that fails here fails again, visibly, in the notebook
            print(f"preload {name}: {exc}", file=sys.stderr)
    if cfg.get("parse_content"):
        try:
            parse_content()
        except Exception as exc:  # the kernels then parse it themselves, and report any error
            print(f"parse_content: {exc}", file=sys.stderr)
    server = Server(cfg)
    server.send(op="ready", preload_seconds=round(time.perf_counter() - start, 3), pid=os.getpid())
    server.run()


if __name__ == "__main__":
    main()
