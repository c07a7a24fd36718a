#!/usr/bin/env bash
# make bench: what the provider costs against floors, offline.
#
# For each N in BENCH_SIZES (default "100 500 1000") it times apply from empty,
# a refresh plan with no changes and destroy, for the same N objects with the
# Rocket.Chat provider (against an in-memory emulator), a no-op provider of the
# same shape (internal/bench/noopprovider) and Terraform's terraform_data;
# counts the emulator's requests per object; watches the provider's peak RSS;
# runs one apply under an emulator rate limit; manages N firewall rules four
# ways (one rocketchat_firewall_rule per rule, one rocketchat_firewall_rules
# set per workspace, the peer's restapi_object per rule at two releases of
# Mastercard's generic REST provider, terraform-provider-restapi) beside the
# floors of both shapes (noop_firewall_rule and terraform_data per rule,
# noop_firewall_rules, raw_firewall_rules and terraform_data per workspace)
# against the emulator,
# at each N, and at the largest N with latency too; runs the Go benchmarks of the
# emulator and the client and a loopback GET load on the emulator; prints the
# ratios and writes templates/guides/benchmarks.md.tmpl and the chart beside
# it, benchmarks.svg (docs/guides/ after `make docs`).
#
#   BENCH_SIZES="100"   a quick run
#   BENCH_REPEAT=1      apply/plan/destroy cycles per (config, N); the median is reported
#   BENCH_PLAN_REPEAT=3 refresh plans per cycle (cheap; the key ratio)
#   BENCH_SDK_LOGS_OFF=1 also time the refresh plans at the largest N with TF_LOG_SDK*=off (the provider already quiets them when no TF_LOG* is set)
#   BENCH_LATENCY=30ms  latency added to every request in the latency scenario (largest N)
#   BENCH_RATE=20       the emulator's rate limit for the rate-limited apply (req/s)
#   BENCH_RATE_N=200    objects of the rate-limited apply (long enough for fixed costs to matter little)
#   BENCH_PEER_PROVIDER=/path/to/terraform-provider-restapi
#                       a terraform-provider-restapi binary of v1.20.0 (the pinned release) built elsewhere,
#                       when the module proxy refuses the install (default: `go install` of v1.20.0)
#   BENCH_PEER_V3_PROVIDER=/path/to/terraform-provider-restapi
#                       a binary of v3.0.0 (its newest release), built from its tagged source: its go.mod keeps
#                       the module path without /v3, so no module proxy serves it. A release without a binary
#                       is skipped, with a line saying why (here and on the page); the other variants still run.
#   BENCH_PEER_LATENCY=1 also run the firewall rules scenario against the latency emulator at the largest N (0 to skip it)
#   BENCH_RULES_SIZES="1000" the N of the firewall rules scenario at 0 ms (default: BENCH_SIZES; the largest N of
#                       BENCH_SIZES always runs)
#   BENCH_RULES_LAT_KINDS="rocketchat rocketchat-set"  the variants of that scenario with latency (default: all)
#   BENCH_RULES_DESTROY=0 no destroy phase in the firewall rules scenario (with BENCH_REPEAT=1: each run of it
#                       starts a freshly seeded emulator; the slowest phase, and no target depends on it)
#   BENCH_ONLY=rules    the firewall rules scenario only (the page says so; for a machine too busy for the whole run)
#   BENCH_OUT=FILE      where the markdown goes (default templates/guides/benchmarks.md.tmpl)
#   BENCH_NOTES_FILE=F  markdown appended as "Notes" (default internal/bench/notes.md when present)
#   BENCH_REPORT_ONLY=1 no run: the page again from the last run's results kept in internal/bench/ (after editing
#                       the notes), with that run's date and scope
set -euo pipefail
cd "$(dirname "$0")/../.."
. internal/scripts/lib.sh

