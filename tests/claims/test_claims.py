"""The claims (sim/claims/, scenarios/claims.yaml): the arithmetic against hand-computed values,
the implications of the headline claims recomputed from their quotes and references on both time
bases, the verdict rules (tracing, circular evidence, comparability), the file's completeness and
one-line errors, and the `claims` command without simulation."""

from __future__ import annotations

import copy
import json
import re
import unicodedata

import pandas as pd
import pytest
import yaml

from sim.claims.arithmetic import (
    calendar_reading,
    changeover_loss,
    headcount_factor,
    legacy_takt,
    line_rate,
    lines_needed,
    per_calendar_hour,
    per_working_hour,
    rack_places,
    units_per_year,
)
from sim.claims.evaluation import evaluate
from sim.claims.glossary import VERDICTS
from sim.claims.loading import load_claims, validate_claims
from sim.claims.runs import LineRun, not_evidence
from sim.cli.claims import cmd_claims
from sim.cli.parser import build_parser
from sim.errors import InputError
from tests.conftest import REPO_ROOT

CLAIMS_FILE = REPO_ROOT / "scenarios" / "claims.yaml"
ARTICLES = REPO_ROOT.parent / "shared" / "articles"
WORKING_SHARE = 22 / 24 * 6 / 7  # two 12 h shifts less 1 h of breaks each, 6 days a week
WORDS = {"hundred": 100, "four": 4, "three": 3}


@pytest.fixture(scope="module")
def cfg():
    return load_claims(CLAIMS_FILE)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ev(cfg):
    return evaluate(cfg, line=fake_line())


def fake_line(values=(249.0, 248.0, 250.0, 249.0), designed_from=("wistron-13s",)) -> LineRun:
    """A simulated line as the checks see it (no simulation needed)."""
    return LineRun(scenario="wistron", source="test", on_shift=list(values), calendar=[195.6] * len(values),
                   horizon_s=4 * 7 * 86400, replications=len(values), bottleneck="auto-screw", setup_share=0.02,
                   run_in_places=640, run_in_busy=497.0, run_in_blocked=8.0, lot_size=3000, products=4,
                   designed_from=tuple(designed_from))


def row(ev, cid):
    return next(r for r in ev.claims if r["id"] == cid)


def implication(ev, claim, label_part, basis=None):
    rows = [i for i in ev.implications if i["claim"] == claim and label_part in i["implication"]
            and (basis is None or i["basis"] == basis)]
    assert rows, f"{claim}: no implication with {label_part!r}"
    return rows[0]["value"]


def number_in(quote: str, pattern: str) -> float:
    """The number `pattern` (a regex with one group) finds in a quote, words ('hundred') included."""
    m = re.search(pattern, quote)
    assert m, f"{pattern!r} not in {quote!r}"
    g = m.group(1).replace(",", "")
    return float(WORDS.get(g, g))


# ------------------------------------------------------------------------ hand-computed values


def test_line_rate_lines_and_one_year_everywhere():
    assert round(line_rate(13), 1) == 276.9 and round(lines_needed(6000, 13), 1) == 21.7
    assert round(lines_needed(6000, 13, 0.75), 1) == 28.9  # domain-facts 5.2
    # one home for the length of a year: 100 a minute is 52.56M a year whichever way it is computed
    assert units_per_year(100, "min") == pytest.approx(100 * 60 * 8760)
    assert per_calendar_hour(150_000, "month") * 8760 == pytest.approx(12 * 150_000)
    assert rack_places(2 * 3600, 13) == 554 and rack_places(80 * 60, 13) == 370
    assert round(legacy_takt(13, 41), 1) == 18.3 and round(headcount_factor(41, 52.7), 2) == 0.92
    assert round(changeover_loss(2.5 * 22, 4, 730 * WORKING_SHARE), 3) == 0.384


