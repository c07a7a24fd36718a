#!/usr/bin/env bash
# make bench: what the provider costs against floors, offline.
#
# For each N in BENCH_SIZES (default "100 500 1000") it times apply from empty,
# a refresh plan with no changes and destroy, for the same N objects with the
# Rocket.Chat provider (against an in-memory emulator), a no-op provider of the
# same shape (internal/bench/noopprovider) and Terraform's terraform_data;
# counts the emulator's requests per object; watches the provider's peak RSS;
# runs one apply under an emulator rate limit; at the largest N, manages the
# same firewall rules with the peer, Mastercard's generic REST provider
# (terraform-provider-restapi, pinned), and with the Rocket.Chat provider side
# by side, against the emulator with and without latency; runs the Go
# benchmarks of the emulator and the client and a loopback GET load on the
# emulator; prints the ratios and writes templates/guides/benchmarks.md.tmpl
# (docs/guides/ after `make docs`).
#
#   BENCH_SIZES="100"   a quick run
#   BENCH_REPEAT=1      apply/plan/destroy cycles per (config, N); the median is reported
#   BENCH_PLAN_REPEAT=3 refresh plans per cycle (cheap; the key ratio)
#   BENCH_SDK_LOGS_OFF=1 also time the refresh plans at the largest N with TF_LOG_SDK*=off (the provider already quiets them when no TF_LOG* is set)
#   BENCH_LATENCY=30ms  latency added to every request in the latency scenario (largest N)
#   BENCH_RATE=20       the emulator's rate limit for the rate-limited apply (req/s)
#   BENCH_RATE_N=200    objects of the rate-limited apply (long enough for fixed costs to matter little)
#   BENCH_PEER_PROVIDER=/path/to/terraform-provider-restapi
#                       a terraform-provider-restapi binary of the pinned version built elsewhere, when the
#                       module proxy refuses the install (default: `go install` of the pinned version; the
#                       peer is skipped, with a line saying why, when neither gives a binary)
#   BENCH_PEER_LATENCY=1 also run the peer scenario against the latency emulator (0 to skip it)
#   BENCH_OUT=FILE      where the markdown goes (default templates/guides/benchmarks.md.tmpl)
#   BENCH_NOTES_FILE=F  markdown appended as "Notes" (default internal/bench/notes.md when present)
set -euo pipefail
cd "$(dirname "$0")/../.."
. internal/scripts/lib.sh

command -v terraform >/dev/null || { echo "error: the Terraform CLI is not on PATH; install Terraform 1.11+ first" >&2; exit 1; }
: "${VERSION:?}" "${BUILD:?}" "${MIRROR:?}" "${EMULATOR_BIN:?}"
SIZES=${BENCH_SIZES:-100 500 1000}
REPEAT=${BENCH_REPEAT:-1}
PLAN_REPEAT=${BENCH_PLAN_REPEAT:-3}
RATE=${BENCH_RATE:-20}
RATE_N=${BENCH_RATE_N:-200}
OUT=${BENCH_OUT:-templates/guides/benchmarks.md.tmpl}
if [ -z "${BENCH_NOTES_FILE:-}" ] && [ -f internal/bench/notes.md ]; then export BENCH_NOTES_FILE=$PWD/internal/bench/notes.md; fi
DEMO_TOKEN=bench-token
ADMIN_TOKEN=bench-admin-token
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export BENCH_LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
GOOS=$(go env GOOS) GOARCH=$(go env GOARCH)

W="$BUILD/bench"
rm -rf "$W"; mkdir -p "$W/logs"
RESULTS="$W/results.jsonl"
PROVIDER_BIN="$MIRROR/registry.terraform.io/rocketchat/rocketchat/$VERSION/${GOOS}_${GOARCH}/terraform-provider-rocketchat_v$VERSION"
NOOP_BIN="$MIRROR/registry.terraform.io/rocketchat/noop/0.0.1/${GOOS}_${GOARCH}/terraform-provider-noop_v0.0.1"
REPORT="$BUILD/benchreport"
[ -x "$PROVIDER_BIN" ] || { echo "error: $PROVIDER_BIN is missing: run make build" >&2; exit 1; }
if [ -n "${BENCH_PEER_PROVIDER:-}" ] && ! { [ -f "$BENCH_PEER_PROVIDER" ] && [ -x "$BENCH_PEER_PROVIDER" ]; }; then
  echo "error: BENCH_PEER_PROVIDER=$BENCH_PEER_PROVIDER is not an executable file" >&2; exit 1