# BENCH_REPORT_ONLY=1: no run; write the page again from the results kept in
# internal/bench/ (after editing the notes), with the kept run's date and scope.
if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
  for f in results.jsonl gobench.txt run.json; do
    [ -f "internal/bench/$f" ] || { echo "error: internal/bench/$f is missing: run make bench first" >&2; exit 1; }
  done
  export BENCH_NOTES_FILE=${BENCH_NOTES_FILE:-$PWD/internal/bench/notes.md}
  go run ./internal/bench/cmd/benchreport report -results internal/bench/results.jsonl -gobench internal/bench/gobench.txt \
    -meta internal/bench/run.json -out "${BENCH_OUT:-templates/guides/benchmarks.md.tmpl}"
  exit 0
fi

command -v terraform >/dev/null || { echo "error: the Terraform CLI is not on PATH; install Terraform 1.11+ first" >&2; exit 1; }
: "${VERSION:?}" "${BUILD:?}" "${MIRROR:?}" "${EMULATOR_BIN:?}"
SIZES=${BENCH_SIZES:-100 500 1000}
REPEAT=${BENCH_REPEAT:-1}
PLAN_REPEAT=${BENCH_PLAN_REPEAT:-3}
RATE=${BENCH_RATE:-20}
RATE_N=${BENCH_RATE_N:-200}
OUT=${BENCH_OUT:-templates/guides/benchmarks.md.tmpl}
ONLY=${BENCH_ONLY:-}
if [ "${BENCH_RULES_DESTROY:-1}" != 1 ] && [ "$REPEAT" != 1 ]; then
  echo "error: BENCH_RULES_DESTROY=0 needs BENCH_REPEAT=1 (each cycle's apply starts from the empty workspaces a destroy leaves)" >&2; exit 1
fi
case $ONLY in "" | rules) ;; *) echo "error: BENCH_ONLY=$ONLY: the only value is rules" >&2; exit 1 ;; esac
# What this run measures, for the page.
export BENCH_SCOPE="BENCH_ONLY=${ONLY:-(all)} BENCH_SIZES=\"$SIZES\" BENCH_RULES_SIZES=\"${BENCH_RULES_SIZES:-$SIZES}\" BENCH_RULES_LAT_KINDS=\"${BENCH_RULES_LAT_KINDS:-(all)}\" BENCH_RULES_DESTROY=${BENCH_RULES_DESTROY:-1} BENCH_REPEAT=$REPEAT BENCH_PLAN_REPEAT=$PLAN_REPEAT"
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
RAW_BIN="$MIRROR/registry.terraform.io/rocketchat/raw/0.0.1/${GOOS}_${GOARCH}/terraform-provider-raw_v0.0.1"
REPORT="$BUILD/benchreport"
[ -x "$PROVIDER_BIN" ] || { echo "error: $PROVIDER_BIN is missing: run make build" >&2; exit 1; }

echo "==> building the no-op providers (framework, and terraform-plugin-go alone) and the report helper"
mkdir -p "$(dirname "$NOOP_BIN")" "$(dirname "$RAW_BIN")"
go build -trimpath -o "$NOOP_BIN" ./internal/bench/noopprovider
go build -trimpath -o "$RAW_BIN" ./internal/bench/rawprovider
go build -trimpath -o "$REPORT" ./internal/bench/cmd/benchreport
write_cli_config "$W/terraformrc" registry.terraform.io/rocketchat/noop registry.terraform.io/rocketchat/raw registry.terraform.io/mastercard/restapi

