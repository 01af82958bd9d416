"""The claims (sim/claims/, scenarios/claims.yaml): the arithmetic of each implication against
hand-computed values, the file's completeness (every claim quoted from its article, with a
source and a verdict), one-line errors, the checks between claims and the `claims` command
without simulation."""

from __future__ import annotations

import copy
import json
import re
import unicodedata

import pandas as pd
import pytest
import yaml

from sim.claims.arithmetic import (
    changeover_loss,
    headcount_factor,
    legacy_takt,
    line_rate,
    lines_needed,
    per_hour,
    rack_places,
    rates,
    share_of_global,
    units_per_year,
)
from sim.claims.evaluation import evaluate
from sim.claims.evidence import LineRun, matching_summary
from sim.claims.loading import load_claims, validate_claims
from sim.claims.schema import VERDICTS
from sim.cli.claims import cmd_claims
from sim.cli.parser import build_parser
from sim.errors import InputError
from tests.conftest import REPO_ROOT
from tests.helpers import make_summary

CLAIMS_FILE = REPO_ROOT / "scenarios" / "claims.yaml"
ARTICLES = REPO_ROOT.parent / "shared" / "articles"


@pytest.fixture(scope="module")
def cfg():
    return load_claims(CLAIMS_FILE)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))


def conv(cfg, cid):
    return cfg.convention(cid)


def fake_line(values=(249.0, 248.0, 250.0, 249.0)) -> LineRun:
    """A simulated line as the checks see it (no simulation needed)."""
    return LineRun(scenario="wistron", source="test", on_shift=list(values), calendar=[195.0] * len(values),
                   horizon_s=4 * 7 * 86400, replications=len(values), bottleneck="auto-screw", setup_share=0.02,
                   run_in_places=640, run_in_used=500.0, lot_size=3000, products=4)


# ------------------------------------------------------------------------ hand-computed values


def test_line_rate_and_lines_needed():
    assert round(line_rate(13), 1) == 276.9  # 3600 / 13
    assert round(lines_needed(6000, 13), 1) == 21.7  # 6000 / 276.9
    assert round(lines_needed(6000, 13, 0.75), 1) == 28.9  # domain-facts 5.2
    assert round(6000 / (3600 / 13 * 0.9)) == round(lines_needed(6000, 13, 0.9))


def test_monthly_output_under_each_convention(cfg):
    assert round(per_hour(150_000, "month", conv(cfg, "572h")), 1) == 262.2  # 150000 / 572
    assert round(per_hour(150_000, "month", conv(cfg, "660h")), 1) == 227.3
    assert round(per_hour(150_000, "month", conv(cfg, "720h")), 1) == 208.3
    r = rates(150_000, "month", conv(cfg, "572h"))
    assert round(r["takt_s"], 1) == 13.7 and round(r["per_day"]) == 5769  # 150000 / 26 days
    assert r["per_month"] == pytest.approx(150_000) and r["per_year"] == pytest.approx(1_800_000)
    assert r["per_min"] == pytest.approx(r["per_h"] / 60) and r["per_s"] == pytest.approx(r["per_h"] / 3600)
    # a 13 s line at 100% makes 158,400 a month at 572 h (domain-facts 5.4)
    assert round(line_rate(13) * 572) == 158_400


def test_rates_of_a_per_minute_figure(cfg):
    r = rates(100, "min", conv(cfg, "720h"))
    assert r["per_h"] == 6000 and r["per_day"] == 144_000 and r["per_month"] == 4_320_000
    assert units_per_year(100, "min") == pytest.approx(52_560_000)  # around the clock, 8,760 h


def test_share_of_global_shipments():
    assert round(share_of_global(64.22e6, 163e6), 3) == 0.394
    assert round(share_of_global(0.25 * 174e6, 174e6), 2) == 0.25


def test_changeover_loss_and_run_in_racks():
    assert round(changeover_loss(2.5 * 22, 4, 572), 3) == 0.385  # 220 h of 572
    assert round(changeover_loss(14 / 60, 4, 572), 4) == 0.0016  # 56 min of 572 h
    assert round(changeover_loss(55, 1, 572), 3) == 0.096
    assert rack_places(2 * 3600, 13) == 554  # 7200 / 13 = 553.8
    assert rack_places(80 * 60, 13) == 370 and rack_places(2 * 3600, 36) == 200


def test_efficiency_and_headcount():
    assert round(legacy_takt(13, 41), 1) == 18.3
    assert (round(legacy_takt(13, 15), 2), round(legacy_takt(13, 20), 1)) == (14.95, 15.6)
    assert round(headcount_factor(41, 52.7), 2) == 0.92
    assert round(headcount_factor(20, 52.7), 2) == 0.79


# --------------------------------------------------------------- the implications, as computed


def implication(ev, claim, label_part):
    rows = [i for i in ev.implications if i["claim"] == claim and label_part in i["implication"]]
    assert rows, f"{claim}: no implication with {label_part!r}"
    return rows[0]["value"]


