"""The claims audit: the claims file, its arithmetic, the simulated evidence, the verdicts
and the checks between claims, and the text and files it writes."""
