# Shared by demo.sh, bench.sh and gotest.sh: a CLI config that installs the
# locally built provider from a filesystem mirror (offline), an emulator, and
# the choice of Terraform or OpenTofu.

# write_cli_config FILE [ADDRESS...]: the provider under both registry hosts
# (Terraform resolves rocketchat/rocketchat on registry.terraform.io, OpenTofu
# on registry.opentofu.org), plus more provider addresses in the mirror.
write_cli_config() {
  local file=$1; shift
  local include='"registry.terraform.io/rocketchat/rocketchat", "registry.opentofu.org/rocketchat/rocketchat"' addr
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

# resolve_cli: the Terraform-language CLI in $TF (a path, or a name on PATH such
# as "tofu"; default terraform, else tofu). Sets TF to its absolute path,
# TF_NAME ("Terraform" or "OpenTofu") and TF_VERSION (e.g. 1.14.9).
resolve_cli() {
  local want=${TF:-}
  if [ -z "$want" ]; then
    want=$(command -v terraform || command -v tofu || true)
    [ -n "$want" ] || { echo "error: neither terraform nor tofu is on PATH: install Terraform 1.11+ or OpenTofu 1.11+ (or set TF=/path/to/cli)" >&2; return 1; }
  fi
  case $want in
    */*) ;;
    *) want=$(command -v "$want") || { echo "error: TF=$TF is not on PATH" >&2; return 1; } ;;
  esac
  [ -x "$want" ] || { echo "error: TF=$want is not an executable CLI" >&2; return 1; }
  TF=$(cd "$(dirname "$want")" && pwd)/$(basename "$want")
  local out line
  # No pipe into head: under pipefail the CLI's SIGPIPE would fail the script.
  out=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$TF" version 2>/dev/null) || true
  line=${out%%$'\n'*}
  case $line in
    "Terraform v"*) TF_NAME=Terraform ;;
    "OpenTofu v"*) TF_NAME=OpenTofu ;;
    *) echo "error: $TF is neither Terraform nor OpenTofu (it says: $line)" >&2; return 1 ;;
  esac
  TF_VERSION=${line#* v}
  export TF TF_NAME TF_VERSION
}
