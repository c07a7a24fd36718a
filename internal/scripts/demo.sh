#!/usr/bin/env bash
# make demo: apply examples/demo against a freshly started emulator, offline.
# KEEP=1 leaves the emulator running afterwards and prints how to use it (and
# writes .build/demo/env.sh and .build/demo/emulator.pid); a second demo
# refuses to start while a kept one runs.
# TF=tofu (or a path) runs it with OpenTofu; by default terraform, else tofu.
set -euo pipefail
cd "$(dirname "$0")/../.."
. internal/scripts/lib.sh

resolve_cli
tf=$(basename "$TF")
command -v curl >/dev/null || { echo "error: curl is not on PATH; the demo uses it to approve Dedicated provisioning" >&2; exit 1; }
DEMO_TOKEN=${DEMO_TOKEN:-demo-token}
ADMIN_TOKEN=${ADMIN_TOKEN:-demo-admin-token}
WORK="$BUILD/demo"
mkdir -p "$WORK"
# A kept demo's emulator still serves $BUILD/demo.db and the state in $WORK: refuse before touching either.
if [ -s "$WORK/emulator.pid" ]; then
  kept=$(cat "$WORK/emulator.pid")
  if kill -0 "$kept" 2>/dev/null &&
    { tr '\0' ' ' <"/proc/$kept/cmdline" 2>/dev/null || ps -o args= -p "$kept"; } | grep -q rocketchat-emulator; then
    echo "error: a kept demo (KEEP=1 make demo) is still running (emulator pid $kept); its data and state would be lost." >&2
    echo "       Stop it first: kill \"\$(cat .build/demo/emulator.pid)\"" >&2
    exit 1
  fi
  rm -f "$WORK/emulator.pid" "$WORK/env.sh"
fi
cp examples/demo/*.tf "$WORK/"
rm -rf "$WORK/.terraform.lock.hcl" "$WORK/.terraform" # the provider was just rebuilt under the same version; the CLI may be another
write_cli_config "$BUILD/terraformrc"

echo "==> starting the emulator (embedded store: $BUILD/demo.db)"
rm -f "$BUILD/demo.db" "$WORK"/terraform.tfstate*
start_emulator "$BUILD/demo.db"
echo "$EMULATOR_PID" >"$WORK/emulator.pid" # a second demo checks it first
stop_unless_kept() { [ "${KEEP:-}" = 1 ] || { stop_emulator; rm -f "$WORK/emulator.pid"; }; }
trap stop_unless_kept EXIT
echo "    $EMULATOR_URL (token $DEMO_TOKEN)"

# Dedicated workspaces wait for an operator's approval: play the operator.
( while kill -0 "$EMULATOR_PID" 2>/dev/null; do
    curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "$EMULATOR_URL/admin/v1/approve-all" >/dev/null 2>&1 || true
    sleep 1
  done ) &
APPROVER=$!
trap 'kill $APPROVER 2>/dev/null || true; stop_unless_kept' EXIT

echo "==> $TF_NAME $TF_VERSION ($TF)"
echo "==> $tf init (offline, from the local mirror)"
"$TF" -chdir="$WORK" init -input=false -no-color >/dev/null
echo "==> $tf apply"
"$TF" -chdir="$WORK" apply -input=false -auto-approve -no-color
echo "==> second plan (must show no changes)"
set +e
"$TF" -chdir="$WORK" plan -input=false -detailed-exitcode -no-color >"$BUILD/demo-plan.txt"
rc=$?
set -e
grep -E "No changes|Plan:" "$BUILD/demo-plan.txt" || true
if [ "$rc" -ne 0 ]; then cat "$BUILD/demo-plan.txt"; echo "error: the second plan is not empty (exit $rc)" >&2; exit 1; fi
if [ "${KEEP:-}" = 1 ]; then
  cat >"$WORK/env.sh" <<ENV
export ROCKETCHAT_ENDPOINT=$EMULATOR_URL ROCKETCHAT_TOKEN=$DEMO_TOKEN TF_CLI_CONFIG_FILE=$BUILD/terraformrc
export ROCKETCHAT_ADMIN_TOKEN=$ADMIN_TOKEN
ENV
  cat <<MSG
==> the emulator keeps running (pid $EMULATOR_PID) at $EMULATOR_URL
    use it:      . .build/demo/env.sh   (ROCKETCHAT_ENDPOINT, ROCKETCHAT_TOKEN=$DEMO_TOKEN, TF_CLI_CONFIG_FILE)
    configure:   edit .build/demo/main.tf (a copy: editing examples/demo/main.tf changes nothing here),
                 then: $tf -chdir=.build/demo apply
    approve:     a new Dedicated workspace (or an upgrade to it) waits for the operator; nobody approves now:
                 curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" $EMULATOR_URL/admin/v1/approve-all
    admin token: $ADMIN_TOKEN (the admin API: docs/guides/emulator.md)
    stop it:     kill "\$(cat .build/demo/emulator.pid)"
MSG
else
  cat <<MSG
==> done; the emulator is stopped. Next:
    KEEP=1 make demo                      keep the emulator running and change the estate yourself
    examples/demo/main.tf                 what was applied
    docs/guides/getting-started.md        the same by hand; docs/guides/ has the other guides
MSG
fi
