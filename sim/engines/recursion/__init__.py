"""The exact departure-time recursion (SPEC section 2), in the order data flows through it:
coverage (which scenarios it reproduces), plan (each station's servers, places, blocking), line
(the DES's random numbers drawn block by block), kernel (the recursion: a generator per station),
failures (operating-basis failures replayed), record and window (every unit's times rebuilt and
the replication record as window-clipped sums over units)."""