# The peer: the generic REST provider teams use otherwise, Mastercard's
# terraform-provider-restapi, under its registry address in the mirror at each
# release benchreport names: the binary its variable names (built elsewhere from the
# release's tagged source), or else a `go install` of the release where its
# module path allows one. This network's proxy refuses the module (403), and
# v3.0.0's go.mod keeps the path without /v3, so no proxy serves it: a
# release without a binary is skipped with a line saying why.
declare -A PEER_BIN
export BENCH_PEER_SKIPPED=
RULE_KINDS="terraform_data noop rocketchat terraform_data-set raw-set noop-set rocketchat-set"
while read -r kind version var install; do
  bin="$MIRROR/registry.terraform.io/mastercard/restapi/$version/${GOOS}_${GOARCH}/terraform-provider-restapi_v$version"
  rm -f "$bin"; mkdir -p "$(dirname "$bin")"
  if [ -n "${!var:-}" ]; then
    [ -f "${!var}" ] && [ -x "${!var}" ] || { echo "error: $var=${!var} is not an executable file" >&2; exit 1; }
    cp "${!var}" "$bin"
    echo "==> peer restapi v$version: $var=${!var}"
  elif [ "$install" = - ]; then
    echo "==> peer restapi v$version: skipped, no binary in $var (its module path allows no go install: build it from its tagged source)"
    BENCH_PEER_SKIPPED+="$kind: no binary was given in \`$var\` (v$version cannot be installed with \`go install\`: its go.mod keeps the module path without the major version)"$'\n'
    continue
  elif (cd "$W" && GOBIN="$W/peer-$version" GOFLAGS=-mod=mod timeout 300 go install "$install") >"$W/logs/peer-install-$version.log" 2>&1; then
    cp "$W/peer-$version/terraform-provider-restapi" "$bin"
    echo "==> peer restapi v$version: installed with go install $install"
  else
    why=$(grep -m1 -o '[0-9][0-9][0-9] [A-Z][a-z]*' "$W/logs/peer-install-$version.log" || echo "it failed")
    echo "==> peer restapi v$version: skipped, go install failed ($why; see $W/logs/peer-install-$version.log; $var names a binary built elsewhere)"
    BENCH_PEER_SKIPPED+="$kind: \`go install $install\` failed on this network's Go module proxy ($why), nothing else can be downloaded, and no binary was given in \`$var\`"$'\n'
    continue
  fi
  PEER_BIN[$kind]=$bin
  RULE_KINDS="$RULE_KINDS $kind"
done < <("$REPORT" peer)

trap 'stop_emulator' EXIT
# Domains stay pending (no verification flips between phases); every tier provisions at once.
EMU_FLAGS=(-provisioning standard=immediate,premium=immediate,dedicated=immediate -domain-verify-delay 0)
start_emulator ":memory:" "${EMU_FLAGS[@]}"
echo "==> emulator $EMULATOR_URL (in memory); sizes: $SIZES; cycles: $REPEAT, plans per cycle: $PLAN_REPEAT"

bin_of() { case $1 in rocketchat | rocketchat-set) echo "$PROVIDER_BIN" ;; noop | noop-set) echo "$NOOP_BIN" ;; raw-set) echo "$RAW_BIN" ;; restapi*) echo "${PEER_BIN[$1]:-}" ;; *) echo "" ;; esac; }

# phase KIND N PHASE DIR [rate]: one timed terraform command.
phase() {
  local kind=$1 n=$2 ph=$3 dir=$4 rate=${5:-0} i=$6 expect=0 args emu=()
  case $ph in
    apply*) args=(apply -input=false -auto-approve -no-color) ;;
    plan*) args=(plan -input=false -refresh=true -detailed-exitcode -no-color) ;;
    destroy*) args=(destroy -input=false -auto-approve -no-color) ;;
  esac
  case $kind in rocketchat | rocketchat-set | restapi*) emu=(-emulator "$EMULATOR_URL" -admin-token "$ADMIN_TOKEN") ;; esac
  "$REPORT" run -kind "$kind" -n "$n" -phase "$ph" -results "$RESULTS" -match "$(bin_of "$kind")" "${emu[@]}" \
    -rate-limit "$rate" -expect-rc "$expect" -log "$W/logs/$kind-$n-$ph-$i.log" -- terraform -chdir="$dir" "${args[@]}"
}

# prepare GENKIND N DIR LOGNAME [gen flags...]: write a configuration and terraform init it.
prepare() {
  local genkind=$1 n=$2 dir=$3 log="$W/logs/$4-init.log"; shift 4
  "$REPORT" gen -kind "$genkind" -n "$n" -dir "$dir" "$@"
  terraform -chdir="$dir" init -input=false -no-color >"$log" 2>&1 || { cat "$log"; exit 1; }
}

