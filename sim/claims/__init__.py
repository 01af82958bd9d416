"""The claims audit: what the articles' figures imply for assembly lines, and whether they hold.

The modules, in the order data flows through them:

- `schema`: the claims file (`scenarios/claims.yaml`): its sections and the rules across them.
- `loading`: reading it, with one-line errors that name the file and the key.
- `roles`: the roles a claim's or a cross-check's `uses:` binds to claim and reference ids.
- `arithmetic`: pure functions (rates, lines needed, shares, changeover loss, Little's law).
- `words`: how numbers read in the text.
- `evidence`: the simulated line, sizing searches and legacy line the claims are read against.
- `context`: what a check reads (the file, the evidence, the takt every "lines needed" counts).
- `verdicts`: one check per kind of claim: what it implies, and its verdict.
- `cross`: one function per kind of check between claims.
- `evaluation`: the whole file evaluated: the rows of every table.
- `text`: the terminal text and the README section.
- `figures`: what the three figures show.
- `files`: the folder `claims` writes (CSV, JSON, figures, report.html, README-section.md).

The command is `sim/cli/claims.py`.
"""

from pathlib import Path

#: The claims file as the docs and reports name it (the bundled one, as a checkout holds it); here,
#: not in `schema`, so that the command line's help names it without loading the claims schema.
DEFAULT_FILE = Path("scenarios") / "claims.yaml"
