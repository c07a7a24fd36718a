package provider

import (
	"os"
	"runtime/debug"
)

// logSwitches are the variables with which a user asks for logs; when none
// is set, Terraform drops every log line a provider process sends it.
var logSwitches = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_ROCKETCHAT",
	"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
}

// TuneProcess prepares a provider process before it serves Terraform:
//
//   - Unless a TF_LOG* variable asks for logs, the plugin SDK and the
//     provider stop formatting log lines (their default level is TRACE) that
//     Terraform would only parse and drop: make bench measured about a fifth
//     of the provider's CPU in them on a refresh plan.
//   - Unless GOMEMLIMIT is set, a soft memory limit of 80 MiB keeps the SDK's
//     per-request garbage from doubling the heap on large configurations.
//
// Both the provider and the no-op floor of make bench call it, so the
// benchmark compares like with like.
func TuneProcess() {
	quiet := true
	for _, v := range logSwitches {
		if os.Getenv(v) != "" {
			quiet = false
		}
	}
	if quiet {
		for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"} {
			_ = os.Setenv(v, "off")
		}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(80 << 20)
	}
}
