#!/usr/bin/env bash
# make demo: apply examples/demo against a freshly started emulator, offline.
# KEEP=1 leaves the emulator running afterwards (its URL and token are printed).
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
cp examples/demo/*.tf "$WORK/"
rm -rf "$WORK/.terraform.lock.hcl" "$WORK/.terraform" # the provider was just rebuilt under the same version; the CLI may be another
write_cli_config "$BUILD/terraformrc"

echo "==> starting the emulator (embedded store: $BUILD/demo.db)"
rm -f "$BUILD/demo.db" "$WORK"/terraform.tfstate*
start_emulator "$BUILD/demo.db"
trap '[ "${KEEP:-}" = 1 ] || stop_emulator' EXIT
echo "    $EMULATOR_URL (token $DEMO_TOKEN)"

# Dedicated workspaces wait for an operator's approval: play the operator.
( while kill -0 "$EMULATOR_PID" 2>/dev/null; do
    curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "$EMULATOR_URL/admin/v1/approve-all" >/dev/null 2>&1 || true
    sleep 1
  done ) &
APPROVER=$!
trap 'kill $APPROVER 2>/dev/null || true; [ "${KEEP:-}" = 1 ] || stop_emulator' EXIT

echo "==> $TF_NAME $TF_VERSION ($TF)"
echo "==> $tf init (offline, from the local mirror)"
"$TF" -chdir="$WORK" init -input=false -no-color >/dev/null
echo "==> $tf apply"
"$TF" -chdir="$WORK" apply -input=false -auto-approve -no-color
echo "==> outputs"
"$TF" -chdir="$WORK" output -no-color
echo "==> second plan (must show no changes)"
set +e
"$TF" -chdir="$WORK" plan -input=false -detailed-exitcode -no-color >"$BUILD/demo-plan.txt"
rc=$?
set -e
grep -E "No changes|Plan:" "$BUILD/demo-plan.txt" || true
if [ "$rc" -ne 0 ]; then cat "$BUILD/demo-plan.txt"; echo "error: the second plan is not empty (exit $rc)" >&2; exit 1; fi
if [ "${KEEP:-}" = 1 ]; then
  echo "==> the emulator keeps running (pid $EMULATOR_PID): export ROCKETCHAT_ENDPOINT=$EMULATOR_URL ROCKETCHAT_TOKEN=$DEMO_TOKEN TF_CLI_CONFIG_FILE=$BUILD/terraformrc"
  echo "    state is in $WORK; stop it with: kill $EMULATOR_PID"
else
  echo "==> done; stopping the emulator (run 'KEEP=1 make demo' to keep it running)"
fi
