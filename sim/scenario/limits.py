"""Documented limits of the scenario format, and the pre-run estimate of a run's time and memory.

SPEC 7: no accepted input hangs, exhausts memory or crashes linesim. Sizes beyond the limits
below are bad input (exit 2, one line); they are far beyond any real laptop line (the bundled
wistron line has 666 servers, 640 of them on its run-in racks; inventec has 1,156 servers in 80
stations) and keep the memory of the model bounded (a SimPy server costs about 1.5 KB, a station
about 8.5 KB, a unit in the plant about 200 B).

================================================  ==================  ==========================
what                                              limit               constant
================================================  ==================  ==========================
scenario file size                                1 MiB               MAX_FILE_BYTES
YAML nesting depth (aliases expanded)             50 levels           MAX_YAML_DEPTH
YAML nodes after expanding aliases                100,000             MAX_YAML_NODES
name (scenario, station, stage, product, crew)    64 characters       MAX_NAME_CHARS
description                                       10,000 characters   MAX_DESCRIPTION_CHARS
sources                                           100 of 1,000 chars  MAX_SOURCES, ..._CHARS
horizon                                           10 years            MAX_HORIZON_S
warm-up                                           10 years            MAX_WARMUP_S
replications                                      100,000             MAX_REPLICATIONS
seed                                              0 ... 2**63 - 1     MAX_SEED
a duration in a distribution or a time field      0, or 1 ns ... 1e9 s (31.7 years)
                                                                      MIN_DURATION_S, MAX_...
a rate (release)                                  1e9 per second      MAX_RATE_PER_S
servers of one station                            10,000              MAX_SERVERS
servers in the plant (lines x servers, summed)    100,000             MAX_PLANT_SERVERS
stations of one line or stage                     500                 MAX_STATIONS
stations in the plant (lines x stations, summed)  10,000              MAX_PLANT_STATIONS
lines (top level, or per stage)                   1,000               MAX_LINES
stages                                            50                  MAX_STAGES
finite buffer or supermarket (else "inf")         1,000,000           MAX_BUFFER
CONWIP wip (per line)                             1,000,000           MAX_WIP
products                                          200                 MAX_PRODUCTS
lot_size                                          1,000,000,000       MAX_LOT_SIZE
yield of a station                                0.001 ... 1         MIN_YIELD
failure modes of one station                      20                  MAX_FAILURE_MODES
repair crews / technicians of one crew            100 / 10,000        MAX_CREWS, MAX_CREW_SIZE
shifts / breaks of a calendar                     50 / 50             MAX_SHIFTS, MAX_BREAKS
length of one break                               1 day               MAX_BREAK_S
values of an empirical() distribution             100,000             MAX_EMPIRICAL_VALUES
cv of lognormal() and gamma()                     <= 100              MAX_CV
cv of gamma()                                     >= 0.001            MIN_GAMMA_CV
shape of weibull()                                0.02 ... 10,000     MIN/MAX_WEIBULL_SHAPE
================================================  ==================  ==========================

The pre-run estimate (`estimate_run`) turns capacity arithmetic into units, station visits,
seconds and bytes; a run whose estimate exceeds MAX_RUN_SECONDS (2 hours) or MAX_RUN_BYTES (4 GB)
stops with exit 2 before simulating, unless `--no-limit` lifts the limit (`check_estimate`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the estimate reads a validated scenario; the scenario layer reads the limits
    pass


#: Largest scenario file read, in bytes.
MAX_FILE_BYTES = 1 << 20
#: Deepest nesting of YAML collections (counted with aliases expanded).
MAX_YAML_DEPTH = 50
#: Most YAML nodes in a document with every alias expanded (a billion-laughs guard).
MAX_YAML_NODES = 100_000
MAX_NAME_CHARS = 64
MAX_DESCRIPTION_CHARS = 10_000
MAX_SOURCES = 100
MAX_SOURCE_CHARS = 1_000
YEAR_S = 365.25 * 86400.0
MAX_HORIZON_S = 10 * YEAR_S
MAX_WARMUP_S = 10 * YEAR_S
MAX_REPLICATIONS = 100_000
MAX_SEED = 2**63 - 1
#: Any nonzero duration is at least this (its square must not underflow to 0).
MIN_DURATION_S = 1e-9
#: Any duration (a distribution's parameter, a repair or changeover time) is at most this.
MAX_DURATION_S = 1e9
MAX_RATE_PER_S = 1e9
MAX_SERVERS = 10_000
MAX_PLANT_SERVERS = 100_000
MAX_STATIONS = 500
MAX_PLANT_STATIONS = 10_000
MAX_LINES = 1_000
MAX_STAGES = 50
MAX_BUFFER = 1_000_000
MAX_WIP = 1_000_000
MAX_PRODUCTS = 200
MAX_LOT_SIZE = 1_000_000_000
MAX_FAILURE_MODES = 20
#: A reworked unit comes back about 1/yield times: a yield near 0 would loop almost for ever.
MIN_YIELD = 0.001
MAX_CREWS = 100
MAX_CREW_SIZE = 10_000
MAX_SHIFTS = 50
MAX_BREAKS = 50
MAX_BREAK_S = 86400.0
MAX_EMPIRICAL_VALUES = 100_000
MAX_CV = 100.0
MIN_GAMMA_CV = 1e-3
MIN_WEIBULL_SHAPE = 0.02
MAX_WEIBULL_SHAPE = 1e4
