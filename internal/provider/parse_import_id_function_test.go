package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccFunctionParseImportID(t *testing.T) {
	steps := []resource.TestStep{{
		Config: `
output "parsed" {
  value = provider::rocketchat::parse_import_id("ws-0123/fw-4567")
}

output "workspace_id" {
  value = provider::rocketchat::parse_import_id("ws-0123/dom-89").workspace_id
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("parsed", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"workspace_id": knownvalue.StringExact("ws-0123"),
				"id":           knownvalue.StringExact("fw-4567"),
			})),
			statecheck.ExpectKnownOutputValue("workspace_id", knownvalue.StringExact("ws-0123")),
		},
	}}
	for _, bad := range []string{"ws-0123", "ws-0123/", "/fw-4567", "ws-0123/fw/4567", ""} {
		steps = append(steps, resource.TestStep{
			Config: `output "x" { value = provider::rocketchat::parse_import_id("` + bad + `") }`,
			ExpectError: regexp.MustCompile(`invalid child import ID "` + regexp.QuoteMeta(bad) +
				`":\s+expected\s+"<workspace_id>/<child_id>"`),
		})
	}
	functionTest(t, steps...)
}