def test_evaluated_implications_match_the_hand_values(cfg):
    ev = evaluate(cfg, line=fake_line())
    assert round(implication(ev, "wistron-13s", "one line's output at 100%"), 1) == 276.9
    assert implication(ev, "wistron-13s", "run-in rack places") == 554
    assert round(implication(ev, "wistron-13s", "lines for 6,000/h at 100%"), 1) == 21.7
    eff = 249.0 / (3600 / 13)
    assert implication(ev, "wistron-13s", "simulated line: efficiency") == pytest.approx(eff)
    assert implication(ev, "wistron-13s", "at the simulated efficiency") == pytest.approx(6000 / 249.0)
    assert round(implication(ev, "cq-notebooks-2019", "share of 2019"), 3) == round(64e6 / 163e6, 3)
    rates572 = next(r for r in ev.rates if r["claim"] == "inventec-150k-month" and r["convention"] == "572h")
    assert round(rates572["per_h"], 1) == 262.2 and round(rates572["lines_at_100pct"], 2) == 0.95
    assert {r["convention"] for r in ev.rates if r["claim"] == "inventec-150k-month"} == {"720h", "660h", "572h"}
    before = implication(ev, "wistron-changeover-before", "capacity lost at 4 changes")
    assert round(before, 3) == 0.385
    assert round(implication(ev, "inventec-share-of-global", "size of the segment"), -5) == 10_600_000


def test_every_claim_has_a_source_and_a_verdict(cfg, raw):
    assert len(raw["claims"]) == len(cfg.claims) >= 80
    ev = evaluate(cfg)
    by_id = {r["id"]: r for r in ev.claims}
    for c in raw["claims"]:
        r = by_id[c["id"]]
        assert r["verdict"] in VERDICTS, c["id"]
        assert r["reason"] and "\n" not in r["reason"], c["id"]
        assert r["article"] and re.match(r"^\d{4}", r["date"]), c["id"]
        assert c["quote"].strip() and c["unit"] and c["period"], c["id"]
    # the laptop figures the issue names are all there, with their checks
    for cid, check in [("wistron-13s", "takt"), ("wistron-changeover-before", "changeover"),
                       ("quanta-inventec-100-per-min", "output"), ("inventec-150k-month", "output"),
                       ("cq-notebooks-2019", "output"), ("cq-one-in-three-laptops", "share"),
                       ("zone-one-in-four-2024", "share")]:
        assert by_id[cid]["check"] == check


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text.replace("\u201c", '"').replace("\u201d", '"')).lower()


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="the articles are not next to the repository")
def test_every_quote_is_in_its_article(raw):
    texts = {a["id"]: _norm((ARTICLES / a["file"]).read_text(encoding="utf-8")) for a in raw["articles"]}
    for c in raw["claims"]:
        for part in re.split(r"\s*\.\.\.\s*", c["quote"]):
            if part:
                assert _norm(part) in texts[c["article"]], f"{c['id']}: {part!r} not in {c['article']}"


# ------------------------------------------------------------------------------- verdicts


def test_verdicts_follow_the_numbers(cfg):
    ev = evaluate(cfg, line=fake_line())
    v = {r["id"]: r["verdict"] for r in ev.claims}
    assert v["cq-one-in-three-laptops"] == "consistent"  # 39% >= 33%
    assert v["wistron-changeover-before"] == "strained"  # 38% at 4 a month, 9.6% at 1
    assert v["wistron-changeover-after"] == "consistent"
    assert v["wistron-13s"] == "consistent"  # efficiency 90% >= 60%
    assert v["inventec-share-of-global"] == "unverifiable"  # undefined segment
    assert v["cc-vehicles-growth"] == "inconsistent"
    checks = {c["id"]: c for c in ev.checks}
    assert checks["peak-vs-average"]["verdict"] == "consistent"
    assert "83/min" in checks["peak-vs-average"]["reason"]  # 0.25 x 174M / 525,600
    assert checks["changeover-vs-efficiency"]["verdict"] == "strained"
    assert checks["run-in-racks"]["verdict"] == "consistent"
    # a slow simulated line turns the 13 s verdict
    slow = evaluate(cfg, line=fake_line((140.0, 141.0, 139.0)))
    assert {r["id"]: r["verdict"] for r in slow.claims}["wistron-13s"] == "strained"


def test_a_changed_figure_changes_the_verdict(raw):
    data = copy.deepcopy(raw)
    out = next(c for c in data["claims"] if c["id"] == "cq-notebooks-2019")
    out["value"] = 40_000_000  # 40M would be 25% of 2019's shipments, and 38% off the official count
    ev = evaluate(validate_claims(data))
    v = {r["id"]: r["verdict"] for r in ev.claims}
    assert v["cq-notebooks-2019"] == "inconsistent"
    assert {c["id"]: c["verdict"] for c in ev.checks}["output-vs-share-2019"] != "consistent"


