package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// functionTest runs steps that only call provider functions (Terraform 1.8+).
func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	e := acctest.New(t)
	for i := range steps {
		steps[i].Config = e.ProviderConfig() + steps[i].Config
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	})
	checkNoAPICalls(t, e)
}

func hclStrings(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func TestAccFunctionTierAllows(t *testing.T) {
	var features []string
	for _, f := range catalog.Features {
		features = append(features, string(f.Name))
	}
	// The whole tier x feature matrix, against the catalog.
	matrix := map[string]knownvalue.Check{}
	for _, s := range catalog.Tiers {
		row := map[string]knownvalue.Check{}
		for _, f := range catalog.Features {
			row[string(f.Name)] = knownvalue.Bool(s.Allows(f.Name))
		}
		matrix[string(s.Name)] = knownvalue.MapExact(row)
	}
	functionTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
output "premium_vpn" {
  value = provider::rocketchat::tier_allows("premium", "vpn")
}

output "dedicated_vpn" {
  value = provider::rocketchat::tier_allows("dedicated", "vpn")
}

output "standard_custom_domains" {
  value = provider::rocketchat::tier_allows("standard", "custom_domains")
}

output "standard_firewall_rules" {
  value = provider::rocketchat::tier_allows("standard", "firewall_rules")
}

output "matrix" {
  value = { for t in %s : t => { for f in %s : f => provider::rocketchat::tier_allows(t, f) } }
}
`, hclStrings(catalog.TierNames()), hclStrings(features)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("premium_vpn", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("dedicated_vpn", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("standard_custom_domains", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("standard_firewall_rules", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("matrix", knownvalue.ObjectExact(matrix)),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::rocketchat::tier_allows("gold", "vpn") }`,
			ExpectError: regexp.MustCompile(`unknown tier "gold";\s+allowed\s+values:\s+"standard",\s+"premium",\s+"dedicated"`),
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::rocketchat::tier_allows("premium", "teleport") }`,
			ExpectError: regexp.MustCompile(`unknown feature "teleport";\s+allowed\s+values:\s+"custom_domains",`),
		},
	)
}
