# Shared by the personalize-local test scripts: start a server on a free
# loopback port in a temporary data directory, TAP helpers, polling.
# Usage: . local-common.sh; start_server BINARY [DATA_DIR]

PW_AWS=${PW_AWS:-/usr/bin/aws}
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_REGION

tap_n=0
tap_failed=0

ok () {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $*"
}

not_ok () {
  tap_n=$((tap_n + 1))
  tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $*"
}

check () {
  # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1
  shift
  if "$@" >&2; then ok "$what"; else not_ok "$what"; fi
}

finish () {
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}

server_pid=
server_log=

start_server () {
  local binary=$1 dir=$2
  server_log=$(mktemp /tmp/pw-local-log.XXXXXX)
  "$binary" --data-dir "$dir" --step-ms "${PW_STEP_MS:-100}" ${PW_SERVER_ARGS:-} > "$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    endpoint=$(sed -n 's/^endpoint=//p' "$server_log")
    [ -n "$endpoint" ] && break
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "# the server exited:"; sed 's/^/# /' "$server_log"; return 1
    fi
    sleep 0.1
  done
  [ -n "$endpoint" ] || { echo "# no endpoint line"; sed 's/^/# /' "$server_log"; return 1; }
  export AWS_SHARED_CREDENTIALS_FILE="$dir/credentials"
  export AWS_CONFIG_FILE="$dir/config"
  export PW_ENDPOINT="$endpoint"
}

stop_server () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=
  fi
}

kill9_server () {
  if [ -n "$server_pid" ]; then
    kill -9 "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=
  fi
}

awsl () {
  "$PW_AWS" --endpoint-url "$PW_ENDPOINT" --no-cli-pager --output text "$@"
}

awsj () {
  "$PW_AWS" --endpoint-url "$PW_ENDPOINT" --no-cli-pager --output json "$@"
}

# wait_status SECONDS EXPECTED COMMAND...: polls COMMAND (which prints a
# status) until it prints EXPECTED, or a FAILED status, or time runs out.
wait_status () {
  local limit=$1 want=$2 got=""
  shift 2
  local end=$((SECONDS + limit))
  while [ $SECONDS -lt $end ]; do
    got=$("$@" 2> /dev/null || true)
    [ "$got" = "$want" ] && return 0
    case "$got" in *FAILED*) echo "# status $got"; return 1 ;; esac
    sleep 0.3
  done
  echo "# still '$got' after ${limit}s (wanted $want)"
  return 1
}

# wait_gone SECONDS COMMAND...: until COMMAND fails with ResourceNotFound.
wait_gone () {
  local limit=$1
  shift
  local end=$((SECONDS + limit)) out
  while [ $SECONDS -lt $end ]; do
    if ! out=$("$@" 2>&1); then
      case "$out" in *ResourceNotFoundException*) return 0 ;; esac
    fi
    sleep 0.3
  done
  return 1
}

# expect_error CODE COMMAND...: the command fails with that AWS error code.
expect_error () {
  local code=$1 out
  shift
  if out=$("$@" 2>&1); then
    echo "# succeeded, expected $code: $out"
    return 1
  fi
  case "$out" in *"($code)"*) return 0 ;; esac
  echo "# expected $code, got: $out"
  return 1
}

# Independent steps run side by side (the AWS CLI takes most of a second to
# start): bg_start NAME COMMAND... runs it with its own TAP numbering into a
# file; bg_collect NAME... waits and replays the results in order.
bg_dir=$(mktemp -d /tmp/pw-local-bg.XXXXXX)
bg_pids=
trap_bg_dir () { rm -rf "$bg_dir"; }

bg_start () {
  local name=$1
  shift
  ( tap_n=0; tap_failed=0; "$@" ) > "$bg_dir/$name.tap" &
  bg_pids="$bg_pids $!"
}

bg_collect () {
  local name line pid
  for pid in $bg_pids; do wait "$pid"; done
  echo "# collected $* at ${SECONDS}s"
  bg_pids=
  for name in "$@"; do
    while IFS= read -r line; do
      case "$line" in
        "ok "*) ok "${line#ok * - }" ;;
        "not ok "*) not_ok "${line#not ok * - }" ;;
        *) echo "$line" ;;
      esac
    done < "$bg_dir/$name.tap"
  done
}
