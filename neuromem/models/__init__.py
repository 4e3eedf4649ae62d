"""Associative memories.  ``base`` holds the common interface."""
from .base import AssociativeMemory, RecallResult
from .dendrites import ActiveDendritesNetwork, FirstOrderSequenceMemory, SegmentMemory, SequenceMemory, TemporalMemory
from .hopfield import ClassicalHopfield, DenseHopfield, ModernHopfield
from .nearest import NearestNeighbourMemory
from .sparsey import SparseyMemory

#: class name -> class, for loading saved memories
MEMORIES = {cls.__name__: cls for cls in (NearestNeighbourMemory, ClassicalHopfield, DenseHopfield, ModernHopfield,
                                          SegmentMemory, TemporalMemory)}

__all__ = ["AssociativeMemory", "RecallResult", "NearestNeighbourMemory", "ClassicalHopfield", "DenseHopfield",
           "ModernHopfield", "SegmentMemory", "TemporalMemory", "SequenceMemory", "FirstOrderSequenceMemory",
           "ActiveDendritesNetwork", "SparseyMemory", "MEMORIES"]
