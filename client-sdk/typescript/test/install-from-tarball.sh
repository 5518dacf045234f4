#!/bin/sh
# Installs the packed client ($1, the npm pack tarball) by path into a scratch project, as a user would, and checks
# that it loads and carries its type declarations. Its one runtime dependency (fetch-retry) comes from the npm cache or,
# when the cache lacks its metadata (a fresh machine), from the registry.
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cd "$project"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund "$tarball" >/dev/null
test -f node_modules/@stigmergy/client/dist/src/index.d.ts
test -f node_modules/@stigmergy/client/dist/generated/apis/LocksApi.d.ts
node -e "
const c = require('@stigmergy/client');
for (const name of ['Configuration', 'LocksApi', 'IntentsApi', 'streamEvents']) {
  if (typeof c[name] !== 'function') { console.error('missing export ' + name); process.exit(1); }
}
console.log('installed ' + require('@stigmergy/client/package.json').version + ' from ' + process.argv[1]);
" "$tarball"