LAST=$(echo $SIZES | tr ' ' '\n' | sort -n | tail -1)
export BENCH_LATENCY=${BENCH_LATENCY:-30ms}
LATENCY=$BENCH_LATENCY
if [ "$ONLY" != rules ]; then
  KINDS="terraform_data noop rocketchat"
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
fi

# The firewall rules scenario: N rules, 100 to a Premium workspace that the
# seed creates beforehand (Premium allows 250), each variant in its own
# workspaces; at every N against the emulator as is, at the largest N also
# with latency. The phases interleave as above.
# Runs go in order of importance, so that a run cut short still holds the
# largest N: 0 ms, then latency (BENCH_RULES_LAT_KINDS, default every
# variant), then the smaller N at 0 ms.
stop_emulator
"$REPORT" seed -n "$LAST" -out "$W/peer-seed.json"
runs="0:$LAST"
[ "${BENCH_PEER_LATENCY:-1}" = 1 ] && runs="$runs $LATENCY:$LAST"
for n in $(echo ${BENCH_RULES_SIZES:-$SIZES} | tr ' ' '\n' | sort -rn); do [ "$n" = "$LAST" ] || runs="$runs 0:$n"; done
for run in $runs; do
  lat=${run%%:*} n=${run#*:} kinds=$RULE_KINDS sfx= lat_flags=()
  if [ "$lat" != 0 ]; then
    sfx=-lat lat_flags=(-fault-latency "$lat")
    [ -n "${BENCH_RULES_LAT_KINDS:-}" ] && kinds=$BENCH_RULES_LAT_KINDS
  fi
  start_emulator ":memory:" "${EMU_FLAGS[@]}" -seed "$W/peer-seed.json" "${lat_flags[@]}"
  echo "==> firewall rules scenario: N = $n, every request +${lat/#0/0ms}: $kinds"
  for kind in $kinds; do
    prepare "peer-$kind" "$n" "$W/peer-$kind$sfx-$n" "peer-$kind$sfx-$n" -uri "$EMULATOR_URL" -token "$DEMO_TOKEN"
  done
  for i in $(seq "$REPEAT"); do
    for kind in $kinds; do
      rm -f "$W/peer-$kind$sfx-$n"/terraform.tfstate*
      phase "$kind" "$n" "apply-peer$sfx" "$W/peer-$kind$sfx-$n" 0 "$i"
    done
    for j in $(seq "$PLAN_REPEAT"); do
      for kind in $kinds; do phase "$kind" "$n" "plan-peer$sfx" "$W/peer-$kind$sfx-$n" 0 "$i.$j"; done
    done
    if [ "${BENCH_RULES_DESTROY:-1}" = 1 ]; then
      for kind in $kinds; do phase "$kind" "$n" "destroy-peer$sfx" "$W/peer-$kind$sfx-$n" 0 "$i"; done
    fi
  done
  stop_emulator
done

if [ "$ONLY" != rules ]; then
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
fi

touch "$W/gobench.txt"
"$REPORT" report -results "$RESULTS" -gobench "$W/gobench.txt" -out "$OUT" -meta-out "$W/run.json" \
  -terraform-version "$(terraform version 2>/dev/null | grep -m1 '^Terraform v')"
# The results behind the page are kept beside its notes (the page says what the
# run measured), with what the report needs to write the page again from them.
if [ -z "${BENCH_OUT:-}" ]; then
  cp "$RESULTS" internal/bench/results.jsonl
  cp "$W/gobench.txt" internal/bench/gobench.txt
  cp "$W/run.json" internal/bench/run.json
  echo "    (results: $RESULTS, kept in internal/bench/; logs: $W/logs; run 'make docs' to copy the page and its chart to docs/guides/)"
else
  echo "    (results: $RESULTS; logs: $W/logs; with BENCH_OUT set, internal/bench/ keeps the last full page's results)"
fi
