"""Exception hierarchy of neuromem.

Every error raised on bad input is a :class:`NeuromemError` that also inherits
the matching builtin, so ``except ValueError`` keeps working for callers that do
not know neuromem.  Messages name the object, the parameter, the value given and
what would be valid.
"""


class NeuromemError(Exception):
    """Base class of every error neuromem raises on purpose."""


class ValidationError(NeuromemError, ValueError):
    """A parameter, shape, name or value is not valid."""


class SpecError(ValidationError):
    """A model specification file is missing, malformed or inconsistent."""


class FileFormatError(NeuromemError, ValueError):
    """A saved file is truncated, corrupted, or of an unsupported version."""


class BackendUnavailableError(NeuromemError, ImportError):
    """An optional backend (Brian2, NEST, PyNN, neo...) is not installed."""


class ExportError(NeuromemError, RuntimeError):
    """A network cannot be expressed in the requested export target."""


class HardwareConstraintError(NeuromemError, ValueError):
    """A network violates a limit of the selected hardware profile."""


class NotSupportedError(NeuromemError, NotImplementedError):
    """Something the model, engine or backend does not do (a reservoir has no energy; a PyNN feature
    neuromem lacks): the message says what and, where there is one, what to use instead."""
