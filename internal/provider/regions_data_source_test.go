package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func regionChecks(r catalog.Region) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name":             knownvalue.StringExact(r.Name),
		"display_name":     knownvalue.StringExact(r.DisplayName),
		"hosting_provider": knownvalue.StringExact(r.HostingProvider),
		"data_location":    knownvalue.StringExact(r.DataLocation),
		"tiers":            stringList(catalog.TiersIn(r.Name)),
	})
}

func TestAccRegionsDataSource(t *testing.T) {
	e := acctest.New(t)
	all := make([]knownvalue.Check, len(catalog.Regions))
	var premium []knownvalue.Check
	for i, r := range catalog.Regions {
		all[i] = regionChecks(r)
		if r.Premium {
			premium = append(premium, regionChecks(r))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				// First: the post-test destroy runs the last step's configuration.
				Config:      e.ProviderConfig() + `data "rocketchat_regions" "x" { tier = "gold" }`,
				ExpectError: regexp.MustCompile(`(?s)tier.*value must be one of`),
			},
			{
				Config: e.ProviderConfig() + `
data "rocketchat_regions" "all" {}

data "rocketchat_regions" "standard" {
  tier = "standard"
}

data "rocketchat_regions" "premium" {
  tier = "premium"
}

data "rocketchat_regions" "dedicated" {
  tier = "dedicated"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.rocketchat_regions.all", tfjsonpath.New("tier"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.rocketchat_regions.all", tfjsonpath.New("regions"), knownvalue.ListExact(all)),
					statecheck.ExpectKnownValue("data.rocketchat_regions.dedicated", tfjsonpath.New("regions"), knownvalue.ListExact(all)),
					statecheck.ExpectKnownValue("data.rocketchat_regions.premium", tfjsonpath.New("regions"), knownvalue.ListExact(premium)),
					// Standard runs in the default region only.
					statecheck.ExpectKnownValue("data.rocketchat_regions.standard", tfjsonpath.New("regions"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"name":             knownvalue.StringExact("us-east"),
							"display_name":     knownvalue.StringExact("US East (Virginia)"),
							"hosting_provider": knownvalue.StringExact("AWS"),
							"data_location":    knownvalue.StringExact("United States"),
							"tiers":            stringList([]string{"standard", "premium", "dedicated"}),
						}),
					})),
					// A Dedicated-only region.
					statecheck.ExpectKnownValue("data.rocketchat_regions.all", tfjsonpath.New("regions").AtSliceIndex(7).AtMapKey("name"), knownvalue.StringExact("sa-east")),
					statecheck.ExpectKnownValue("data.rocketchat_regions.all", tfjsonpath.New("regions").AtSliceIndex(7).AtMapKey("tiers"), stringList([]string{"dedicated"})),
				},
			},
		},
	})
	checkNoAPICalls(t, e)
}