fi

echo "==> building the no-op provider and the report helper"
mkdir -p "$(dirname "$NOOP_BIN")"
go build -trimpath -o "$NOOP_BIN" ./internal/bench/noopprovider
go build -trimpath -o "$REPORT" ./internal/bench/cmd/benchreport
# The peer: Mastercard's terraform-provider-restapi, pinned in benchreport, under its registry address in the mirror.
PEER=$("$REPORT" peer)
PEER_VERSION=${PEER##*@v}
PEER_BIN="$MIRROR/registry.terraform.io/mastercard/restapi/$PEER_VERSION/${GOOS}_${GOARCH}/terraform-provider-restapi_v$PEER_VERSION"
write_cli_config "$W/terraformrc" registry.terraform.io/rocketchat/noop registry.terraform.io/mastercard/restapi

trap 'stop_emulator' EXIT
# Domains stay pending (no verification flips between phases); every tier provisions at once.
EMU_FLAGS=(-provisioning standard=immediate,premium=immediate,dedicated=immediate -domain-verify-delay 0)
start_emulator ":memory:" "${EMU_FLAGS[@]}"
echo "==> emulator $EMULATOR_URL (in memory); sizes: $SIZES; cycles: $REPEAT, plans per cycle: $PLAN_REPEAT"

bin_of() { case $1 in rocketchat) echo "$PROVIDER_BIN" ;; noop) echo "$NOOP_BIN" ;; restapi) echo "$PEER_BIN" ;; *) echo "" ;; esac; }

# phase KIND N PHASE DIR [rate]: one timed terraform command.
phase() {
  local kind=$1 n=$2 ph=$3 dir=$4 rate=${5:-0} i=$6 expect=0 args emu=()
  case $ph in
    apply*) args=(apply -input=false -auto-approve -no-color) ;;
    plan*) args=(plan -input=false -refresh=true -detailed-exitcode -no-color) ;;
    destroy*) args=(destroy -input=false -auto-approve -no-color) ;;
  esac
  case $kind in rocketchat | restapi) emu=(-emulator "$EMULATOR_URL" -admin-token "$ADMIN_TOKEN") ;; esac
  "$REPORT" run -kind "$kind" -n "$n" -phase "$ph" -results "$RESULTS" -match "$(bin_of "$kind")" "${emu[@]}" \
    -rate-limit "$rate" -expect-rc "$expect" -log "$W/logs/$kind-$n-$ph-$i.log" -- terraform -chdir="$dir" "${args[@]}"
}

# prepare GENKIND N DIR LOGNAME [gen flags...]: write a configuration and terraform init it.
prepare() {
  local genkind=$1 n=$2 dir=$3 log="$W/logs/$4-init.log"; shift 4
  "$REPORT" gen -kind "$genkind" -n "$n" -dir "$dir" "$@"
  terraform -chdir="$dir" init -input=false -no-color >"$log" 2>&1 || { cat "$log"; exit 1; }
}

