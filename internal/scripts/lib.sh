# Shared by demo.sh and bench.sh: a Terraform CLI config that installs the
# locally built provider from a filesystem mirror (offline), and an emulator.

write_cli_config() { # $1: file; $2...: more provider addresses in the mirror (optional)
  local file=$1; shift
  local include='"registry.terraform.io/rocketchat/rocketchat"' addr
  for addr in "$@"; do include="$include, \"$addr\""; done
  cat > "$file" <<HCL
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = [$include]
  }
}
HCL
  export TF_CLI_CONFIG_FILE="$file" CHECKPOINT_DISABLE=1
}

# start_emulator DATAFILE [extra flags...]: sets EMULATOR_URL and EMULATOR_PID.
start_emulator() {
  local data=$1; shift
  local addr_file="$BUILD/emulator.addr"
  rm -f "$addr_file"
  "$EMULATOR_BIN" -addr 127.0.0.1:0 -addr-file "$addr_file" -data "$data" \
    -token "demo=$DEMO_TOKEN" -admin-token "$ADMIN_TOKEN" "$@" >"$BUILD/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 100); do
    [ -s "$addr_file" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$BUILD/emulator.log"; echo "emulator failed to start" >&2; return 1; }
    sleep 0.1
  done
  EMULATOR_URL=$(cat "$addr_file")
  export ROCKETCHAT_ENDPOINT="$EMULATOR_URL" ROCKETCHAT_TOKEN="$DEMO_TOKEN"
}

stop_emulator() {
  [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null && wait "$EMULATOR_PID" 2>/dev/null
  EMULATOR_PID=
}
