#!/usr/bin/env bash
# make test / make testacc: go test with TF_ACC=1 and one Terraform-language CLI.
#   gotest.sh LOG [go test flags and packages...]
# TF picks the CLI (a path or a name on PATH; default terraform, else tofu).
# OpenTofu resolves providers on registry.opentofu.org, so TF_ACC_PROVIDER_HOST
# is set for it. Prints what `go test` prints, then the skipped tests with their
# reasons; the JSON log goes to .build/LOG.json. STRICT_CLI=1 fails the run when
# any test skipped for want of a newer CLI (CI under Terraform 1.14).
set -euo pipefail
cd "$(dirname "$0")/../.."
. internal/scripts/lib.sh
log=${1:?usage: gotest.sh LOG [go test args...]}; shift
BUILD=${BUILD:-$PWD/.build}
mkdir -p "$BUILD"

resolve_cli
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$TF" CHECKPOINT_DISABLE=1
if [ "$TF_NAME" = OpenTofu ]; then
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
fi
# A CLI configuration that exists (a missing one makes every command warn).
if [ ! -f "${TF_CLI_CONFIG_FILE:-}" ]; then
  : > "$BUILD/empty.tfrc"
  export TF_CLI_CONFIG_FILE="$BUILD/empty.tfrc"
fi
go build -o "$BUILD/testsummary" ./internal/scripts/testsummary
summary=("$BUILD/testsummary")
if [ "${STRICT_CLI:-}" = 1 ]; then
  summary+=(-fail-skips '^needs a newer CLI: |is below minimum version')
fi

echo "== go test with $TF_NAME $TF_VERSION ($TF)${TF_ACC_PROVIDER_HOST:+, TF_ACC_PROVIDER_HOST=$TF_ACC_PROVIDER_HOST}"
start=$SECONDS
set +e
go test -json "$@" | tee "$BUILD/$log.json" | "${summary[@]}"
rc=$?
set -e
echo "== $TF_NAME $TF_VERSION: $((SECONDS - start)) s (log: $BUILD/$log.json)"
exit $rc