KINDS="terraform_data noop rocketchat"
LAST=$(echo $SIZES | tr ' ' '\n' | sort -n | tail -1)
for n in $SIZES; do
  echo "==> N = $n"
  for kind in $KINDS; do
    prepare "$kind" "$n" "$W/$kind-$n" "$kind-$n"
  done
  for i in $(seq "$REPEAT"); do
    # Each phase runs for the three configurations back to back (and the cheap
    # plan PLAN_REPEAT times, interleaved), so a change of load on a shared
    # machine hits them alike; the report takes the median.
    for kind in $KINDS; do
      rm -f "$W/$kind-$n"/terraform.tfstate*
      phase "$kind" "$n" apply "$W/$kind-$n" 0 "$i"
    done
    for j in $(seq "$PLAN_REPEAT"); do
      for kind in $KINDS; do phase "$kind" "$n" plan "$W/$kind-$n" 0 "$i.$j"; done
    done
    if [ "$n" = "$LAST" ] && [ "${BENCH_SDK_LOGS_OFF:-0}" = 1 ]; then
      # The same refresh plans with the plugin SDK's trace logging switched off
      # (it is formatted and shipped to Terraform even when TF_LOG is unset).
      for j in $(seq "$PLAN_REPEAT"); do
        for kind in noop rocketchat; do
          TF_LOG_SDK=off TF_LOG_SDK_FRAMEWORK=off TF_LOG_SDK_PROTO=off \
            phase "$kind" "$n" plan-sdk-logs-off "$W/$kind-$n" 0 "$i.$j"
        done
      done
    fi
    for kind in $KINDS; do phase "$kind" "$n" destroy "$W/$kind-$n" 0 "$i"; done
  done
done

# A remote API answers in tens of milliseconds, not microseconds: the same
# provider against an emulator that adds LATENCY to every request, at the
# largest N (its 0 ms runs above are the reference).
export BENCH_LATENCY=${BENCH_LATENCY:-30ms}
LATENCY=$BENCH_LATENCY
stop_emulator
start_emulator ":memory:" "${EMU_FLAGS[@]}" -fault-latency "$LATENCY"
echo "==> latency scenario: every request +$LATENCY, N = $LAST"
dir="$W/rocketchat-lat-$LAST"
prepare rocketchat "$LAST" "$dir" rocketchat-lat
for i in $(seq "$REPEAT"); do
  rm -f "$dir"/terraform.tfstate*
  phase rocketchat "$LAST" apply-lat "$dir" 0 "$i"
  for j in $(seq "$PLAN_REPEAT"); do phase rocketchat "$LAST" plan-lat "$dir" 0 "$i.$j"; done
  phase rocketchat "$LAST" destroy-lat "$dir" 0 "$i"
done
stop_emulator

# The peer: the generic REST provider teams use otherwise, installed as a
# pinned tool from the Go module proxy (as goreleaser is), or the binary
# BENCH_PEER_PROVIDER names. This network's proxy refuses the install (403):
# without BENCH_PEER_PROVIDER the line below says so and the report records why.
rm -f "$PEER_BIN"
if [ -n "${BENCH_PEER_PROVIDER:-}" ]; then
  mkdir -p "$(dirname "$PEER_BIN")" && cp "$BENCH_PEER_PROVIDER" "$PEER_BIN"
  echo "==> peer ($PEER): BENCH_PEER_PROVIDER=$BENCH_PEER_PROVIDER"
elif (cd "$W" && GOBIN="$W/peer" GOFLAGS=-mod=mod timeout 300 go install "$PEER") >"$W/logs/peer-install.log" 2>&1; then
  mkdir -p "$(dirname "$PEER_BIN")" && cp "$W/peer/terraform-provider-restapi" "$PEER_BIN"
  echo "==> peer ($PEER): installed with go install"
else
  why=$(grep -m1 -o '[0-9][0-9][0-9] [A-Z][a-z]*' "$W/logs/peer-install.log" || echo "it failed")
  echo "==> peer ($PEER): skipped, go install failed ($why; see $W/logs/peer-install.log; BENCH_PEER_PROVIDER names a binary built elsewhere)"
  export BENCH_PEER_SKIPPED="\`go install $PEER\` failed on this network's Go module proxy ($why), nothing else can be downloaded, and no binary was given in \`BENCH_PEER_PROVIDER\`"
