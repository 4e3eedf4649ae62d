"""Benchmarks: neuromem beside NEST and Brian2 in one invocation (same as `neuromem bench`).

Usage: python benchmarks/run.py [--only izhikevich cuba propagation] [--duration MS] [--output FILE]
"""
import sys

from neuromem.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
