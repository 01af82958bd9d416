#!/usr/bin/env bash
# Regenerate every committed result under results/ from the scenario files' seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m sim animate scenarios/wistron.yaml --quiet   # first: the run report links the player
python -m sim compare scenarios/wistron.yaml scenarios/legacy.yaml --quiet --fresh   # also writes results/wistron, results/legacy
python -m sim run scenarios/inventec.yaml --quiet --fresh
python -m sim sweep scenarios/wistron.yaml --vary changeover.time=3min,30min,2h,8h,1d,3d \
    --vary lot_size=3000,30000 --replications 5 --horizon 2w --out results/changeover-sweep --quiet --fresh
python -m sim validate > /dev/null || echo "validate: a benchmark missed: see results/validation/validation.txt"
python -m sim claims --quiet --runs results   # reuses results/wistron and results/legacy
