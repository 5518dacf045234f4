#!/bin/bash
# Samples CPU time once a second until the service exits: epoch seconds, ticks (1/100 s) of the service JVM (pid $1),
# of the PostgreSQL backends connected to database $2, and of the whole machine (busy). Usage: cpu-sampler.sh PID DB
while kill -0 $1 2>/dev/null; do
  j=$(awk '{print $14+$15}' /proc/$1/stat 2>/dev/null)
  p=0; for pid in $(pgrep -f "postgres: .* $2 "); do t=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null); p=$((p+${t:-0})); done
  m=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)
  echo "$(date +%s.%N | cut -c1-14) $j $p $m"
  sleep 1
done
