#!/usr/bin/env bash
# Benchmark P6 (issue 5): POST /environments/{env}/edit-overlaps of two branches that each change ~50 files of a
# real repository, beside `git merge-tree --write-tree` of the same pair, in the same run.
# Usage: bench/git/run.sh SOURCE_REPO [calls] [files-per-branch]
#        bench/git/run.sh radar SOURCE_REPO [rounds] [mrs] [files-per-mr]   (the conflict radar, issue 28: below)
# SOURCE_REPO is cloned (never changed) into target/bench-git/repo; two branches are built from its HEAD:
# each edits `files` files, a fifth of them edited by both (half of those on the same lines: real conflicts).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/}
TOKEN=bench-admin-token-not-a-secret

# stop_service: SIGTERM, then (a run right after must not meet the old service on the port) SIGKILL after 30 s
stop_service() {
  kill "$SERVICE" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$SERVICE" 2>/dev/null || return 0; sleep 1; done
  echo "the service did not stop within 30 s of SIGTERM: killed" >&2
  kill -9 "$SERVICE" 2>/dev/null || true
}

# start_service DB PORT DATA_DIR LOG: the packaged service on a fresh database (4 connections: one request at a time
# needs no more, and the machine's PostgreSQL is shared); stopped when the script exits
start_service() {
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $1" && psql -h 127.0.0.1 -U postgres -qc "create database $1"
  [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
  QUARKUS_DATASOURCE_JDBC_URL="$PG$1" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$2 \
    QUARKUS_DATASOURCE_JDBC_MAX_SIZE=4 STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=$3 QUARKUS_LOG_LEVEL=WARN \
    STIGMERGY_MERGE_REQUESTS_POLL_INTERVAL=off \
    java -jar target/quarkus-app/quarkus-run.jar > "$4" 2>&1 &
  SERVICE=$!
  trap stop_service EXIT
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/q/health/ready" >/dev/null && break; sleep 1; done
}

# Beside P6 (issue 28): the conflict radar. Usage: bench/git/run.sh radar SOURCE_REPO [rounds] [mrs] [files-per-mr]
# `mrs` branches (mr-00 …) fork from SOURCE_REPO's HEAD (branch bench-base); each edits one line of `files` files
# drawn at random (seeded) from a pool of 5 × `files` text files, the line one of 10 spaced 3 apart (two merge
# requests that edit a shared file at the same line conflict, at different lines they merge cleanly). For each
# round one more commit per moved merge request is prepared (refs/bench/next-<round>); P6RadarBench opens the `mrs`
# merge requests on the service, then per round moves one source ref and times POST /environments/{env}/refs (its
# `mrs - 1` pairs recomputed and their signals and events committed) against `mrs - 1` sequential
# `git merge-tree --write-tree` calls on the same pairs.
if [ "${1:-}" = radar ]; then
  SOURCE=${2:?source repository}
  ROUNDS=${3:-10}
  MRS=${4:-50}
  FILES=${5:-50}
  DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_git_radar}
  PORT=${STIGMERGY_BENCH_PORT:-18092}
  WORK=$PWD/target/bench-git-radar
  rm -rf "$WORK" && mkdir -p "$WORK"
  git clone -q --no-local "$SOURCE" "$WORK/repo"
  git -C "$WORK/repo" checkout -q -b bench-base
  (cd "$WORK/repo" && git ls-tree -r HEAD | awk -F'\t' '$1 ~ /^100644 blob/ { print $2 }' | while read -r f; do
    grep -Iq . "$f" 2>/dev/null && [ "$(wc -l < "$f")" -ge 40 ] && echo "$f"; done | head -n $((5 * FILES)) || true) > "$WORK/pool"
  # (|| true: head ends the walk early, and pipefail would take that for a failure)
  [ "$(wc -l < "$WORK/pool")" -ge $((5 * FILES)) ] || { echo "need $((5 * FILES)) text files of 40+ lines"; exit 1; }
  python3 - "$WORK/repo" "$WORK/pool" "$MRS" "$FILES" "$ROUNDS" <<'PY' | git -C "$WORK/repo" fast-import --quiet
import random, sys
repo, pool_file, mrs, files, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
pool = open(pool_file).read().split("\n")[:5 * files]
out = sys.stdout.buffer
def edited(path, line, text):
    lines = open(f"{repo}/{path}", "rb").read().split(b"\n")
    lines[line - 1] = text.encode()
    return b"\n".join(lines)
def commit(ref, parent, message, changes):
    out.write(f"commit {ref}\ncommitter bench <bench@example.invalid> 1700000000 +0000\n".encode())
    out.write(f"data {len(message)}\n{message}\nfrom {parent}\n".encode())
    for path, data in changes:
        out.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    out.write(b"\n")
chosen = []
for i in range(mrs):
    rng = random.Random(i)
    chosen.append(rng.sample(pool, files))
    changes = [(p, edited(p, rng.choice(range(2, 32, 3)), f"edited by mr-{i:02d}")) for p in chosen[i]]
    commit(f"refs/heads/mr-{i:02d}", "refs/heads/bench-base", f"mr-{i:02d}: {files} files", changes)
for r in range(rounds):
    m = (r * 7) % mrs  # a different merge request each round while rounds <= mrs (7 and 50 are coprime)
    rng = random.Random(1000 + r)
    path = rng.choice([p for p in pool if p not in chosen[m]])  # one more file, at a line no other edits
    commit(f"refs/bench/next-{r}", f"refs/heads/mr-{m:02d}", f"mr-{m:02d} moves", [(path, edited(path, 35, f"moved in round {r}"))])
