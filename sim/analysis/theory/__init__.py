"""Exact and well-known answers of queueing and production-line theory, used by
`validate`, the cross-checks and the tests."""

from sim.analysis.theory.factory import (
    availability,
    availability_calendar_modes,
    availability_operating_modes,
    best_case_ct,
    best_case_th,
    bottleneck_rate,
    critical_wip,
    down_fraction_calendar,
    down_fraction_operating,
    effective_process_time,
    mva_closed_line,
    practical_worst_case_ct,
    practical_worst_case_th,
    setup_capacity,
    worst_case_ct,
    worst_case_th,
)
from sim.analysis.theory.lines import (
    exp_line_ctmc,
    expected_max,
    two_station_bas_throughput,
    two_station_bbs_rework,
    two_station_bbs_yield,
    zero_buffer_two_station_throughput,
)
from sim.analysis.theory.queues import erlang_c, littles_law, md1, mg1, mm1, mmc

__all__ = [
    'availability', 'availability_operating_modes', 'availability_calendar_modes',
    'effective_process_time', 'down_fraction_operating', 'down_fraction_calendar', 'critical_wip',
    'best_case_th', 'worst_case_th', 'practical_worst_case_th', 'best_case_ct', 'worst_case_ct',
    'practical_worst_case_ct', 'mva_closed_line', 'setup_capacity', 'bottleneck_rate',
    'two_station_bas_throughput', 'two_station_bbs_yield', 'two_station_bbs_rework',
    'exp_line_ctmc', 'zero_buffer_two_station_throughput', 'expected_max', 'mm1', 'erlang_c', 'mmc',
    'mg1', 'md1', 'littles_law',
]
