#!/bin/sh
# Shared by the Stigmergy git hooks: sends the paths given on standard input (one per line) to
# POST /environments/{env}/verify and decides.
#   exit 0: no other agent holds any of them at L3/L4, or the environment is not registered (warning)
#   exit 1: another agent holds one of them, or the service answered an error or could not be reached
# Settings: STIGMERGY_URL, STIGMERGY_TOKEN, STIGMERGY_ENVIRONMENT, or git config stigmergy.url,
# stigmergy.token, stigmergy.environment.
url=${STIGMERGY_URL:-$(git config --get stigmergy.url)}
token=${STIGMERGY_TOKEN:-$(git config --get stigmergy.token)}
env=${STIGMERGY_ENVIRONMENT:-$(git config --get stigmergy.environment)}
if [ -z "$url" ] || [ -z "$token" ] || [ -z "$env" ]; then
  echo "stigmergy: set stigmergy.url, stigmergy.token and stigmergy.environment (git config) to check holds" >&2
  exit 1
fi

body=$(mktemp) && answer=$(mktemp) || exit 1
trap 'rm -f "$body" "$answer"' EXIT
# JSON-escape each path (backslash and double quote); git quotes nothing with -z off and core.quotepath=false
printf '{"paths":[' > "$body"
first=1
while IFS= read -r path; do
  [ -n "$path" ] || continue
  escaped=$(printf '%s' "$path" | sed 's/\\/\\\\/g; s/"/\\"/g')
  if [ $first = 1 ]; then first=0; else printf ',' >> "$body"; fi
  printf '"%s"' "$escaped" >> "$body"
done
printf ']}' >> "$body"
[ $first = 1 ] && exit 0 # nothing to check

status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$url/environments/$env/verify" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$body") || status=000
case "$status" in
  200)
    if grep -q '"ok":true' "$answer"; then exit 0; fi
    echo "stigmergy: refused, files held by other agents at L3/L4:" >&2
    cat "$answer" >&2; echo >&2
    exit 1 ;;
  404)
    if grep -q "environment '" "$answer"; then
      echo "stigmergy: warning: environment '$env' is not registered; holds not checked" >&2
      exit 0
    fi ;;
esac
echo "stigmergy: refused, the service answered $status (fail closed):" >&2
cat "$answer" >&2 2>/dev/null; echo >&2
exit 1
