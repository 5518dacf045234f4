#!/usr/bin/env bash
# The scout's analysis alone (tree diffs, hunks of shared paths, file- and hunk-level dependencies) on the last 100
# first-parent commits of a repository, without a service: what issue 31 bounds at 10 s on a large repository.
# Usage: bench/colony/scan.sh <repository> [commits]   (after ./mvnw verify, or ./mvnw test-compile -pl colony -am: ScanProbe is a test
# class of the colony, in colony/target/test-classes)
set -euo pipefail
REPO=${1:?repository}; N=${2:-100}
CP=colony/target/stigmergy-colony.jar:colony/target/test-classes
java -cp "$CP" dev.stigmergy.colony.ScanProbe "$REPO" "$N"
