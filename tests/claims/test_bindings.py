"""The bindings of scenarios/claims.yaml (sim/claims/roles.py, schema.py, cross.py): a claim's
`uses:` and the `cross_checks:` section bind the roles of each check to claim and reference ids.
A bad binding is a one-line error naming the file and the key; a cross-check written only in the
data runs; renaming an id is a data edit; no id of the file is left in the code."""

from __future__ import annotations

import copy
import inspect
import re
import typing
from pathlib import Path

import pytest
import yaml

from sim.claims.cross import CROSS_CHECKS
from sim.claims.evaluation import evaluate
from sim.claims.loading import load_claims, validate_claims
from sim.claims.roles import CLAIM_ROLES, CROSS_CHECK_ROLES
from sim.claims.schema import Check
from sim.claims.verdicts import CHECKS
from sim.errors import InputError
from tests.conftest import REPO_ROOT

CLAIMS_FILE = REPO_ROOT / "scenarios" / "claims.yaml"


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))


def _error(data: dict, tmp_path: Path) -> str:
    """The one-line error of loading `data` from a file; asserts it names the file."""
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_claims(p)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{p}: "), msg
    return msg


def _cross(data: dict, cid: str) -> dict:
    return next(x for x in data["cross_checks"] if x["id"] == cid)


def _claim(data: dict, cid: str) -> tuple[int, dict]:
    return next((i, c) for i, c in enumerate(data["claims"]) if c["id"] == cid)


# ------------------------------------------------------------------- code and roles agree


def test_every_kind_has_a_function_whose_keywords_are_its_roles():
    assert set(CROSS_CHECKS) == set(CROSS_CHECK_ROLES)
    for kind, fn in CROSS_CHECKS.items():
        params = inspect.signature(fn).parameters
        keywords = [n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        assert keywords == [r.name for r in CROSS_CHECK_ROLES[kind]], kind


def test_every_check_has_its_roles():
    assert set(CLAIM_ROLES) == set(CHECKS) == set(typing.get_args(Check))
    for roles in (*CLAIM_ROLES.values(), *CROSS_CHECK_ROLES.values()):
        names = [r.name for r in roles]
        assert len(names) == len(set(names))
        assert all(r.needs in names for r in roles if r.needs)


def test_no_id_of_the_claims_file_is_in_the_code(raw):
    ids = {x["id"] for key in ("articles", "conventions", "references", "claims", "cross_checks")
           for x in raw[key]}
    code = REPO_ROOT / "sim"
    for f in [*(code / "claims").glob("*.py"), code / "cli" / "claims.py", code / "outputs" / "plots" / "claims.py"]:
        text = f.read_text(encoding="utf-8")
        found = [i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-])", text)]
        assert not found, f"{f.relative_to(REPO_ROOT)} names {found}"


# -------------------------------------------------------------------- one-line errors


def test_unknown_kind(raw, tmp_path):
    d = copy.deepcopy(raw)
    _cross(d, "peak-vs-average")["kind"] = "peak_vs_avg"
    msg = _error(d, tmp_path)
    assert "cross_checks[0].kind: unknown kind 'peak_vs_avg' (did you mean 'peak_vs_average'?)" in msg


def test_missing_claim_id(raw, tmp_path):
    d = copy.deepcopy(raw)
    _cross(d, "peak-vs-average")["uses"]["share"] = "zone-one-in-four-2042"
    msg = _error(d, tmp_path)
    assert "cross_checks[0].uses.share: no claim 'zone-one-in-four-2042' (did you mean 'zone-one-in-four-20" in msg


def test_wrong_kind_of_claim_for_a_role(raw, tmp_path):
    d = copy.deepcopy(raw)
    _cross(d, "peak-vs-average")["uses"]["share"] = "cq-notebooks-2019"
    assert ("cross_checks[0].uses.share: claim 'cq-notebooks-2019' has check output; role share needs a claim "
            "with check share") in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    _cross(d, "takt-vs-final-assembly")["uses"]["takt"] = "burn-in-time"
    assert "uses.takt: 'burn-in-time' is a reference; role takt needs a claim with check takt" in _error(d, tmp_path)


def test_reference_of_the_wrong_unit(raw, tmp_path):
    d = copy.deepcopy(raw)
    i, c = _claim(d, "wistron-13s")
    c["uses"]["peer_lines"] = "quanta-cq-record-day-2020-12"
    assert (f"claims[{i}].uses.peer_lines: reference 'quanta-cq-record-day-2020-12' is in units/day; role "
            "peer_lines needs a reference in lines") in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    x = _cross(d, "takt-vs-final-assembly")
    x["uses"]["work_content"] = "no-such-figure"
    assert "uses.work_content: no reference 'no-such-figure'" in _error(d, tmp_path)