def test_working_time_follows_the_pattern(cfg):
    conv = cfg.convention()
    assert conv.share == pytest.approx(WORKING_SHARE) and conv.hours_per_month == pytest.approx(730 * WORKING_SHARE)
    assert per_working_hour(150_000, "month", conv) == pytest.approx(150_000 / (730 * WORKING_SHARE))
    assert calendar_reading(100, "min", "working", conv) == pytest.approx(6000 * WORKING_SHARE)
    assert calendar_reading(100, "min", "calendar", conv) == 6000


def test_the_default_pattern_is_the_simulated_calendar(cfg):
    from sim.scenario.loading import read_yaml, validate_scenario
    from sim.scenario.worktime import WorkCalendar

    for name in ("wistron", "inventec"):
        sc = validate_scenario(read_yaml(REPO_ROOT / "scenarios" / f"{name}.yaml"))
        week = 7 * 86400
        assert WorkCalendar(sc.calendar).on_time(0, week) / week == pytest.approx(cfg.convention().share), name


# ------------------------- the headline claims recomputed from their quotes, on both time bases


def test_100_a_minute_on_both_bases(cfg, ev):
    c = cfg.claim("quanta-inventec-100-per-min")
    per_min = number_in(c.quote, r"nearly a (\w+) units every minute")
    assert cfg.basis(c).kind == "calendar" and "operate continuously" in cfg.basis(c).quote
    calendar_year, working_year = per_min * 60 * 8760, per_min * 60 * 8760 * WORKING_SHARE
    assert implication(ev, c.id, "units a year") == pytest.approx(calendar_year)  # 52.56M
    ship = cfg.shipments(2024).value
    assert implication(ev, c.id, "share of 2024") == pytest.approx(calendar_year / ship)  # 30%
    whole = 0.25 * ship  # 'one in every four' of the same article: 43.5M
    check = {x["id"]: x for x in ev.checks}["peak-vs-average"]
    assert check["by_basis"] == {"calendar": "strained" if calendar_year > whole else "agrees",
                                 "working": "strained" if working_year > whole else "agrees"}
    assert check["by_basis"] == {"calendar": "strained", "working": "agrees"}  # 52.6M > 43.5M > 41.3M
    assert "turns on the time basis" in row(ev, c.id)["reason"] and row(ev, c.id)["verdict"] == "strained"
    record = cfg.ref(c.reference)  # 140,000 in one 24 h day
    assert implication(ev, c.id, "claim /") == pytest.approx(per_min * 60 * 24 / record.value)
    assert implication(ev, c.id, "lines of 13 s needed at 100%") == pytest.approx(per_min * 60 / (3600 / 13))


def test_150000_a_month_on_both_bases(cfg, ev):
    c = cfg.claim("inventec-150k-month")
    month = number_in(c.quote, r"exceeded ([\d,]+) units")
    rates = {r["pattern"]: r for r in ev.rates if r["claim"] == c.id}
    assert rates[cfg.default_convention]["per_calendar_hour"] == pytest.approx(month / 730)  # 205.5
    assert rates[cfg.default_convention]["per_working_hour"] == pytest.approx(month / (730 * WORKING_SHARE))  # 261.5
    pace = cfg.ref(c.uses["pace_month"]).value / cfg.ref(c.uses["pace_lines"]).value
    assert implication(ev, c.id, "final-assembly lines at") == pytest.approx(month / pace)  # 3.7


