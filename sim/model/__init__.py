"""The SimPy model of one replication: places, stations, releases, the plant that wires them."""

from sim.model.plant import Plant, simulate

__all__ = ["Plant", "simulate"]
