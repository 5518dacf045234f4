#!/bin/bash
# CPU spent per operation in each phase a benchmark printed as "phase NAME FROM_MS TO_MS COUNT" (on stdin): the
# service JVM, the database's backends and the whole machine (other tenants included), from cpu-sampler.sh's
# samples in file $1. The samples (once a second) span less than a phase: its count is scaled to the span they
# cover. A phase printed several times (slices) is summed over its slices.
# Usage: grep '^phase ' out.txt | cpu-per-phase.sh samples.txt [unit]
UNIT=${2:-cycle}
awk -v u="$UNIT" -v ncpu="$(nproc)" '
  FNR == NR { n = split($0, f, " "); name[++phases] = f[2]; from[phases] = f[3]; to[phases] = f[4]; count[phases] = f[5]
              if (!(f[2] in seen)) { seen[f[2]] = 1; order[++names] = f[2] }; next }
  { t[++samples] = $1 * 1000; j[samples] = $2; p[samples] = $3; m[samples] = $4 }
  END {
    for (i = 1; i <= phases; i++) {
      a = 0; b = 0
      for (s = 1; s <= samples; s++) { if (!a && t[s] >= from[i]) a = s; if (t[s] <= to[i]) b = s }
      if (a && b > a) { k = name[i]; ops[k] += count[i] * (t[b] - t[a]) / (to[i] - from[i]); J[k] += j[b] - j[a]; P[k] += p[b] - p[a]; M[k] += m[b] - m[a]; ms[k] += t[b] - t[a] }
    }
    for (x = 1; x <= names; x++) { k = order[x]
      if (ops[k] > 0 && ms[k] > 0) printf "cpu %s: service %.2f ms/%s, postgres (its backends) %.2f ms/%s, machine busy %.0f %% of %d cores\n",
        k, J[k] * 10 / ops[k], u, P[k] * 10 / ops[k], u, M[k] * 10 / ms[k] * 100 / ncpu, ncpu }
  }' /dev/stdin "$1"
