#!/usr/bin/env bash
# S3 keys that are whole `.` / `..` path segments (`..`, `../`, `../x`,
# `.`, `./a`, `a/../b`) with Debian's AWS CLI against personalize-local:
# the CLI sends them unescaped and signs the path as sent; S3 (and so
# personalize-local) keeps them as keys. Each round-trips through
# s3api put-object / head-object / get-object / list-objects-v2 /
# delete-object and `aws s3 cp`, and nothing is written outside the data
# directory. TAP.
# Usage: test-local-awscli-dots.sh PERSONALIZE_LOCAL_BINARY
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/local-common.sh"

binary=$1
work=$(mktemp -d /tmp/pw-local-dots.XXXXXX)
trap 'stop_server; trap_bg_dir; rm -rf "$work" "$server_log"' EXIT
mkdir "$work/files"
printf 'the body of a dotted key\n' > "$work/files/body.txt"

start_server "$binary" "$work/data" || { not_ok "server starts"; finish; exit 1; }
ok "server starts on $PW_ENDPOINT"
check "s3api create-bucket" awsl s3api create-bucket --bucket dots

keys=(".." "../" "../x" "." "./a" "a/../b")
for k in "${keys[@]}"; do
  check "put-object --key '$k'" awsl s3api put-object --bucket dots --key "$k" --body "$work/files/body.txt"
  check "head-object --key '$k' gives its size" \
    test "$(awsl s3api head-object --bucket dots --key "$k" --query ContentLength)" = 25
  rm -f "$work/files/back"
  check "get-object --key '$k'" awsl s3api get-object --bucket dots --key "$k" "$work/files/back"
  check "get-object --key '$k' gives the same bytes" cmp "$work/files/body.txt" "$work/files/back"
done
check "aws s3 cp up to s3://dots/../up" awsl s3 cp "$work/files/body.txt" "s3://dots/../up"
check "aws s3 cp up to s3://dots/./up" awsl s3 cp "$work/files/body.txt" "s3://dots/./up"
rm -f "$work/files/back"
check "aws s3 cp s3://dots/../up back" awsl s3 cp "s3://dots/../up" "$work/files/back"
check "aws s3 cp gives the same bytes" cmp "$work/files/body.txt" "$work/files/back"

listed=$(awsl s3api list-objects-v2 --bucket dots --query 'Contents[].Key')
expected=$(printf '%s\t' . .. ../ ../up ../x ./a ./up a/../b)
check "list-objects-v2 lists the keys exactly: $listed" test "$listed" = "${expected%?}"
listed=$(awsl s3api list-objects-v2 --bucket dots --prefix ../ --query 'Contents[].Key')
check "list-objects-v2 --prefix ../: $listed" test "$listed" = "$(printf '../\t../up\t../x')"

n_files=$(find "$work/data" -path '*dots*' -type f -path '*/objects/*' | wc -l)
check "each key is one file in the bucket's objects folder ($n_files)" test "$n_files" = 8
outside=$(cd "$work" && ls -A | tr '\n' ' ')
check "nothing was written beside the data directory ($outside)" test "$outside" = "data files "
outside=$(cd "$work/files" && ls -A | tr '\n' ' ')
check "nothing was written among the client's files ($outside)" test "$outside" = "back body.txt "

for k in "${keys[@]}" "../up" "./up"; do
  check "delete-object --key '$k'" awsl s3api delete-object --bucket dots --key "$k"
done
check "head-object --key '../x' after the delete: 404" expect_error 404 \
  awsl s3api head-object --bucket dots --key ../x
check "the bucket is empty" test "$(awsl s3api list-objects-v2 --bucket dots --query 'length(Contents || `[]`)')" = 0
check "delete-bucket" awsl s3api delete-bucket --bucket dots
finish
