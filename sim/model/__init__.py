"""The SimPy model of one replication: places, stations, releases, the plant that wires them."""

from .plant import Plant, simulate

__all__ = ["Plant", "simulate"]
