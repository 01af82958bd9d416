"""The engines that run one replication: the SimPy model (sim.model) and the exact
departure-time recursion; `selection` picks one."""
