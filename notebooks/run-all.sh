#!/usr/bin/env bash
# Runs notebooks headless with dotnet-repl (a local tool: .config/dotnet-tools.json) and fails when any cell fails.
# Executed copies, outputs included, go to out/notebooks/ (git-ignored); the committed notebooks stay output-free.
#
# Usage: notebooks/run-all.sh [NOTEBOOK.ipynb ...]     (default: every notebooks/*.ipynb)
# Env:   NOTEBOOK_TIMEOUT  seconds one notebook may run (default 1200)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore >/dev/null
# The notebooks #r this repository's own projects, published with every dependency into notebooks/lib/.
dotnet publish notebooks -c Release -o notebooks/lib --nologo -v quiet

# Prints each failed cell's first line and error from an executed notebook.
print_errors() {
  command -v python3 >/dev/null || return 0
  python3 - "$1" <<'PY'
import json, sys
for number, cell in enumerate(json.load(open(sys.argv[1], encoding="utf-8"))["cells"], start=1):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            first_line = "".join(cell["source"]).splitlines()[0]
            print(f"  cell {number} ({first_line}):")
            print("    " + output.get("evalue", "").strip().replace("\n", "\n    "))
PY
}

out="$root/out/notebooks"
mkdir -p "$out"
if [[ $# -gt 0 ]]; then notebooks=("$@"); else notebooks=(notebooks/*.ipynb); fi
passed=0
failed=0
for notebook in "${notebooks[@]}"; do
  name="$(basename "$notebook")"
  executed="$out/$name"
  rm -f "$executed"
  start=$SECONDS
  if grep -q '"output_type"' "$notebook"; then
    # Outputs stay out of git: they are large, machine-specific, and hide what changed.
    echo "FAIL $notebook holds cell outputs: clear them before committing (Polyglot Notebooks: Clear All Outputs)"
    failed=$((failed + 1))
    continue
  fi
  # The kernel's working folder is the notebook's, as in VS Code: Setup.csx and lib/ are found relative to it.
  if (cd "$(dirname "$notebook")" &&
      timeout "${NOTEBOOK_TIMEOUT:-1200}" dotnet dotnet-repl --run "$name" --exit-after-run --output-path "$executed" </dev/null); then
    echo "PASS $notebook ($((SECONDS - start)) s)"
    passed=$((passed + 1))
  else
    status=$?
    echo "FAIL $notebook (exit $status after $((SECONDS - start)) s; executed copy: ${executed#"$root"/})"
    if [[ -f $executed ]]; then print_errors "$executed"; fi
    failed=$((failed + 1))
  fi
done

echo "notebooks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
