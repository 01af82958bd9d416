"""Teaching: the player of one replication (animate) and the precomputed explorer of a grid (explore)."""
