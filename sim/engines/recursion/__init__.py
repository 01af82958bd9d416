"""The exact departure-time recursion (SPEC section 2): coverage, the per-line
recursion and its kernel, and the replication record."""
