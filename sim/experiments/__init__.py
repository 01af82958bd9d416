"""Experiments: replicate a scenario (runner), where replications run (executors), the
cache, compare, sweep, size, and the pre-run estimate."""
