#!/bin/sh
# The command line's dispatcher: version, help, unknown commands.
set -u
cli="$1"
fail=0
n=0
check() {
  n=$((n + 1))
  if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
echo "1..5"
check "version prints the version" '"$cli" version | grep -q "^personalize-workshop-cli [0-9]"'
check "--version is version" '[ "$("$cli" --version)" = "$("$cli" version)" ]'
check "help lists commands and exits 0" '"$cli" --help | grep -q "version"'
check "no command is a usage error (exit 2)" '"$cli" >/dev/null 2>&1; [ $? -eq 2 ]'
check "an unknown command names itself and exits 2" 'out=$("$cli" frobnicate 2>&1); [ $? -eq 2 ] && echo "$out" | grep -q frobnicate'
exit $fail