PY
  echo "repository: $SOURCE ($(git -C "$WORK/repo" ls-files | wc -l) files), $MRS merge requests of $FILES files from a pool of $((5 * FILES))"
  start_service "$DB" "$PORT" "$WORK/data" target/bench-git-radar-service.log
  echo "load before: $(uptime)"
  java -cp 'target/quarkus-app/lib/main/*' bench/git/P6RadarBench.java "http://127.0.0.1:$PORT" "$TOKEN" \
    "$WORK/repo" "$MRS" "$ROUNDS"
  echo "load after: $(uptime)"
  exit 0
fi

SOURCE=${1:?source repository}
CALLS=${2:-50}
FILES=${3:-50}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_git}
PORT=${STIGMERGY_BENCH_PORT:-18091}
WORK=$PWD/target/bench-git
rm -rf "$WORK" && mkdir -p "$WORK"
git clone -q --no-local "$SOURCE" "$WORK/repo"
cd "$WORK/repo"
git config user.email bench@example.invalid && git config user.name bench
git checkout -q -b bench-base
# the first text files of at least 20 lines, in ls-files order (stable; a large tree is not scanned to its end)
mapfile -t CANDIDATES < <(git ls-files | while read -r f; do
  [ -f "$f" ] && grep -Iq . "$f" 2>/dev/null && [ "$(wc -l < "$f")" -ge 20 ] && echo "$f"; done | head -n $((2 * FILES)))
[ "${#CANDIDATES[@]}" -ge $((2 * FILES)) ] || { echo "need $((2 * FILES)) text files of 20+ lines"; exit 1; }
SHARED=$((FILES / 5))
edit() { # file line text: replace one line
  sed -i "${2}s/.*/${3}/" "$1"
}
git checkout -q -b bench-a bench-base
for i in $(seq 0 $((FILES - 1))); do edit "${CANDIDATES[$i]}" 2 "edited by a $i"; done
git commit -qam "a: $FILES files"
git checkout -q -b bench-b bench-base
for i in $(seq $((FILES - SHARED)) $((2 * FILES - SHARED - 1))); do
  f=${CANDIDATES[$i]}
  if [ "$i" -lt "$FILES" ] && [ $((i % 2)) -eq 0 ]; then edit "$f" 2 "edited by b $i"  # same line as a: conflict
  else edit "$f" "$(( $(wc -l < "$f") - 1 ))" "edited by b $i"; fi                   # far from a's line
done
git commit -qam "b: $FILES files"
cd - >/dev/null
echo "repository: $SOURCE ($(git -C "$WORK/repo" ls-files | wc -l) files), each branch changes $FILES files, $SHARED changed by both"

start_service "$DB" "$PORT" "$WORK/data" target/bench-git-service.log
API=(-s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
curl "${API[@]}" -o /dev/null -w "environment: %{http_code}\n" -X POST "http://127.0.0.1:$PORT/environments" \
  -d "{\"name\":\"bench-git\",\"repository\":\"$WORK/repo\"}"
URL="http://127.0.0.1:$PORT/environments/bench-git/edit-overlaps"
BODY='{"refs":["bench-a","bench-b"]}'
curl "${API[@]}" -X POST "$URL" -d "$BODY" > "$WORK/report.json"
python3 - "$WORK/report.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["pairs"][0]
print(f"edit-overlaps: {len(p['changedA'])} and {len(p['changedB'])} files changed, {len(p['files'])} by both, "
      f"{len(p['conflictingPaths'])} conflicting paths")
PY
# merge-tree --name-only: the tree id, the conflicting paths, a blank line, then messages
echo "git merge-tree: $(git -C "$WORK/repo" merge-tree --write-tree --name-only bench-a bench-b | awk 'NR > 1 && /^$/ { exit } NR > 1' | wc -l) conflicting paths"
# warm-up (JIT, caches), not measured
for _ in $(seq 1 10); do curl "${API[@]}" -o /dev/null -X POST "$URL" -d "$BODY"; git -C "$WORK/repo" merge-tree --write-tree bench-a bench-b >/dev/null || true; done
: > "$WORK/service.ms"; : > "$WORK/git.ms"
for _ in $(seq 1 "$CALLS"); do
  curl "${API[@]}" -o /dev/null -w "%{time_total}\n" -X POST "$URL" -d "$BODY" | awk '{printf "%.2f\n", $1 * 1000}' >> "$WORK/service.ms"
  t0=$(date +%s%N); git -C "$WORK/repo" merge-tree --write-tree bench-a bench-b >/dev/null || true; t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", (b - a) / 1e6 }' >> "$WORK/git.ms"
done
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; print v[i] }'; }
echo "edit-overlaps over HTTP ($CALLS calls): p50 $(pct "$WORK/service.ms" 50) ms, p99 $(pct "$WORK/service.ms" 99) ms"
echo "git merge-tree --write-tree ($CALLS runs, process start included): p50 $(pct "$WORK/git.ms" 50) ms, p99 $(pct "$WORK/git.ms" 99) ms"
awk -v s="$(pct "$WORK/service.ms" 50)" -v g="$(pct "$WORK/git.ms" 50)" 'BEGIN { printf "ratio p50: %.2f x merge-tree\n", s / g }'
