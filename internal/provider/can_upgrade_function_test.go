package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestAccFunctionCanUpgrade(t *testing.T) {
	// Every pair of tiers, against the catalog's rule.
	matrix := map[string]knownvalue.Check{}
	for _, from := range catalog.Tiers {
		row := map[string]knownvalue.Check{}
		for _, to := range catalog.Tiers {
			row[string(to.Name)] = knownvalue.Bool(catalog.CheckTierChange(from.Name, to.Name) == nil)
		}
		matrix[string(from.Name)] = knownvalue.MapExact(row)
	}
	tiers := hclStrings(catalog.TierNames())
	functionTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
output "up" {
  value = provider::rocketchat::can_upgrade("standard", "dedicated")
}

output "same" {
  value = provider::rocketchat::can_upgrade("premium", "premium")
}

output "down" {
  value = provider::rocketchat::can_upgrade("dedicated", "premium")
}

output "matrix" {
  value = { for f in %s : f => { for t in %s : t => provider::rocketchat::can_upgrade(f, t) } }
}
`, tiers, tiers),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("up", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("same", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("down", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("matrix", knownvalue.ObjectExact(matrix)),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::rocketchat::can_upgrade("standard", "platinum") }`,
			ExpectError: regexp.MustCompile(`unknown tier "platinum";\s+allowed\s+values:`),
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::rocketchat::can_upgrade("bronze", "premium") }`,
			ExpectError: regexp.MustCompile(`unknown tier "bronze";\s+allowed\s+values:`),
		},
	)
}
