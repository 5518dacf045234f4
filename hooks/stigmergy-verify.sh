#!/bin/sh
# Shared by the Stigmergy git hooks: sends what standard input names to POST /environments/{env}/verify and decides.
#   stdin: paths, one per line (whole files); with --diff, `git diff -U0 --no-renames` output, sent as files with
#          the line ranges their hunks replace (old side, 1-based, inclusive; added, deleted, binary: whole file)
#   exit 0: nothing collides with another agent's L3/L4 hold, or the environment is not registered (warning)
#   exit 1: something collides, or the service answered an error or could not be reached
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
if [ "$1" = --diff ]; then
  # "diff --git a/P b/P" names the file (same path on both sides without renames); "@@ -start,count" the old lines
  awk '
    function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
    function flush() {
      if (path == "") return
      printf "%s{\"path\":\"%s\"", sep, esc(path)
      if (!whole && n > 0) printf ",\"lineRanges\":[%s]", ranges
      printf "}"; sep = ","
    }
    BEGIN { printf "{\"files\":[" }
    /^diff --git / { flush(); s = substr($0, 12); path = substr(s, 3, (length(s) - 5) / 2); whole = 0; n = 0; ranges = ""; next }
    /^new file mode/ || /^deleted file mode/ || /^Binary files/ { whole = 1; next }
    /^@@ / {
      split(substr($2, 2), a, ","); start = a[1] + 0; count = (a[2] == "") ? 1 : a[2] + 0
      first = (start < 1) ? 1 : start; last = (count == 0) ? first : start + count - 1
      ranges = ranges (n ? "," : "") "{\"start\":" first ",\"end\":" last "}"; n++
    }
    END { flush(); printf "]}" }
  ' > "$body"
  grep -q '"path"' "$body" || exit 0 # nothing to check
else
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
fi

status=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$url/environments/$env/verify" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$body") || status=000
case "$status" in
  200)
    if grep -q '"ok":true' "$answer"; then exit 0; fi
    echo "stigmergy: refused, changes collide with what other agents hold at L3/L4:" >&2
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