def test_13_seconds(cfg, ev):
    c = cfg.takt_claim()
    takt = number_in(c.quote, r"reduced to (\d+) seconds")
    assert cfg.basis(c).kind == "working"
    assert implication(ev, c.id, "one line's output at 100%") == pytest.approx(3600 / takt)
    assert implication(ev, c.id, "run-in rack places") == -(-cfg.ref(c.uses["burn_in"]).value // takt)  # 554
    assert implication(ev, c.id, "balanced stations") == -(-cfg.ref(c.uses["work_content"]).value // takt)  # 97
    day, lines = cfg.ref(c.uses["peer_day"]), cfg.ref(c.uses["peer_lines"])
    assert implication(ev, c.id, "seconds per unit a line") == pytest.approx(86400 * lines.value / day.value)
    # 505 places in use = 497 in burn-in (249/h x 2 h, Little's law) + 8 finished and waiting
    assert implication(ev, c.id, "Little's law for the burn-in alone") == pytest.approx(249.0 * 2)


def test_17_percent(cfg, ev):
    c = cfg.claim("inventec-share-of-global")
    share = number_in(c.quote, r"approximately (\d+)%") / 100
    month = number_in(cfg.claim(c.compare).quote, r"exceeded ([\d,]+) units")
    literal = 12 * month / cfg.shipments(c.year).value  # 0.88% of all notebooks
    assert implication(ev, c.id, "share of 2020's shipments") == pytest.approx(literal)
    assert implication(ev, c.id, "size of the segment") == pytest.approx(12 * month / share)  # 10.6M
    r = row(ev, c.id)
    assert r["verdict"] == "strained" and f"{share / literal:.0f} times short" in r["reason"]


def test_one_in_four(cfg, ev):
    c = cfg.claim("zone-one-in-four-2024")
    share = 1 / number_in(c.quote, r"one in every (\w+) laptops")
    units = share * cfg.shipments(c.year).value
    assert implication(ev, c.id, "per calendar minute") == pytest.approx(units / 8760 / 60)  # 82.8
    assert implication(ev, c.id, "per working minute") == pytest.approx(units / 8760 / 60 / WORKING_SHARE)  # 105
    assert row(ev, c.id)["traced"] == "no" and row(ev, c.id)["verdict"] == "feasible but unverified"


def test_two_to_three_days_on_both_bases(cfg, ev):
    c = cfg.claim("wistron-changeover-before")
    lo, hi = (number_in(c.quote, p) for p in (r"from (\d)-\d days", r"from \d-(\d) days"))
    days, routine = (lo + hi) / 2, cfg.routine_changes_per_month
    assert cfg.basis(c).kind == "unknown"
    working = implication(ev, c.id, f"share of working time lost at {routine:g} changes", "working")
    calendar = implication(ev, c.id, f"share of calendar time lost at {routine:g} changes", "calendar")
    assert working == pytest.approx(routine * days * 22 / (730 * WORKING_SHARE))  # 38%
    assert calendar == pytest.approx(routine * days * 24 / 730)  # 33%
    r = row(ev, c.id)
    assert r["verdict"] == "strained" and "same on either time basis" in r["reason"]
    assert f"{routine:g} model changes a month" in r["reason"]  # the assumption is stated


# ------------------------------------------------------------------------ the verdict rules


def test_every_claim_has_a_basis_and_a_traced_status(tmp_path, cfg):
    out = tmp_path / "claims"
    assert cmd_claims(build_parser().parse_args(["claims", "--file", str(CLAIMS_FILE), "--out", str(out),
                                                 "--no-simulation", "--no-plots", "--quiet"])) == 0
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    outlets = {a["title"]: a["outlet"] for a in data["articles"]}
    for r in data["claims"]:
        assert r["basis"] in ("calendar", "working", "unknown", "none") and r["basis_why"], r["id"]
        assert r["traced"] in ("yes", "partly", "no") and r["verdict"] in VERDICTS, r["id"]
        if r["traced"] != "yes":
            assert r["verdict"] != "corroborated", r["id"]  # nothing untraced reads as confirmation
        assert outlets[r["article"]] not in r["traced_by"], r["id"]  # never traced by its own outlet
    for c in cfg.claims:
        for rid in c.traced_by:
            assert cfg.ref(rid).outlet != cfg.article(c.article).outlet, c.id
    assert {r["basis"] for r in data["claims"] if r["topic"] != "context"} >= {"calendar", "working", "unknown"}
    assert all(k in r for r in data["rates"] for k in ("per_calendar_hour", "per_working_hour"))


def test_a_scenario_designed_from_a_claim_is_never_its_evidence(cfg):
    assert not_evidence("x", "s", ("x",)) and not_evidence("x", "s", (), sized_for="x")
    assert not_evidence("x", "s", ("y",)) is None
    built = evaluate(cfg, line=fake_line(designed_from=("wistron-13s", "wistron-changeover-after")))
    for cid in ("wistron-13s", "wistron-changeover-after"):
        assert "not evidence: the wistron scenario was built from this claim" in row(built, cid)["simulation"]
    free = evaluate(cfg, line=fake_line(designed_from=()))
    assert row(free, "wistron-13s")["simulation"].endswith("counts as evidence")
    sized = {"answer": 25, "hi": 1024, "unit_name": "lines", "question": "q", "scenario": "wistron", "points": [],
             "designed_from": ()}
    ev = evaluate(cfg, line=fake_line(), sizing={"quanta-inventec-100-per-min": {"working": sized}})
    assert "sized to meet this claim" in row(ev, "quanta-inventec-100-per-min")["simulation"]


def test_the_shipped_scenarios_declare_what_they_were_built_from(cfg):
    from sim.scenario.loading import read_yaml, validate_scenario

    ids = {c.id for c in cfg.claims}
    built = {p: validate_scenario(read_yaml(REPO_ROOT / "scenarios" / f"{p}.yaml")).designed_from for p in
             ("wistron", "inventec", "legacy")}
    assert "wistron-13s" in built["wistron"] and "inventec-150k-month" in built["inventec"]
    assert all(set(b) <= ids for b in built.values())


def _error(data, tmp_path) -> str:
    p = tmp_path / "claims.yaml"
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_claims(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(str(p) + ": ")
    return msg


def _claim(d, cid):
    return next((i, c) for i, c in enumerate(d["claims"]) if c["id"] == cid)


def test_tracing_and_comparability_are_rules_of_the_file(raw, tmp_path):
    d = copy.deepcopy(raw)
    i, c = _claim(d, "zone-one-in-four-2024")
    c.update(traced="yes", traced_by=["cq-output-2019"])
    d["references"][0]["outlet"] = "iChongqing"
    assert "traced_by: 'cq-output-2019' is from iChongqing, the claim's own outlet" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "quanta-inventec-100-per-min")
    c["traced"] = "yes"  # its sources are C and B
    d2 = copy.deepcopy(d)
    _claim(d2, "quanta-inventec-100-per-min")[1]["traced_by"] = ["quanta-cq-record-day-2020-03"]  # C only
    assert "only tier C sources" in _error(d2, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "hp-computers-shipped")
    c["verdict"] = "corroborated"
    assert f"claims[{i}].verdict: only a figure traced to another source" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "quanta-inventec-100-per-min")
    del c["comparable"]
    assert f"claims[{i}].comparable: the claim and 'quanta-cq-record-day-2020-03' differ in subject" in _error(
        d, tmp_path)
    d = copy.deepcopy(raw)
    x = next(x for x in d["cross_checks"] if x["id"] == "takt-vs-final-assembly")
    del x["comparable"]
    assert "comparable: the figures differ in year (2020, 2014)" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "wistron-13s")
    del c["basis"]
    assert f"claims[{i}].basis: a laptop or efficiency figure needs its time basis" in _error(d, tmp_path)