def test_unknown_missing_and_unpaired_roles(raw, tmp_path):
    d = copy.deepcopy(raw)
    x = _cross(d, "peak-vs-average")
    x["uses"]["shares"] = x["uses"].pop("share")
    msg = _error(d, tmp_path)
    assert "cross_checks[0].uses.shares: kind peak_vs_average has no role 'shares' (did you mean 'share'?)" in msg
    d = copy.deepcopy(raw)
    del _cross(d, "peak-vs-average")["uses"]["share"]
    assert "cross_checks[0].uses.share: kind peak_vs_average needs it (a claim with check share" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "inventec-150k-month")
    c["uses"]["burn_in"] = "burn-in-time"
    assert f"claims[{i}].uses.burn_in: check output has no role 'burn_in'" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    i, c = _claim(d, "zone-smt-lines")
    del c["uses"]["peer_lines"]
    assert f"claims[{i}].uses.peer_lines: check line_count needs it beside peer_day" in _error(d, tmp_path)


def test_cross_check_keys_and_ids(raw, tmp_path):
    d = copy.deepcopy(raw)
    x = _cross(d, "takt-vs-final-assembly")
    x["use"] = x.pop("uses")
    assert "unknown key 'use' (did you mean 'uses'?)" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    d["cross_checks"].append(copy.deepcopy(d["cross_checks"][0]))
    n = len(d["cross_checks"]) - 1
    assert f"cross_checks[{n}].id: duplicate id 'peak-vs-average'" in _error(d, tmp_path)


def test_one_takt_claim(raw, tmp_path):
    d = copy.deepcopy(raw)
    i, c = _claim(d, "wistron-13s")
    twin = dict(copy.deepcopy(c), id="wistron-13s-again")
    d["claims"].append(twin)
    n = len(d["claims"]) - 1
    assert f"claims[{n}].check: a second takt claim (the first is 'wistron-13s')" in _error(d, tmp_path)
    d = copy.deepcopy(raw)
    d["claims"].pop(i)
    d["cross_checks"] = [x for x in d["cross_checks"] if "wistron-13s" not in x["uses"].values()]
    assert "claims: no claim has check takt" in _error(d, tmp_path)


# ----------------------------------------------------------------------- data, not code


def test_a_cross_check_defined_only_in_data_runs(raw):
    d = copy.deepcopy(raw)
    d["cross_checks"].append({"id": "science-city-within-region", "kind": "part_within_whole",
                              "uses": {"part": "zone-one-in-four-2024", "whole": "cc-laptops-half"},
                              "comparable": "two years apart"})
    checks = {c["id"]: c for c in evaluate(validate_claims(d)).checks}
    new = checks["science-city-within-region"]
    assert new["claims"] == "zone-one-in-four-2024, cc-laptops-half"
    assert new["verdict"] == "the figures agree" and "make about 50% of the region's laptops" in new["reason"]
    assert list(checks)[:-1] == [x["id"] for x in raw["cross_checks"]]  # in the file's order


def test_dropping_a_binding_drops_what_it_shows(raw):
    d = copy.deepcopy(raw)
    d["cross_checks"] = [x for x in d["cross_checks"] if x["id"] != "takt-vs-final-assembly"]
    del _claim(d, "wistron-13s")[1]["uses"]["burn_in"]
    ev = evaluate(validate_claims(d))
    assert "takt-vs-final-assembly" not in {c["id"] for c in ev.checks}
    assert not [i for i in ev.implications if i["claim"] == "wistron-13s" and "run-in" in i["implication"]]


def test_renaming_ids_is_a_data_edit():
    before = evaluate(load_claims(CLAIMS_FILE))
    text = CLAIMS_FILE.read_text(encoding="utf-8")
    renames = {"wistron-13s": "wistron-takt", "quanta-cq-smt-lines": "quanta-smt-line-count",
               "takt-vs-final-assembly": "takt-as-manual-assembly", "peak-vs-average": "peak-or-average"}
    for old, new in renames.items():
        text = re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", new, text)
    after = evaluate(validate_claims(yaml.safe_load(text)))

    def renamed(s: str) -> str:
        for old, new in renames.items():
            s = s.replace(old, new)
        return s

    assert [renamed(str(r)) for r in before.claims] == [str(r) for r in after.claims]
    assert [renamed(str(c)) for c in before.checks] == [str(c) for c in after.checks]
    takt = next(r for r in after.claims if r["id"] == "wistron-takt")
    assert "(check takt-as-manual-assembly)" in takt["reason"]
