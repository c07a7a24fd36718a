package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func tierDataConfig(e *acctest.Env, name string) string {
	return e.ProviderConfig() + fmt.Sprintf(`
data "rocketchat_tier" "test" {
  name = %q
}
`, name)
}

func TestAccTierDataSource(t *testing.T) {
	e := acctest.New(t)
	const addr = "data.rocketchat_tier.test"
	steps := []resource.TestStep{{
		// First: the post-test destroy runs the last step's configuration.
		Config:      tierDataConfig(e, "gold"),
		ExpectError: regexp.MustCompile(`(?s)value must be one of.*"standard".*"premium".*"dedicated"`),
	}}
	for _, s := range catalog.Tiers {
		var checks []statecheck.StateCheck
		for attr, want := range tierChecks(s) {
			checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), want))
		}
		steps = append(steps, resource.TestStep{Config: tierDataConfig(e, string(s.Name)), ConfigStateChecks: checks})
	}
	steps = append(steps,
		resource.TestStep{
			Config: tierDataConfig(e, "premium"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("max_users"), knownvalue.Int64Exact(3000)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("static_ip_kind"), knownvalue.StringExact("shared")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("regions"), knownvalue.SetPartial([]knownvalue.Check{knownvalue.StringExact("eu-west")})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("regions"), knownvalue.ListSizeExact(6)),
			},
		},
		resource.TestStep{
			Config: tierDataConfig(e, "dedicated"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("features"), knownvalue.SetPartial([]knownvalue.Check{
					knownvalue.StringExact("vpn"), knownvalue.StringExact("version_freeze"),
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("regions"), knownvalue.ListSizeExact(len(catalog.Regions))),
			},
		},
	)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    steps,
	})
	checkNoAPICalls(t, e)
}
