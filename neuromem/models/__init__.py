"""Associative memories and learners, one package or module per family; ``base`` holds the protocol.

Every memory class is registered in :data:`MEMORIES`, every sequence or continual learner in
:data:`LEARNERS` (importing this package registers them all).
"""
from .base import (LEARNERS, MEMORIES, AssociativeMemory, ContinualLearner, EnergyMemory, HeteroAssociativeMemory,
                   Memory, RecallResult, SequenceLearner)
from .ca3 import CA3Memory
from .dendrites import (ActiveDendritesNetwork, DendriticSegment, FirstOrderSequenceMemory, SegmentMemory,
                        SequenceMemory, TemporalMemory)
from .hlop import ContinualSpikingNetwork, HLOPMemory
from .hopfield import ClassicalHopfield, DenseHopfield, ModernHopfield
from .nearest import NearestNeighbourMemory
from .reservoir import ReservoirMemory
from .sparsey import SparseyMemory

__all__ = ["AssociativeMemory", "RecallResult", "Memory", "EnergyMemory", "HeteroAssociativeMemory",
           "SequenceLearner", "ContinualLearner", "MEMORIES", "LEARNERS", "NearestNeighbourMemory",
           "ClassicalHopfield", "DenseHopfield", "ModernHopfield", "CA3Memory", "SparseyMemory", "SegmentMemory",
           "DendriticSegment", "TemporalMemory", "SequenceMemory", "FirstOrderSequenceMemory",
           "ActiveDendritesNetwork", "ReservoirMemory", "ContinualSpikingNetwork", "HLOPMemory"]
