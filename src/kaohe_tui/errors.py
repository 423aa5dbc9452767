"""The one exception a user ever sees: a message, never a traceback."""


class KaoheError(Exception):
    """Bad input or a refused action. ``str(err)`` is the one-line message shown to the user."""


class SchemeError(KaoheError):
    """A scheme file (or a plugin's scheme) that does not validate; names the file and field."""


class RecordError(KaoheError):
    """A ledger record that does not fit its scheme; names the field."""
