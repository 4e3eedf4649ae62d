"""Protocols shared by every memory, reference networks, and their analyses."""
