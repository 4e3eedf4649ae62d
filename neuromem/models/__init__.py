"""Associative memories.  ``base`` holds the common interface."""
from .base import AssociativeMemory, RecallResult
from .nearest import NearestNeighbourMemory

#: class name -> class, for loading saved memories
MEMORIES = {"NearestNeighbourMemory": NearestNeighbourMemory}

__all__ = ["AssociativeMemory", "RecallResult", "NearestNeighbourMemory", "MEMORIES"]
