"""Command-line conventions, run as a user runs them (a subprocess whose stdout and stderr are
pipes): the command list, "did you mean" for options and commands, an example and the right
defaults in each help, progress lines on piped stderr with the total known up front and the
cache counted, and no e-notation in the terminal table of the wistron line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli.parser import EXAMPLES, build_parser, command_parser
from sim.errors import InputError

REPO = Path(__file__).resolve().parents[2]

TWO = """\
name: two
horizon: 40min
warmup: 5min
replications: 3
seed: 3
stations:
  - {name: a, process_time: exp(20s)}
  - {name: b, process_time: exp(25s), buffer: 3}
"""


def test_python_m_sim_alone_lists_the_commands(cli, tmp_path):
    proc = cli([], tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    listed = re.findall(r"^\s{4}(\w+)\s", proc.stdout, re.M)
    assert set(listed) >= {"run", "compare", "sweep", "validate", "claims", "size", "check", "schema"}
    assert "--help" in proc.stdout


@pytest.mark.parametrize("args,fragment", [
    (["run", "two.yaml", "--replicatons", "3"], "unrecognized argument --replicatons (did you mean '--replications'?)"),
    (["sweep", "two.yaml", "--vary", "stations.b.buffer=1,2", "--hrizon=1h"], "(did you mean '--horizon'?)"),
    (["validate", "--quik"], "(did you mean '--quick'?)"),
    (["rnu", "two.yaml"], "(did you mean 'run'?)"),
])
def test_a_mistyped_option_or_command_gets_a_suggestion(cli, tmp_path, args, fragment):
    (tmp_path / "two.yaml").write_text(TWO)
    proc = cli(args, tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert fragment in proc.stderr
    assert not (tmp_path / "results").exists()  # nothing was run


def test_every_command_shows_an_example_and_its_own_default_folder():
    commands = build_parser().commands
    assert set(EXAMPLES) == set(commands)
    for name, parser in commands.items():
        text = parser.format_help()
        assert f"example:\n  {EXAMPLES[name]}" in text, name
        assert EXAMPLES[name].startswith(f"python -m sim {name}")
    outs = {name: " ".join(commands[name].format_help().split()) for name in ("run", "compare", "sweep", "size")}
    assert "default results/<scenario name>/)" in outs["run"]
    assert "default results/compare-<A>-vs-<B>/" in outs["compare"]
    assert "default results/<scenario name>-sweep/" in outs["sweep"]
    assert "default results/<scenario name>-size/" in outs["size"]


def test_every_example_parses():
    parser = build_parser()
    for name, example in EXAMPLES.items():
        args = parser.parse_args(example.split(">")[0].split()[3:])  # without a shell redirection
        assert args.command == name


def test_a_command_parser_alone_is_the_one_of_the_whole_parser():
    """`python -m sim NAME ...` parses with command_parser(NAME) alone (not making the others):
    the same help, the same namespace, the same one-line errors as the whole parser's."""
    whole = build_parser()
    for name, example in EXAMPLES.items():
        alone = command_parser(name)
        assert alone.format_help() == whole.commands[name].format_help(), name
        argv = example.split(">")[0].split()[3:]
        assert vars(alone.parse_args(argv[1:])) == vars(whole.parse_args(argv)), name
        for bad in (["--no-such-option"], ["--jobs", "many"], ["--out"]):
            with pytest.raises(InputError) as from_whole:
                whole.parse_args([*argv, *bad])
            with pytest.raises(InputError) as from_alone:
                alone.parse_args([*argv[1:], *bad])
            assert str(from_alone.value) == str(from_whole.value), (name, bad)


def test_piped_stderr_shows_progress_lines_and_the_cache(cli, tmp_path):
    (tmp_path / "two.yaml").write_text(TWO)
    first = cli(["run", "two.yaml", "--out", "o", "--jobs", "1", "--no-plots"], tmp_path)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert [ln.split(",")[0] for ln in lines[:3]] == [f"progress: {i}/3 replications" for i in (1, 2, 3)]
    assert all(" elapsed" in ln for ln in lines[:3]) and "left" in lines[0]
    assert lines[-1].startswith("done: 3 replications in ") and lines[-1].endswith("0 of 3 from the cache")
    assert "(0 of 3 replications from the cache)" in first.stdout
    again = cli(["run", "two.yaml", "--out", "o", "--jobs", "1", "--no-plots", "--replications", "4"], tmp_path)
    assert again.stderr.splitlines()[-1].endswith("3 of 4 from the cache")
    assert "(3 of 4 replications from the cache)" in again.stdout
    quiet = cli(["run", "two.yaml", "--out", "o", "--jobs", "1", "--no-plots", "--quiet"], tmp_path)
    assert quiet.stderr == "" and quiet.stdout == ""


def test_the_sweep_total_is_known_up_front(cli, tmp_path):
    (tmp_path / "two.yaml").write_text(TWO)
    proc = cli(["sweep", "two.yaml", "--vary", "stations.b.buffer=0,4", "--replications", "2", "--out", "s",
                "--jobs", "1", "--no-plots"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    totals = {int(m) for m in re.findall(r"progress: \d+/(\d+) replications", proc.stderr)}
    assert totals == {4}  # 2 grid points x 2 replications, from the first line on


def test_the_wistron_terminal_table_has_no_e_notation(cli, tmp_path):
    proc = cli(["run", REPO / "scenarios" / "wistron.yaml", "--horizon", "12h", "--replications", "2",
                "--out", "w", "--no-plots"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Throughput" in proc.stdout and "Lead time (mean)" in proc.stdout
    assert not re.search(r"\d[eE][+-]?\d", proc.stdout), proc.stdout
    assert re.search(r"\d,\d{3}", proc.stdout)  # thousands separators
