"""neuromem: neuromorphic associative-memory simulator.

Spiking and Hebbian memory models on a Numba core, cross-checked against
Brian2 and NEST, exportable through PyNN.
"""
from .core import *  # noqa: F401,F403
from .core import __all__ as _core_all
from .errors import (BackendUnavailableError, ExportError, FileFormatError, HardwareConstraintError, NeuromemError,
                     NotSupportedError, SpecError, ValidationError)

__version__ = "0.1.0"
__all__ = list(_core_all) + ["NeuromemError", "ValidationError", "SpecError", "FileFormatError",
                             "BackendUnavailableError", "ExportError", "HardwareConstraintError",
                             "NotSupportedError"]
