"""The scenario layer: the file format (`schema`), reading files with one-line errors
(`loading`), `--set` overrides and `--vary` grids (`overrides`), durations and rates (`units`),
distributions, the work calendar (`worktime`), the documented limits (`limits`) and the files
linesim ships (`bundled`)."""

from sim.scenario.bundled import bundled_dir, bundled_scenarios, scenario_file
from sim.scenario.distributions import Dist, parse_distribution
from sim.scenario.loading import describe, load_yaml_text, read_yaml, validate_scenario
from sim.scenario.overrides import (
    apply_overrides,
    grid_scenarios,
    load_scenario,
    parse_vary,
    set_path,
    split_values,
)
from sim.scenario.schema import (
    Break,
    Calendar,
    Changeover,
    FailureMode,
    Product,
    Release,
    Scenario,
    Shift,
    Stage,
    Station,
    json_schema,
)
from sim.scenario.units import format_duration, parse_duration, parse_rate

__all__ = [
    "Scenario", "Station", "Stage", "Release", "Calendar", "Shift", "Break", "Changeover", "FailureMode",
    "Product", "Dist", "parse_distribution", "load_scenario", "validate_scenario", "read_yaml",
    "load_yaml_text", "describe", "json_schema", "apply_overrides", "set_path", "parse_vary",
    "split_values", "grid_scenarios", "parse_duration", "parse_rate", "format_duration",
    "bundled_dir", "bundled_scenarios", "scenario_file",
]
