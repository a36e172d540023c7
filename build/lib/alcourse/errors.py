"""Errors a user can fix. The CLI prints them as one message and exits non-zero."""


class UserError(RuntimeError):
    """Something the user can put right; the message says what and how."""
