"""Errors the user can fix. The CLI prints their message on one line and exits 1."""


class UserError(Exception):
    """Bad input: a file, a value or a request. The message says what is wrong and what to do."""