def test_a_changed_figure_changes_the_verdict(raw):
    data = copy.deepcopy(raw)
    _claim(data, "cq-notebooks-2019")[1]["value"] = 40_000_000  # 38% off the official count
    ev = evaluate(validate_claims(data))
    assert row(ev, "cq-notebooks-2019")["verdict"] == "contradicted"
    assert {c["id"]: c["finding"] for c in ev.checks}["output-vs-share-2019"] != "agrees"


def test_verdicts_as_reviewed(ev):
    v = {r["id"]: r["verdict"] for r in ev.claims}
    assert v["cq-notebooks-2019"] == v["cq-one-in-three-laptops"] == "corroborated"
    assert v["wistron-13s"] == v["inventec-150k-month"] == "feasible but unverified"
    assert v["cc-vehicles-growth"] == "contradicted" and v["zone-efficiency-2024-nie"] == "cannot be tested"


# -------------------------------------------------------------- the file and the articles


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text.replace("\u201c", '"').replace("\u201d", '"')).lower()


def articles_text() -> dict[str, str]:
    return {p.name: _norm(p.read_text(encoding="utf-8")) for p in ARTICLES.glob("*.txt")}


def in_articles(quote: str, texts) -> bool:
    return all(_norm(part) in t for t in [" ".join(texts.values())] for part in re.split(r"\s*\.\.\.\s*", quote)
               if part)