fi
if [ -z "${BENCH_PEER_SKIPPED:-}" ]; then
  # N firewall rules (the largest N) managed by rocketchat_firewall_rule and by
  # restapi_object, each in its own set of Premium workspaces that the seed
  # creates beforehand (100 rules a workspace; Premium allows 250), and the
  # same values in terraform_data (the floor). The phases interleave as above.
  "$REPORT" seed -n "$LAST" -out "$W/peer-seed.json"
  PEER_KINDS="terraform_data rocketchat restapi"
  scenarios=0
  [ "${BENCH_PEER_LATENCY:-1}" = 1 ] && scenarios="0 $LATENCY"
  for lat in $scenarios; do
    if [ "$lat" = 0 ]; then
      sfx=; start_emulator ":memory:" "${EMU_FLAGS[@]}" -seed "$W/peer-seed.json"
    else
      sfx=-lat; start_emulator ":memory:" "${EMU_FLAGS[@]}" -seed "$W/peer-seed.json" -fault-latency "$lat"
    fi
    echo "==> peer scenario: $LAST firewall rules, rocketchat and restapi v$PEER_VERSION side by side, every request +${lat/#0/0ms}"
    for kind in $PEER_KINDS; do
      prepare "peer-$kind" "$LAST" "$W/peer-$kind$sfx-$LAST" "peer-$kind$sfx" -uri "$EMULATOR_URL" -token "$DEMO_TOKEN"
    done
    for i in $(seq "$REPEAT"); do
      for kind in $PEER_KINDS; do
        rm -f "$W/peer-$kind$sfx-$LAST"/terraform.tfstate*
        phase "$kind" "$LAST" "apply-peer$sfx" "$W/peer-$kind$sfx-$LAST" 0 "$i"
      done
      for j in $(seq "$PLAN_REPEAT"); do
        for kind in $PEER_KINDS; do phase "$kind" "$LAST" "plan-peer$sfx" "$W/peer-$kind$sfx-$LAST" 0 "$i.$j"; done
      done
      for kind in $PEER_KINDS; do phase "$kind" "$LAST" "destroy-peer$sfx" "$W/peer-$kind$sfx-$LAST" 0 "$i"; done
    done
    stop_emulator
  done
fi

start_emulator ":memory:" "${EMU_FLAGS[@]}"
echo "==> emulator GET throughput over loopback (standalone binary)"
"$REPORT" load -emulator "$EMULATOR_URL" -token "$DEMO_TOKEN" -duration "${BENCH_LOAD_SECONDS:-3}s" -conc 16 -results "$RESULTS"
stop_emulator

echo "==> apply of N = $RATE_N under a rate limit of $RATE requests/s (provider retries, defaults)"
# The unlimited apply of the same N gives the number of requests it needs.
if ! grep -q "\"kind\":\"rocketchat\",\"n\":$RATE_N,\"phase\":\"apply\"" "$RESULTS"; then
  start_emulator ":memory:" "${EMU_FLAGS[@]}"
  dir="$W/rocketchat-$RATE_N"
  prepare rocketchat "$RATE_N" "$dir" "rocketchat-$RATE_N"
  rm -f "$dir"/terraform.tfstate*
  phase rocketchat "$RATE_N" apply-unlimited "$dir" 0 base
  stop_emulator
fi
# The request log must hold the whole run: the report times the requests from it.
start_emulator ":memory:" "${EMU_FLAGS[@]}" -rate-limit "$RATE" -request-log-size $((RATE_N * 10 + 1000))
dir="$W/rocketchat-$RATE_N"
rm -f "$dir"/terraform.tfstate*
phase rocketchat "$RATE_N" apply "$dir" "$RATE" limited
stop_emulator

echo "==> Go benchmarks: emulator handlers and loopback GET, client"
go test -run '^$' -bench . -benchtime="${BENCH_GO_TIME:-2s}" -benchmem ./internal/emulator/ ./internal/client/ | tee "$W/gobench.txt"

"$REPORT" report -results "$RESULTS" -gobench "$W/gobench.txt" -out "$OUT" -terraform-version "$(terraform version 2>/dev/null | grep -m1 '^Terraform v')"
echo "    (results: $RESULTS, logs: $W/logs; run 'make docs' to copy the page to docs/guides/benchmarks.md)"
