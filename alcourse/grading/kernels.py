"""jupyter_client glue: kernels forked by a :class:`~alcourse.grading.sandbox.KernelFactory`.

nbclient drives a kernel through a KernelManager and its provisioner. These
subclasses keep that machinery and change only how the process comes to be:
the fork-server makes it, it listens on Unix sockets in its scratch folder
(the sandbox has no network) and signals go through the fork-server.

The provisioner is reached by jupyter_client's documented route: it is registered
as the ``jupyter_client.kernel_provisioners`` entry point ``alcourse-fork``
(pyproject.toml), and the manager's kernel spec manager names it in each spec's
``metadata.kernel_provisioner``. jupyter_client then makes it with the manager as
its parent, from which it reads the submission's fork-server and scratch folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from alcourse.grading.sandbox import ForkedKernel, KernelFactory

PROVISIONER = "alcourse-fork"


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose "process" is a kernel forked by its manager's fork-server.

    Only a :class:`SandboxKernelManager` can be its parent: that is where the fork-server and the
    submission's scratch folder come from.
    """

    @property
    def manager(self) -> SandboxKernelManager:
        km = self.parent
        if not isinstance(km, SandboxKernelManager):
            raise TypeError(f"the {PROVISIONER} kernel provisioner runs only under a SandboxKernelManager, "
                            f"not {type(km).__name__}")
        return km

    @property
    def factory(self) -> KernelFactory:
        return self.manager.factory

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        km = self.manager
        forked = self.factory.spawn(km.scratch, Path(km.connection_file))
        # jupyter_client types ``process`` as Popen; it uses only the Popen methods ForkedKernel has
        self.process = forked  # type: ignore[assignment]
        self.pid = forked.pid
        self.pgid = None  # signals go through the fork-server, which signals the kernel's group
        self.cwd = str(km.scratch)
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        process: Any = self.process  # a ForkedKernel, though jupyter_client types it as Popen
        if isinstance(process, ForkedKernel):
            # keep how it ended: the grader reports it after jupyter_client has let go of us
            self.manager.final_status = self.factory.exit_status(process.kernel_id)
            self.factory.forget(process.kernel_id)
        await super().cleanup(restart=restart)


class SandboxKernelSpecManager(KernelSpecManager):
    """Installed kernel specs, each naming the fork provisioner (jupyter_client's public hook)."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        spec.metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": PROVISIONER}}
        return spec


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager for one submission: its kernel lives in ``scratch``."""

    def __init__(self, factory: KernelFactory, scratch: Path, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_spec_manager", SandboxKernelSpecManager())
        super().__init__(**kwargs)
        self.factory = factory
        self.scratch = scratch
        self.transport = "ipc"
        self.ip = str(scratch / "k")
        self.cache_ports = False
        self.connection_file = str(scratch / ".kernel.json")
        self.final_status: tuple[int | None, int | None] | None = None

    def write_connection_file(self, **kwargs: Any) -> None:
        super().write_connection_file(**kwargs)
        # the kernel runs as the sandbox user and must read its own connection file
        os.chown(self.connection_file, self.factory.uid, self.factory.gid)

    @property
    def exit_status(self) -> tuple[int | None, int | None] | None:
        """(exit code, signal) once the kernel has ended, else None."""
        process = getattr(self.provisioner, "process", None)
        if isinstance(process, ForkedKernel):
            return self.factory.exit_status(process.kernel_id) or self.final_status
        return self.final_status
