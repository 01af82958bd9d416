"""The theory benchmarks of `python -m sim validate`: the cases and their runner."""

from sim.validation.cases import (
    DETERMINISTIC_REL,
    STOCHASTIC_K,
    STOCHASTIC_REL,
    VALIDATION_DIR,
    Case,
    Extractor,
    Quantity,
    TheoryFn,
    case_names,
    get_case,
    load_case_scenario,
)
from sim.validation.runner import COLUMNS, format_validation, make_row, run_validation, tolerance

__all__ = [
    'VALIDATION_DIR', 'STOCHASTIC_K', 'STOCHASTIC_REL', 'DETERMINISTIC_REL', 'Extractor',
    'TheoryFn', 'Quantity', 'Case', 'case_names', 'get_case', 'load_case_scenario', 'COLUMNS',
    'tolerance', 'make_row', 'run_validation', 'format_validation',
]
