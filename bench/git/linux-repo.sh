#!/usr/bin/env bash
# Builds a large real repository for P6 from Debian's linux-source package (the machine reaches Debian's
# packages but no git hosting): the Linux 6.1 tree, ~75 000 files, committed once, then packed as a clone would be.
# Debian's tree ignores everything in its top .gitignore, hence `add -f`.
# Usage: bench/git/linux-repo.sh [target-dir]   (default /var/tmp/stigmergy-bench/linux); prints the directory.
set -euo pipefail
TARGET=${1:-/var/tmp/stigmergy-bench/linux}
if [ -d "$TARGET/.git" ]; then echo "$TARGET"; exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
[ -n "$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null)" ] || as_root apt-get install -y -q --no-install-recommends linux-source
TARBALL=$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1)
mkdir -p "$TARGET"
tar -xJf "$TARBALL" -C "$TARGET" --strip-components=1
cd "$TARGET"
git init -q && git config user.email bench@example.invalid && git config user.name bench
git add -f -A . && git -c gc.auto=0 commit -qm "$(basename "$TARBALL" .tar.xz)"
git gc -q
echo "$TARGET"
