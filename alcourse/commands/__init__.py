"""Sub-commands of ``alcourse``, one module per area.

Each module defines ``register(subparsers)``, adding its sub-commands. Command
functions take the parsed arguments and return an exit code; they raise
:class:`alcourse.errors.UserError` (or a located error) for anything the user
can fix, and the CLI prints it without a traceback.
"""

COMMAND_MODULES = [
    "alcourse.commands.build",
    "alcourse.commands.course",
    "alcourse.commands.grade",
    "alcourse.commands.simulate",
    "alcourse.commands.guide",
    "alcourse.commands.collect",
    "alcourse.commands.observe",
    "alcourse.commands.moderate",
    "alcourse.commands.portfolio",
]
