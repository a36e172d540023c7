"""Errors a user can fix. The CLI prints them as one message and exits 2; anything else is a bug
and keeps its traceback.

>>> str(NotFound("no module 'm99'; known modules: m01"))
"no module 'm99'; known modules: m01"
>>> isinstance(NotFound("x"), KeyError)  # code that looks a name up may still catch KeyError
True
"""


class UserError(RuntimeError):
    """Something the user can put right; the message says what and how."""


class NotFound(UserError, KeyError):
    """A name the user gave (a module, an exercise, a policy…) names nothing; the message lists
    what is known. Also a ``KeyError``, so a lookup that falls back on a default still works."""

    def __str__(self) -> str:
        # KeyError would show the message quoted, as the repr of a key
        return str(self.args[0]) if self.args else ""
