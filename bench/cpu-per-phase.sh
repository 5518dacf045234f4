#!/bin/bash
# CPU spent per operation in each phase a benchmark printed as "phase NAME FROM_MS TO_MS COUNT" (on stdin): the
# service JVM, the database's backends and the whole machine (other tenants included), from cpu-sampler.sh's
# samples in file $1. Usage: grep '^phase ' out.txt | cpu-per-phase.sh samples.txt [unit]
UNIT=${2:-cycle}
while read -r _ name from to count; do
  awk -v f="$from" -v t="$to" -v c="$count" -v n="$name" -v u="$UNIT" '
    { ms = $1 * 1000 } ms >= f && !a { a = 1; j0 = $2; p0 = $3; m0 = $4; s0 = ms }
    ms <= t { j1 = $2; p1 = $3; m1 = $4; s1 = ms }
    END { if (c > 0 && s1 > s0) printf "cpu %s: service %.2f ms/%s, postgres (its backends) %.2f ms/%s, machine busy %.0f %% of %d cores\n",
            n, (j1 - j0) * 10 / c, u, (p1 - p0) * 10 / c, u, (m1 - m0) * 10 / (s1 - s0) * 100 / ncpu, ncpu }' ncpu="$(nproc)" "$1"
done
