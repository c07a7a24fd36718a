// Package moduletest runs the native `terraform test` suites of the example
// modules (examples/modules/*/tests/*.tftest.hcl) against an in-process
// emulator, offline, as part of `make test`.
//
// The CLI is Terraform or OpenTofu (`tofu test`), at TF_ACC_TERRAFORM_PATH or
// terraform on PATH (make testacc TF=... picks one). For every module it
// builds the provider into a filesystem mirror under both registry hosts
// (acctest.Mirror; the only way init works offline: dev_overrides make init
// fail), copies
// the module to a temporary directory, runs `terraform init` once and then
// `terraform test -filter=<suite>` once per suite file, each with an
// organization and API token of its own on one emulator. Terraform's JUnit
// report of each suite lands in .build/moduletest/ (OpenTofu 1.11 writes none). A failing suite fails the
// Go test with Terraform's whole output.
package moduletest
