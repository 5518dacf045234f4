#!/usr/bin/env bash
# Issue 31's figures: the replay colony on this repository's last 40 commits (or, with a fifth argument, on a generated
# history with a known DAG: `--generate <edits>`, 24 in the goal's runs) with 8 workers and a 1000 ms mean think time,
# against a running service, the summary as JSON (bound, wall time, efficiency, waits, per-step means, start-up).
# Usage: bench/colony/run.sh <service-url> <admin-token> [think-ms] [workers] [generated-edits]   (from the repository's
# root, after building the service and the colony as the README's first command does)
set -euo pipefail
URL=${1:?service URL}; TOKEN=${2:?admin token}; THINK=${3:-1000}; WORKERS=${4:-8}; GENERATE=${5:-}
echo "# $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg) cores $(nproc)" >&2
if [ -n "$GENERATE" ]; then HISTORY=(--generate "$GENERATE"); else HISTORY=(--commits 40); fi
java -jar colony/target/stigmergy-colony.jar --url "$URL" --admin-token "$TOKEN" --workers "$WORKERS" \
     --think-ms "$THINK" "${HISTORY[@]}" --json
