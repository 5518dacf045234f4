#!/bin/sh
# Installs the packed client ($1, the npm pack tarball) by path into a scratch project, as a user would, and checks
# that it loads and carries its type declarations. No registry is needed: the client has no runtime dependencies.
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cd "$project"
npm init -y >/dev/null
npm install --offline --no-audit --no-fund "$tarball" >/dev/null
test -f node_modules/@stigmergy/client/dist/src/index.d.ts
test -f node_modules/@stigmergy/client/dist/generated/apis/LocksApi.d.ts
node -e "
const c = require('@stigmergy/client');
for (const name of ['Configuration', 'LocksApi', 'IntentsApi', 'streamEvents']) {
  if (typeof c[name] !== 'function') { console.error('missing export ' + name); process.exit(1); }
}
console.log('installed ' + require('@stigmergy/client/package.json').version + ' from ' + process.argv[1]);
" "$tarball"
