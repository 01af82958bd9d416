"""sim.scenario: validation into an immutable Scenario, one-line errors `file: key.path: problem`,
--set overrides, and the JSON Schema (SPEC sections 1 and 2)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pydantic
import pytest
import yaml

from sim.errors import InputError
from sim.scenario.distributions import Const, Exp, LogNormal, Uniform, Weibull
from sim.scenario.loading import describe, read_yaml, validate_scenario
from sim.scenario.overrides import apply_overrides, load_scenario, set_path
from sim.scenario.schema import json_schema

REPO_ROOT = Path(__file__).resolve().parents[2]

F = "line.yaml"


def err(data, file: str = F) -> str:
    """The one-line message of validating `data`; asserts that it is one line."""
    with pytest.raises(InputError) as e:
        validate_scenario(data, file=file)
    msg = str(e.value)
    assert "\n" not in msg
    assert e.value.file == file
    return msg


def two_products(d: dict) -> dict:
    d["products"] = [{"name": "A", "share": 0.7}, {"name": "B", "share": 0.3}]
    return d


# ------------------------------------------------------------------------------ valid scenarios


def test_minimal_scenario_resolves_defaults():
    s = validate_scenario({"name": "m", "horizon": "1h", "stations": [{"name": "x", "process_time": "13s"}]})
    assert s.name == "m"
    assert s.horizon == 3600.0
    assert s.warmup == 0.0 and s.warmup_s() == 0.0
    assert s.replications == 10
    assert s.seed == 0
    assert s.blocking == "after_service"
    assert s.release.mode == "saturated"
    assert s.release.rate is None and s.release.every is None and s.release.wip is None
    assert s.calendar is None
    assert s.products is None
    assert s.product_names() == ["default"]
    assert s.product_shares() == {"default": 1.0}
    assert s.lines == 1
    assert s.lot_size == 1
    assert s.sequence == "cyclic"
    assert s.repair_crews == {}
    (st,) = s.stations
    assert st.servers == 1
    assert st.buffer == math.inf
    assert st.blocking is None
    assert st.failures == []
    assert st.yield_ == 1.0
    assert st.on_fail == "scrap"
    assert st.process_time == Const(13.0)
    assert st.mean_time() == 13.0


def test_tiny_scenario(tiny_data):
    s = validate_scenario(tiny_data, file=F)
    assert s.warmup == 600.0 and s.horizon == 7200.0
    assert [st.name for st in s.stations] == ["a", "b", "c"]
    assert [st.buffer for st in s.stations] == [5, 3, math.inf]
    assert s.stations[0].process_time == Exp(20.0)
    assert s.stations[1].process_time == LogNormal(25.0, 0.5)
    assert [st.name for st in s.all_stations()] == ["a", "b", "c"]


def test_scenario_is_immutable(tiny_data):
    s = validate_scenario(tiny_data)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        s.horizon = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("value, expected", [("inf", math.inf), ("unlimited", math.inf), (" INF ", math.inf),
                                             (0, 0), (7, 7), (3.0, 3)])
def test_buffer_values(tiny_data, value, expected):
    tiny_data["stations"][0]["buffer"] = value
    assert validate_scenario(tiny_data).stations[0].buffer == expected


def test_warmup_auto(tiny_data):
    tiny_data["warmup"] = "auto"
    s = validate_scenario(tiny_data)
    assert s.warmup == "auto" and s.warmup_s() == 0.0


@pytest.mark.parametrize(
    "release, check",
    [
        ({"mode": "poisson", "rate": "250/h"}, lambda r: r.rate == 250 / 3600),
        ({"mode": "interval", "every": "13s"}, lambda r: r.every == 13.0),
        ({"mode": "conwip", "wip": 40}, lambda r: r.wip == 40),
        ({"mode": "saturated"}, lambda r: r.mode == "saturated"),
    ],
)
def test_release_modes(tiny_data, release, check):
    tiny_data["release"] = release
    assert check(validate_scenario(tiny_data).release)


def test_per_product_process_time(tiny_data):
    two_products(tiny_data)
    tiny_data["stations"][1]["process_time"] = {"A": "const(13s)", "B": "uniform(10s, 20s)"}
    s = validate_scenario(tiny_data)
    st = s.stations[1]
    assert st.time_for("A") == Const(13.0)
    assert st.time_for("B") == Uniform(10.0, 20.0)
    assert st.time_for("A") is not st.time_for("B")
    assert s.stations[0].time_for("B") == Exp(20.0)  # one distribution for every product
    assert st.mean_time(s.product_shares()) == pytest.approx(0.7 * 13 + 0.3 * 15, rel=1e-15)
    assert s.product_shares() == {"A": 0.7, "B": 0.3}


def test_failures_as_one_mapping(tiny_data):
    tiny_data["stations"][0]["failures"] = {"mtbf": "4h", "mttr": "10min"}
    (fm,) = validate_scenario(tiny_data).stations[0].failures
    assert fm.mtbf == Exp(14400.0)  # a plain duration is the mean of an exponential
    assert fm.mttr == 600.0
    assert fm.repair_time == Exp(600.0)
    assert fm.basis == "operating"
    assert fm.crew is None
    assert fm.availability == 14400.0 / (14400.0 + 600.0)


def test_failures_as_a_list(tiny_data):
    tiny_data["repair_crews"] = {"repair": 2}
    tiny_data["stations"][0]["failures"] = [
        {"mtbf": "2h", "mttr": "5min"},
        {"name": "jam", "mtbf": "weibull(shape=2, scale=8h)", "repair_time": "uniform(1min, 3min)",
         "basis": "calendar", "crew": "repair"},
    ]
    f1, f2 = validate_scenario(tiny_data).stations[0].failures
    assert (f1.mtbf, f1.mttr) == (Exp(7200.0), 300.0)
    assert f2.name == "jam"
    assert f2.mtbf == Weibull(2.0, 28800.0)
    assert f2.repair_time == Uniform(60.0, 180.0)
    assert f2.mttr == 120.0  # derived from the repair-time distribution
    assert f2.basis == "calendar" and f2.crew == "repair"


def test_availability_derives_mtbf(tiny_data):
    tiny_data["stations"][1]["failures"] = {"availability": 0.95, "mttr": "10min"}
    (fm,) = validate_scenario(tiny_data).stations[1].failures
    assert isinstance(fm.mtbf, Exp)
    assert fm.mtbf.mean == 600.0 * 0.95 / (1 - 0.95)  # exactly the formula mttr * A / (1 - A)
    assert fm.mtbf.mean == pytest.approx(11400.0, rel=1e-12)
    assert fm.availability == pytest.approx(0.95, rel=1e-12)


def test_availability_with_repair_time_distribution(tiny_data):
    tiny_data["stations"][1]["failures"] = {"availability": 0.9, "repair_time": "lognormal(mean=10min, cv=0.5)"}
    (fm,) = validate_scenario(tiny_data).stations[1].failures
    assert fm.mttr == 600.0
    assert fm.repair_time == LogNormal(600.0, 0.5)
    assert fm.mtbf.mean == 600.0 * 0.9 / (1 - 0.9)


def test_stages_plant():
    s = validate_scenario({
        "name": "plant", "horizon": "1d",
        "stages": [
            {"name": "smt", "lines": 2, "stations": [{"name": "print", "process_time": "20s"}]},
            {"name": "fa", "lines": 4, "supermarket": 2000,
             "stations": [{"name": "kit", "process_time": "12s"}, {"name": "pack", "process_time": "10s"}]},
        ],
    })
    assert [st.name for st in s.stage_list()] == ["smt", "fa"]
    assert [st.lines for st in s.stage_list()] == [2, 4]
    assert s.stages[1].supermarket == 2000
    assert [st.name for st in s.all_stations()] == ["print", "kit", "pack"]


def test_yaml_schema_key_is_ignored(tiny_data):
    tiny_data["$schema"] = "./schema.json"
    assert validate_scenario(tiny_data).name == "tiny"


def test_resolved_plain_scenario_round_trips(tiny_data):
    s = validate_scenario(tiny_data)
    assert validate_scenario(s.to_dict()) == s
    assert yaml.safe_load(describe(s)) == s.to_dict()


def test_resolved_scenario_with_failures_round_trips(tiny_data):
    """`check` prints and summary.json stores the resolved scenario; it should load back as the
    same scenario (to reproduce a run from its summary.json)."""
    tiny_data["stations"][1]["failures"] = {"availability": 0.95, "mttr": "10min"}
    s = validate_scenario(tiny_data)
    again = validate_scenario(yaml.safe_load(describe(s)), file="resolved.yaml")
    assert again.stations[1].failures[0].mtbf.mean == pytest.approx(s.stations[1].failures[0].mtbf.mean, rel=1e-9)
    assert again.stations[1].failures[0].availability == pytest.approx(0.95, rel=1e-9)


# ----------------------------------------------------------------------------- one-line errors


def test_error_buffer_negative(tiny_data):
    tiny_data["stations"][2]["buffer"] = -1
    assert err(tiny_data) == f'{F}: stations[2].buffer: must be an integer >= 0 or "inf", got -1'


@pytest.mark.parametrize("value", ["lots", 2.5, True])
def test_error_buffer_not_an_integer(tiny_data, value):
    tiny_data["stations"][0]["buffer"] = value
    assert err(tiny_data) == f'{F}: stations[0].buffer: must be an integer >= 0 or "inf", got {value!r}'


def test_error_unknown_station_key(tiny_data):
    tiny_data["stations"][0]["bufer"] = 3
    assert err(tiny_data) == f"{F}: stations[0].bufer: unknown key 'bufer' (did you mean 'buffer'?)"


def test_error_unknown_top_level_key(tiny_data):
    tiny_data["horizen"] = "2h"
    assert err(tiny_data) == f"{F}: horizen: unknown key 'horizen' (did you mean 'horizon'?)"


def test_error_unknown_nested_key(tiny_data):
    tiny_data["stations"][1]["yield"] = 0.9
    tiny_data["stations"][1]["on_fail"] = {"rewrk": "a"}
    assert err(tiny_data) == f"{F}: stations[1].on_fail.rewrk: unknown key 'rewrk' (did you mean 'rework'?)"


def test_error_unknown_key_without_close_match_lists_allowed(tiny_data):
    tiny_data["release"] = {"mode": "saturated", "zzz": 1}
    assert err(tiny_data) == f"{F}: release.zzz: unknown key 'zzz'; allowed: mode, rate, every, wip"


def test_error_unknown_key_in_failures_list(tiny_data):
    tiny_data["stations"][1]["failures"] = [{"mtbf": "1h", "mttr": "5min"}, {"mtbf": "2h", "mtr": "1min"}]
    assert err(tiny_data) == f"{F}: stations[1].failures[1].mtr: unknown key 'mtr' (did you mean 'mttr'?)"


def test_error_unknown_key_in_calendar_and_stages(tiny_data):
    d = dict(tiny_data, calendar={"shifts": [{"start": "08:00", "ned": "20:00"}]})
    assert err(d) == f"{F}: calendar.shifts[0].ned: unknown key 'ned' (did you mean 'end'?)"
    d = {"name": "p", "horizon": "1h",
         "stages": [{"name": "s", "stations": [{"name": "x", "process_time": 1, "bufer": 2}]}]}
    assert err(d) == f"{F}: stages[0].stations[0].bufer: unknown key 'bufer' (did you mean 'buffer'?)"


def test_error_missing_required_key(tiny_data):
    del tiny_data["horizon"]
    assert err(tiny_data) == f"{F}: horizon: missing required key"


def test_error_missing_station_process_time(tiny_data):
    del tiny_data["stations"][1]["process_time"]
    assert err(tiny_data) == f"{F}: stations[1].process_time: missing required key"


def test_error_release_mode_needs_rate(tiny_data):
    tiny_data["release"] = {"mode": "poisson"}
    assert err(tiny_data) == f"{F}: release: mode poisson needs 'rate'"


@pytest.mark.parametrize("release, problem", [
    ({"mode": "interval"}, "mode interval needs 'every'"),
    ({"mode": "conwip"}, "mode conwip needs 'wip'"),
    ({"mode": "saturated", "rate": "1/h"}, "'rate' belongs to mode poisson, not saturated"),
    ({"mode": "poisson", "rate": "1/h", "wip": 3}, "'wip' belongs to mode conwip, not poisson"),
])
def test_error_release_fields(tiny_data, release, problem):
    tiny_data["release"] = release
    assert err(tiny_data) == f"{F}: release: {problem}"


def test_error_release_mode_unknown(tiny_data):
    tiny_data["release"] = {"mode": "poison"}
    assert err(tiny_data) == (
        f"{F}: release.mode: Input should be 'saturated', 'poisson', 'interval' or 'conwip', got 'poison'"
    )


@pytest.mark.parametrize("rate, problem", [
    ("250", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '250'"),
    ("3/x", "must be a rate such as 250/h or 100/min (per: ms, s, min, h, d, w), got '3/x'"),
    ("0/h", "must be a rate > 0, got '0/h'"),
])
def test_error_bad_rate(tiny_data, rate, problem):
    tiny_data["release"] = {"mode": "poisson", "rate": rate}
    assert err(tiny_data) == f"{F}: release.rate: {problem}"


@pytest.mark.parametrize("clock", ["25:00", "24:30", "8am", "12:60"])
def test_error_bad_calendar_clock(tiny_data, clock):
    tiny_data["calendar"] = {"shifts": [{"start": "08:00", "end": clock}]}
    assert err(tiny_data) == f"{F}: calendar.shifts[0].end: must be a clock time 'HH:MM', got {clock!r}"


def test_calendar_accepts_24_00(tiny_data):
    tiny_data["calendar"] = {"shifts": [{"start": "08:00", "end": "24:00"}],
                             "breaks": [{"start": "12:00", "duration": "30min"}], "days_per_week": 6}
    cal = validate_scenario(tiny_data).calendar
    assert cal.days_per_week == 6
    assert cal.breaks[0].duration == 1800.0


def test_error_calendar_break_and_days(tiny_data):
    tiny_data["calendar"] = {"breaks": [{"start": "12:00", "duration": "0s"}]}
    assert err(tiny_data) == f"{F}: calendar.breaks[0].duration: must be a finite duration > 0, got '0s'"
    tiny_data["calendar"] = {"days_per_week": 8}
    assert err(tiny_data) == f"{F}: calendar.days_per_week: Input should be less than or equal to 7, got 8"


def test_error_duplicate_station_names(tiny_data):
    tiny_data["stations"][2]["name"] = "a"
    assert err(tiny_data) == f"{F}: stations[2].name: duplicate station 'a'"


def test_error_unknown_product_in_process_time(tiny_data):
    two_products(tiny_data)
    tiny_data["stations"][0]["process_time"] = {"A": "13s", "B": "14s", "C": "1s"}
    assert err(tiny_data) == f"{F}: stations[0].process_time: unknown product 'C'; products: A, B"


def test_error_missing_product_time(tiny_data):
    two_products(tiny_data)
    tiny_data["stations"][0]["process_time"] = {"A": "13s"}
    assert err(tiny_data) == f"{F}: stations[0].process_time: no time for product 'B'"


def test_error_bad_product_time(tiny_data):
    two_products(tiny_data)
    tiny_data["stations"][0]["process_time"] = {"A": "13s", "B": "exp(-1s)"}
    assert err(tiny_data) == (
        f"{F}: stations[0].process_time: product 'B': exp() mean: must be a finite duration >= 0, got '-1s'"
    )


def test_error_bad_distribution(tiny_data):
    tiny_data["stations"][1]["process_time"] = "lognormall(mean=1s, cv=1)"
    assert err(tiny_data) == (f"{F}: stations[1].process_time: unknown distribution 'lognormall' "
                              "(did you mean 'lognormal'?)")


def test_error_shares_do_not_sum_to_one(tiny_data):
    tiny_data["products"] = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.3}]
    assert err(tiny_data) == f"{F}: products: shares must add up to 1, got 0.8"


def test_error_duplicate_product(tiny_data):
    tiny_data["products"] = [{"name": "A", "share": 0.5}, {"name": "A", "share": 0.5}]
    assert err(tiny_data) == f"{F}: products: duplicate product 'A'"


def test_error_rework_target_does_not_exist(tiny_data):
    tiny_data["stations"][1]["on_fail"] = {"rework": "zz"}
    assert err(tiny_data) == f"{F}: stations[1].on_fail.rework: no station 'zz' in this line"


def test_error_rework_own_station(tiny_data):
    tiny_data["stations"][1]["on_fail"] = {"rework": "b"}
    assert err(tiny_data) == f"{F}: stations[1].on_fail.rework: a station cannot rework its own failures"


def test_error_crew_not_in_repair_crews(tiny_data):
    tiny_data["stations"][1]["failures"] = {"mtbf": "1h", "mttr": "5min", "crew": "techs"}
    assert err(tiny_data) == f"{F}: stations[1].failures[0].crew: no repair crew 'techs' in repair_crews"


def test_error_repair_crew_size(tiny_data):
    tiny_data["repair_crews"] = {"r": 0}
    assert err(tiny_data) == f"{F}: repair_crews.r: Input should be greater than or equal to 1, got 0"


@pytest.mark.parametrize("failure, problem", [
    ({"mttr": "5min"}, "give mtbf (mean time between failures) or availability"),
    ({"mtbf": "1h"}, "give mttr (mean time to repair) or repair_time"),
    ({"mtbf": "1h", "availability": 0.9, "mttr": "5min"},
         "give mtbf or availability, not both (they disagree: mtbf gives availability 0.923077)"),
])
def test_error_failure_mode_fields(tiny_data, failure, problem):
    tiny_data["stations"][1]["failures"] = failure
    assert err(tiny_data) == f"{F}: stations[1].failures[0]: {problem}"


def test_error_availability_out_of_range(tiny_data):
    tiny_data["stations"][1]["failures"] = {"availability": 1.5, "mttr": "5min"}
    assert err(tiny_data) == f"{F}: stations[1].failures[0].availability: Input should be less than 1, got 1.5"


def test_error_both_stations_and_stages(tiny_data):
    tiny_data["stages"] = [{"name": "s", "stations": [{"name": "x", "process_time": 1}]}]
    assert err(tiny_data) == f"{F}: give either 'stations' (one line) or 'stages' (a plant), not both or neither"


def test_error_neither_stations_nor_stages(tiny_data):
    del tiny_data["stations"]
    assert err(tiny_data) == f"{F}: give either 'stations' (one line) or 'stages' (a plant), not both or neither"


def test_error_empty_station_list(tiny_data):
    """`stations: []` is a missing line, not 'every station is a rework station'."""
    tiny_data["stations"] = []
    msg = err(tiny_data)
    assert msg.startswith(f"{F}: stations: ")
    assert "rework" not in msg
    assert "at least 1" in msg or "at least one" in msg


@pytest.mark.parametrize("key, value, problem", [
    ("horizon", "-3s", "must be a finite duration > 0, got '-3s'"),
    ("horizon", 0, "must be a finite duration > 0, got 0"),
    ("horizon", "abc", "must be a duration such as 13s, 2.5min or 3h (units: ms, s, min, h, d, w), got 'abc'"),
    ("replications", 0, "Input should be greater than or equal to 1, got 0"),
    ("seed", -1, "Input should be greater than or equal to 0, got -1"),
    ("name", "a b", "must be a name of letters, digits, '-' and '_' (no dots or spaces), got 'a b'"),
    ("blocking", "after", "Input should be 'after_service' or 'before_service', got 'after'"),
])
def test_error_top_level_values(tiny_data, key, value, problem):
    tiny_data[key] = value
    assert err(tiny_data) == f"{F}: {key}: {problem}"


def test_error_bad_warmup_mentions_durations(tiny_data):
    """warmup is 'auto' or a duration; the message must not suggest only 'auto'."""
    tiny_data["warmup"] = "soon"
    msg = err(tiny_data)
    assert msg.startswith(f"{F}: warmup: ")
    assert "duration" in msg and "'soon'" in msg


@pytest.mark.parametrize("key, value, problem", [
    ("servers", 0, "Input should be greater than or equal to 1, got 0"),
    ("yield", 1.5, "Input should be less than or equal to 1, got 1.5"),
    ("on_fail", "trash", "Input should be 'scrap', got 'trash'"),
])
def test_error_station_values(tiny_data, key, value, problem):
    tiny_data["stations"][1][key] = value
    assert err(tiny_data) == f"{F}: stations[1].{key}: {problem}"


@pytest.mark.parametrize("data, kind", [([1, 2], "list"), (None, "NoneType"), ("text", "str"), (3, "int")])
def test_error_top_level_not_a_mapping(data, kind):
    assert err(data) == f"{F}: must be a mapping of keys (name, horizon, stations, ...), got {kind}"


def test_default_file_name(tiny_data):
    tiny_data["horizen"] = 1
    with pytest.raises(InputError) as e:
        validate_scenario(tiny_data)
    assert str(e.value).startswith("<scenario>: horizen: ")


# ------------------------------------------------------------------------------- files & YAML


def test_load_scenario_from_file(tiny_scenario_file):
    s = load_scenario(tiny_scenario_file)
    assert s.name == "tiny" and len(s.stations) == 3


def test_load_scenario_error_names_the_file(write_scenario, tiny_data):
    tiny_data["stations"][2]["buffer"] = -1
    p = write_scenario(tiny_data, "bad.yaml")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert str(e.value) == f'{p}: stations[2].buffer: must be an integer >= 0 or "inf", got -1'


def test_yaml_syntax_error_has_line_and_column(write_scenario):
    p = write_scenario("name: x\n  horizon: 2h\n", "syntax.yaml")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: line 2, column 10: YAML syntax error: mapping values are not allowed here"


def test_yaml_syntax_error_unclosed_list(write_scenario):
    p = write_scenario("name: x\nhorizon: 2h\nstations:\n  - name: a\n    process_time: [1, 2\n", "open.yaml")
    with pytest.raises(InputError) as e:
        read_yaml(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}: line 6, column 1: YAML syntax error: ")
    assert "\n" not in msg


def test_unreadable_file_missing(tmp_path):
    p = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: cannot read file: No such file or directory"


def test_unreadable_file_directory(tmp_path):
    with pytest.raises(InputError) as e:
        load_scenario(tmp_path)
    assert str(e.value) == f"{tmp_path}: cannot read file: Is a directory"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_permissions(tiny_scenario_file):
    tiny_scenario_file.chmod(0)
    try:
        with pytest.raises(InputError) as e:
            load_scenario(tiny_scenario_file)
        assert str(e.value) == f"{tiny_scenario_file}: cannot read file: Permission denied"
    finally:
        tiny_scenario_file.chmod(0o644)


@pytest.mark.parametrize("text, kind", [("- 1\n- 2\n", "list"), ("", "NoneType"), ("just text\n", "str")])
def test_top_level_not_a_mapping_in_a_file(write_scenario, text, kind):
    p = write_scenario(text, "top.yaml")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: must be a mapping of keys (name, horizon, stations, ...), got {kind}"


# ------------------------------------------------------------------------------ --set overrides


def test_set_station_by_name(tiny_data):
    out = apply_overrides(tiny_data, ["stations.b.servers=3"])
    assert out["stations"][1]["servers"] == 3
    assert "servers" not in tiny_data["stations"][1]  # the input is not modified
    assert validate_scenario(out).stations[1].servers == 3


def test_set_station_by_index(tiny_data):
    out = apply_overrides(tiny_data, ["stations.2.servers=4", "stations.0.buffer=inf"])
    s = validate_scenario(out)
    assert s.stations[2].servers == 4
    assert s.stations[0].buffer == math.inf


def test_set_values_are_yaml(tiny_data):
    out = apply_overrides(tiny_data, ["horizon=3h", "replications=5",
                                      "stations.a.process_time=lognormal(mean=12s, cv=0.15)",
                                      "stations.a.failures={mtbf: 1h, mttr: 5min}", "description="])
    assert out["horizon"] == "3h"
    assert out["replications"] == 5
    assert out["description"] == ""
    s = validate_scenario(out)
    assert s.horizon == 10800.0
    assert s.stations[0].process_time == LogNormal(12.0, 0.15)
    assert s.stations[0].failures[0].mtbf == Exp(3600.0)


def test_set_creates_nested_keys(tiny_data):
    out = apply_overrides(tiny_data, ["release.mode=conwip", "release.wip=5"])
    assert out["release"] == {"mode": "conwip", "wip": 5}
    r = validate_scenario(out).release
    assert (r.mode, r.wip) == ("conwip", 5)
    out = apply_overrides(tiny_data, ["calendar.days_per_week=6"])
    assert validate_scenario(out).calendar.days_per_week == 6


def test_set_path_directly():
    data = {"stations": [{"name": "x"}], "release": None}
    set_path(data, "release.rate", "1/h")
    set_path(data, "stations.x.servers", 2)
    assert data == {"stations": [{"name": "x", "servers": 2}], "release": {"rate": "1/h"}}


def test_set_unknown_station_did_you_mean(tiny_data):
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["stations.bb.servers=3"])
    msg = str(e.value)
    assert msg.endswith("stations.bb: no item named 'bb' (did you mean 'b'?)")
    assert "--set" in msg and "\n" not in msg


def test_set_unknown_station_lists_names(tiny_data):
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["stations.kitting.servers=3"])
    assert str(e.value).endswith("stations.kitting: no item named 'kitting'; names: a, b, c")


def test_set_index_out_of_range(tiny_data):
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["stations.5.servers=3"])
    assert str(e.value).endswith("stations.5: index 5 is out of range (0..2)")


def test_set_into_a_scalar(tiny_data):
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["horizon.x=3"])
    assert str(e.value).endswith("horizon.x: cannot go into 'horizon' (a str)")


def test_set_without_equals(tiny_data):
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["stations.b.servers"])
    assert str(e.value).endswith("--set needs PATH=VALUE, got 'stations.b.servers'")


def test_set_value_that_is_not_yaml_is_an_input_error(tiny_data):
    """A malformed value such as `[1` must be a one-line InputError, not a yaml exception."""
    with pytest.raises(InputError) as e:
        apply_overrides(tiny_data, ["stations.a.servers=[1"], file="tiny.yaml")
    assert "\n" not in str(e.value)
    assert "stations.a.servers" in str(e.value)


def test_load_scenario_with_overrides(tiny_scenario_file):
    s = load_scenario(tiny_scenario_file, ["stations.b.servers=3", "release.mode=conwip", "release.wip=5"])
    assert s.stations[1].servers == 3
    assert (s.release.mode, s.release.wip) == ("conwip", 5)


def test_load_scenario_override_error_names_the_file(tiny_scenario_file):
    with pytest.raises(InputError) as e:
        load_scenario(tiny_scenario_file, ["stations.b.servers=0"])
    assert str(e.value) == (
        f"{tiny_scenario_file}: stations[1].servers: Input should be greater than or equal to 1, got 0"
    )
    with pytest.raises(InputError) as e:
        load_scenario(tiny_scenario_file, ["horizen=3h"])
    assert str(e.value) == f"{tiny_scenario_file}: horizen: unknown key 'horizen' (did you mean 'horizon'?)"


def test_load_scenario_unknown_station_override_names_the_file(tiny_scenario_file):
    """SPEC 1: a bad-input message names the file; a --set into a station the file does not have
    is about that file (apply_overrides takes `file=` for this)."""
    with pytest.raises(InputError) as e:
        load_scenario(tiny_scenario_file, ["stations.bb.servers=3"])
    msg = str(e.value)
    assert str(tiny_scenario_file) in msg
    assert "stations.bb" in msg and "did you mean 'b'?" in msg


# ------------------------------------------------------------------------------- JSON Schema

SPEC_TOP_LEVEL_KEYS = ["name", "description", "sources", "horizon", "warmup", "replications", "seed",
                       "calendar", "release", "products", "lot_size", "sequence", "changeover",
                       "stations", "repair_crews", "stages", "lines", "blocking", "engine"]


def test_json_schema_is_valid_json_with_every_top_level_key():
    schema = json_schema()
    again = json.loads(json.dumps(schema))
    assert again == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "linesim scenario"
    assert schema["type"] == "object"
    for key in SPEC_TOP_LEVEL_KEYS:
        assert key in schema["properties"], key
    assert set(schema["required"]) == {"name", "horizon"}
    assert schema["additionalProperties"] is False


def test_json_schema_station_properties():
    station = json_schema()["$defs"]["Station"]
    assert {"name", "servers", "process_time", "buffer", "blocking", "changeover", "failures",
            "yield", "on_fail"} <= set(station["properties"])
    assert station["additionalProperties"] is False


def test_field_docstrings_are_the_descriptions_and_validation_stays():
    """The docstring under a field is its description (read when first asked, sim.scenario.described),
    in model_fields and the JSON Schema; the rebuilt models validate as before."""
    from sim.scenario.schema import Lesson, Scenario, Station

    station = json_schema()["$defs"]["Station"]["properties"]
    assert station["servers"]["description"] == "Identical parallel servers: machines, operators, test racks."
    assert Scenario.model_fields["horizon"].description == "Measured time per replication, after the warm-up."
    assert Lesson.model_fields["next_step"].description.startswith("A command to try next")
    assert Station.model_fields["yield_"].description.startswith("Share of units that pass")
    assert validate_scenario({"name": "x", "horizon": "1h", "stations": [{"name": "a", "process_time": "1min"}]}
                         ).stations[0].process_time.mean == 60
    with pytest.raises(InputError):
        validate_scenario({"name": "x", "horizon": "1h", "stations": [{"name": "a"}]})


def test_shipped_schema_equals_json_schema():
    shipped = REPO_ROOT / "scenarios" / "schema.json"
    if not shipped.exists():
        pytest.skip("scenarios/schema.json is not shipped")
    assert json.loads(shipped.read_text(encoding="utf-8")) == json_schema()


# ------------------------------------------------------------------------ shipped scenarios


def _shipped_scenarios() -> list[Path]:
    return sorted(p for p in (REPO_ROOT / "scenarios").rglob("*.yaml") if p.name != "claims.yaml")


@pytest.mark.parametrize("path", _shipped_scenarios(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_shipped_scenarios_are_valid(path):
    assert load_scenario(path).name


# ------------------------------------------------------------------- valid YAML is accepted (SPEC 7)


def test_anchors_aliases_and_merge_keys(write_scenario):
    """`<<: *defaults` merges a mapping; explicit keys override merged ones; aliases reuse values."""
    p = write_scenario(
        "name: merged\nhorizon: 1h\n"
        "stations:\n"
        "  - &first {name: a, process_time: exp(10s), buffer: 4, servers: 2}\n"
        "  - {<<: *first, name: b}\n"
        "  - <<: *first\n"
        "    name: c\n"
        "    buffer: 7\n"
        "  - {<<: [*first], name: d, process_time: &t const(3s)}\n"
        "  - {name: e, process_time: *t}\n", "merge.yaml")
    s = load_scenario(p)
    a, b, c, d, e = s.stations
    assert (b.servers, b.buffer, b.process_time) == (2, 4, Exp(10.0))
    assert (c.name, c.buffer) == ("c", 7)
    assert d.process_time == e.process_time == Const(3.0)


def test_duplicate_explicit_key_is_still_an_error(write_scenario):
    p = write_scenario("name: x\nhorizon: 1h\nstations:\n  - {name: a, process_time: 1s, name: b}\n")
    with pytest.raises(InputError, match="duplicate key 'name'"):
        load_scenario(p)


def test_unquoted_clock_times_are_clock_times(write_scenario, tiny_yaml_text):
    """YAML 1.1 reads 20:00 as the base-60 number 1200; a scenario reads it as a clock time."""
    p = write_scenario(tiny_yaml_text + "calendar:\n  shifts: [{start: 08:00, end: 20:00}, {start: 20:00, end: 8:00}]\n"
                       "  breaks: [{start: 12:00, duration: 30min}]\n")
    cal = load_scenario(p).calendar
    assert [(sh.start, sh.end) for sh in cal.shifts] == [("08:00", "20:00"), ("20:00", "8:00")]
    assert cal.breaks[0].start == "12:00"


def test_other_yaml_numbers_still_read(write_scenario, tiny_yaml_text):
    p = write_scenario(tiny_yaml_text.replace("seed: 7", "seed: 1_000") + "lot_size: 0x10\n")
    s = load_scenario(p)
    assert (s.seed, s.lot_size) == (1000, 16)


def test_utf8_bom_is_accepted(tmp_path, tiny_yaml_text):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + tiny_yaml_text.replace("three stations", "drei Stationen für").encode("utf-8"))
    s = load_scenario(p)
    assert s.name == "tiny" and "für" in s.description


def test_integral_floats_are_integers(tiny_data):
    tiny_data["replications"] = 3.0
    tiny_data["stations"][0]["servers"] = 2.0
    s = validate_scenario(tiny_data)
    assert s.replications == 3 and isinstance(s.replications, int)
    assert s.stations[0].servers == 2 and isinstance(s.stations[0].servers, int)


@pytest.mark.parametrize("where, key", [
    ("top", "replications"), ("top", "seed"), ("top", "lines"), ("top", "lot_size"),
    ("station", "servers"), ("station", "buffer"), ("station", "yield"),
])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_numbers(tiny_data, where, key, value):
    target = tiny_data if where == "top" else tiny_data["stations"][0]
    target[key] = value
    msg = err(tiny_data)
    assert key in msg and ("true/false" in msg or '"inf"' in msg)


def test_rework_stations_listed_after_the_main_flow_are_accepted(tiny_data):
    tiny_data["stations"][1].update({"yield": 0.9, "on_fail": {"rework": "fix"}})
    tiny_data["stations"].append({"name": "fix", "process_time": "1min"})
    s = validate_scenario(tiny_data)
    assert Scenario_rework(s) == {"fix"}


def Scenario_rework(s) -> set[str]:
    return s.rework_targets(s.stage_list()[0])


def test_rework_target_in_the_main_flow_is_an_error(tiny_data):
    """A rework target listed before a main-flow station used to be taken out of the flow silently."""
    tiny_data["stations"][2].update({"yield": 0.9, "on_fail": {"rework": "a"}})
    assert err(tiny_data) == (f"{F}: stations[2].on_fail.rework: 'a' is a station of the main flow "
                              "(listed before 'b'); list rework stations after the main flow")


@pytest.mark.parametrize("path", _shipped_scenarios(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_shipped_scenarios_round_trip_exactly(path):
    """The resolved scenario (summary.json, the cache key, `check`) loads back as the same
    scenario, every number at full precision."""
    s = load_scenario(path)
    again = validate_scenario(yaml.safe_load(describe(s)), file="resolved.yaml")
    assert again == s
    assert again.to_dict() == s.to_dict()


def test_resolved_scenario_is_lossless(tiny_data):
    tiny_data["stations"][1]["process_time"] = "lognormal(mean=25.000000001s, cv=0.2000004)"
    tiny_data["stations"][0]["failures"] = {"availability": 0.9123456789012, "mttr": "10.123456789min"}
    s = validate_scenario(tiny_data)
    assert validate_scenario(s.to_dict()) == s


def test_error_drain_changeover_with_rework_at_the_first_station(tiny_data):
    # the first station would wait for the line to empty while its repaired unit waits for it
    tiny_data.update(products=[{"name": "x", "share": 0.5}, {"name": "y", "share": 0.5}],
                     changeover={"time": "5min", "mode": "drain"})
    tiny_data["stations"][0].update({"yield": 0.9, "on_fail": {"rework": "c"}})
    assert err(tiny_data).startswith(f"{F}: stations[0].on_fail: with changeover mode drain, the first station")
    tiny_data["changeover"]["mode"] = "rolling"
    validate_scenario(tiny_data)
    tiny_data["changeover"]["mode"] = "drain"
    tiny_data["stations"][0].update({"on_fail": "scrap"})
    validate_scenario(tiny_data)


def test_every_model_of_the_format_has_its_descriptions_filled_in():
    """sim.scenario.schema.MODELS names every model of the format (a model left out would have no
    field descriptions in the JSON Schema), and every field of them has one."""
    import pydantic

    from sim.scenario import schema

    defined = {v for v in vars(schema).values()
               if isinstance(v, type) and issubclass(v, pydantic.BaseModel)
               and v.__module__ in ("sim.scenario.schema", "sim.scenario.lesson") and not v.__name__.startswith("_")}
    assert defined == set(schema.MODELS)
    json_schema()
    missing = [f"{m.__name__}.{n}" for m in schema.MODELS for n, f in m.model_fields.items() if not f.description]
    assert not missing