def test_sizing_results_enter_the_verdict(cfg):
    pts = [{"value": 3, "mean_per_h": 280.0, "ci95_per_h": 3.0, "lower_per_h": 277.0, "met": True},
           {"value": 2, "mean_per_h": 190.0, "ci95_per_h": 2.0, "lower_per_h": 188.0, "met": False}]
    sz = {"answer": 3, "points": pts, "target_per_h": 262.24, "question": "inventec FA lines",
          "unit_name": "FA lines", "scenario": "inventec", "how": "test", "path": "stages.fa.lines", "hi": 1024}
    ev = evaluate(cfg, line=fake_line(), sizing={"inventec-150k-month": sz})
    row = next(r for r in ev.claims if r["id"] == "inventec-150k-month")
    assert row["verdict"] == "consistent" and row["support"] == "supports" and "3 FA lines" in row["reason"]
    missed = dict(sz, answer=None)
    row = next(r for r in evaluate(cfg, sizing={"inventec-150k-month": missed}).claims
               if r["id"] == "inventec-150k-month")
    assert row["verdict"] == "strained" and row["support"] == "contradicts"


# ------------------------------------------------------------------------- one-line errors


def _error(data, tmp_path) -> str:
    p = tmp_path / "claims.yaml"
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_claims(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(str(p) + ": ")
    return msg


def test_claims_file_errors_are_one_line(raw, tmp_path):
    d = copy.deepcopy(raw)
    d["claims"][3]["qoute"] = "x"
    assert "claims[3].qoute: unknown key 'qoute' (did you mean 'quote'?)" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    d["claims"][0]["verdict"] = "plausible"
    assert "claims[0].verdict" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    del d["claims"][5]["quote"]
    assert "claims[5].quote: missing required key" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    d["claims"][1]["article"] = "ichongqing-2020-05-23"
    msg = _error(d, tmp_path)
    assert "claims[1].article: no article 'ichongqing-2020-05-23'" in msg and "did you mean" in msg
    d = copy.deepcopy(raw)
    i = next(i for i, c in enumerate(d["claims"]) if c.get("check") == "share")
    del d["claims"][i]["year"]
    assert f"claims[{i}].year: check share needs it" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i = next(i for i, c in enumerate(d["claims"]) if c.get("check") == "takt")
    d["claims"][i]["unit"] = "kg"
    assert f"claims[{i}].unit: check takt needs a time unit" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    d["conventions"][0]["hours_per_month"] = 700
    assert "conventions[0].hours_per_month" in _error(d, tmp_path)
    assert "YAML syntax error" in _error("claims: [\n  - {id: x", tmp_path)


# ------------------------------------------------------------------------- summaries reused


def test_matching_summary(tmp_path):
    from sim.scenario.loading import validate_scenario

    sc = validate_scenario({"name": "m", "horizon": "1h", "replications": 3,
                            "stations": [{"name": "a", "process_time": "exp(10s)"}]})
    p = tmp_path / "summary.json"
    assert matching_summary(p, sc)[0] is None
    est = {"mean": 305.0, "ci95": 63.5, "values": [300.0, 310.0]}
    summary = make_summary(scenario=dict(sc.to_dict(), replications=5, seed=9), replications=2,
                           kpis={"throughput_per_scheduled_hour": est, "throughput_per_hour": est}).to_dict()
    p.write_text(json.dumps(summary))
    got, _ = matching_summary(p, sc)  # replications and seed may differ
    assert got is not None and LineRun.from_summary(got, "test").on_shift == [300.0, 310.0]
    summary["scenario"]["horizon"] = 7200.0
    p.write_text(json.dumps(summary))
    got, why = matching_summary(p, sc)
    assert got is None and "horizon" in why
    p.write_text(json.dumps({"scenario": sc.to_dict(), "kpis": {}}))  # an older or foreign file
    assert matching_summary(p, sc)[0] is None


# ------------------------------------------------------------------------------ the command


def test_cmd_claims_without_simulation(tmp_path, capsys):
    p = build_parser()
    out = tmp_path / "claims"
    args = p.parse_args(["claims", "--file", str(CLAIMS_FILE), "--out", str(out), "--no-simulation"])
    assert cmd_claims(args) == 0
    text = capsys.readouterr().out
    assert "Verdicts on the laptop" in text and "Checks between claims" in text
    df = pd.read_csv(out / "claims.csv")
    assert len(df) == len(load_claims(CLAIMS_FILE).claims) and df["verdict"].isin(VERDICTS).all()
    for name in ("claims.json", "checks.csv", "rates.csv", "implications.csv", "report.html",
                 "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png", "global_share.png"):
        assert (out / name).stat().st_size > 0, name
    md = (out / "README-section.md").read_text(encoding="utf-8")
    assert md.startswith("## What the claims imply") and "results/claims/changeover_loss.png" in md
    assert json.loads((out / "claims.json").read_text())["line"] is None
    with pytest.raises(InputError):
        cmd_claims(p.parse_args(["claims", "--file", str(tmp_path / "nope.yaml"), "--out", str(out),
                                 "--no-simulation"]))
