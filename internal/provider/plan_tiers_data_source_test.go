package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// stringList is an exact check of a list of strings.
func stringList(s []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(s))
	for i, v := range s {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// capCheck is the expected value of a usage cap: null when there is no fixed cap.
func capCheck(v int64) knownvalue.Check {
	if v == catalog.NoCap {
		return knownvalue.Null()
	}
	return knownvalue.Int64Exact(v)
}

// tierChecks compares every attribute of one tier object with the catalog.
func tierChecks(s catalog.TierSpec) map[string]knownvalue.Check {
	var features []string
	for _, f := range catalog.Features {
		if s.Allows(f.Name) {
			features = append(features, string(f.Name))
		}
	}
	return map[string]knownvalue.Check{
		"name":                                knownvalue.StringExact(string(s.Name)),
		"display_name":                        knownvalue.StringExact(s.DisplayName),
		"rank":                                knownvalue.Int64Exact(int64(s.Rank)),
		"infrastructure":                      knownvalue.StringExact(s.Infrastructure),
		"region_policy":                       knownvalue.StringExact(s.RegionPolicy),
		"version_policy":                      knownvalue.StringExact(s.VersionPolicy),
		"availability":                        knownvalue.StringExact(s.Availability),
		"support":                             knownvalue.StringExact(s.Support),
		"provisioning":                        knownvalue.StringExact(string(s.Provisioning)),
		"max_users":                           capCheck(s.MaxUsers),
		"max_storage_gb":                      capCheck(s.MaxStorageGB),
		"omnichannel_conversations_per_month": capCheck(s.MaxOmnichannelConversationsMonth),
		"static_ip_kind":                      knownvalue.StringExact(string(s.StaticIPKind)),
		"static_ip_quota":                     knownvalue.Int64Exact(int64(s.StaticIPQuota)),
		"firewall_rule_quota":                 knownvalue.Int64Exact(int64(s.FirewallRuleQuota)),
		"custom_domain_quota":                 knownvalue.Int64Exact(int64(s.CustomDomainQuota)),
		"regions":                             stringList(catalog.RegionsFor(s)),
		"features":                            stringList(features),
	}
}

// checkNoAPICalls fails when the emulator received any request: the catalog
// data sources and functions must not call the API.
func checkNoAPICalls(t *testing.T, e *acctest.Env) {
	t.Helper()
	if st := e.Emulator.Stats(); st.Reads+st.Mutating != 0 {
		t.Errorf("the emulator received %d request(s), want 0: %v", st.Reads+st.Mutating, st.Requests)
	}
}

func TestAccPlanTiersDataSource(t *testing.T) {
	e := acctest.New(t)
	const addr = "data.rocketchat_plan_tiers.all"
	tiers := make([]knownvalue.Check, len(catalog.Tiers))
	for i, s := range catalog.Tiers {
		tiers[i] = knownvalue.ObjectExact(tierChecks(s))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.ProviderConfig() + `data "rocketchat_plan_tiers" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Every attribute of every tier, in upgrade order, equals the catalog.
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers"), knownvalue.ListExact(tiers)),
				// A few facts of the terms spelled out, so a catalog edit is noticed.
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("standard")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(0).AtMapKey("max_users"), knownvalue.Int64Exact(500)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(0).AtMapKey("regions"), stringList([]string{"us-east"})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(1).AtMapKey("omnichannel_conversations_per_month"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("dedicated")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(2).AtMapKey("max_users"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("tiers").AtSliceIndex(2).AtMapKey("provisioning"), knownvalue.StringExact("manual")),
			},
		}},
	})
	checkNoAPICalls(t, e)
}