needs_articles = pytest.mark.skipif(not ARTICLES.is_dir(), reason="the articles are not next to the repository")


@needs_articles
def test_every_quote_is_in_its_article(raw):
    texts = {a["id"]: _norm((ARTICLES / a["file"]).read_text(encoding="utf-8")) for a in raw["articles"]}
    for c in raw["claims"]:
        quotes = [c["quote"]] + ([c["basis"]["quote"]] if c.get("basis", {}).get("quote") else [])
        for q in quotes:
            for part in re.split(r"\s*\.\.\.\s*", q):
                if part:
                    assert _norm(part) in texts[c["article"]], f"{c['id']}: {part!r} not in {c['article']}"


#: Quoted phrases of the README that are not article text.
NOT_ARTICLE_QUOTES = {"billion laughs", "did you mean"}


@needs_articles
def test_every_quote_in_the_readme_is_verbatim():
    text = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", (REPO_ROOT / "README.md").read_text(encoding="utf-8"),
                                         flags=re.S))
    texts = articles_text()
    quotes = [a or b for a, b in re.findall(r'"([^"\n]{3,}?)"|\u201c([^\u201d]+)\u201d', text)]
    assert len(quotes) > 20
    bad = [q for q in quotes if q not in NOT_ARTICLE_QUOTES and not in_articles(q, texts)]
    assert not bad, bad


def test_every_claim_has_a_source_and_a_verdict(cfg, raw, ev):
    assert len(raw["claims"]) == len(cfg.claims) >= 90
    for c in raw["claims"]:
        r = row(ev, c["id"])
        assert r["verdict"] in VERDICTS and r["reason"] and "\n" not in r["reason"], c["id"]
        assert r["article"] and re.match(r"^\d{4}", r["date"]), c["id"]
    for cid in ("zone-operates-continuously", "zone-efficiency-2024-nie"):  # the figures once missed
        assert row(ev, cid)["topic"] != "context"


# ------------------------------------------------------------------------------ the command


def test_cmd_claims_without_simulation(tmp_path, capsys, cfg):
    p = build_parser()
    out = tmp_path / "claims"
    args = p.parse_args(["claims", "--file", str(CLAIMS_FILE), "--out", str(out), "--no-simulation"])
    assert cmd_claims(args) == 0
    text = capsys.readouterr().out
    text = text[:text.index("Results written to")]
    assert max(len(line) for line in text.splitlines()) <= 80  # piped: 80 columns
    answer = text[:text.index("WHY, FIGURE BY FIGURE")]
    assert "\u201cover 64 million notebook computers" in answer and "cq-notebooks-2019" not in answer
    assert "GLOSSARY" in text
    df = pd.read_csv(out / "claims.csv")
    assert len(df) == len(cfg.claims) and df["verdict"].isin(VERDICTS).all()
    for name in ("claims.json", "checks.csv", "rates.csv", "implications.csv", "report.html",
                 "README-section.md", "lines_vs_efficiency.png", "changeover_loss.png", "global_share.png"):
        assert (out / name).stat().st_size > 0, name
    md = (out / "README-section.md").read_text(encoding="utf-8")
    assert md.startswith("## What the claims imply") and "results/claims/changeover_loss.png" in md
    assert json.loads((out / "claims.json").read_text())["line"] is None
    with pytest.raises(InputError):
        cmd_claims(p.parse_args(["claims", "--file", str(tmp_path / "nope.yaml"), "--out", str(out),
                                 "--no-simulation"]))
