package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestAccFunctionTierLimits(t *testing.T) {
	limits := func(s catalog.TierSpec) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"max_users":                           capCheck(s.MaxUsers),
			"max_storage_gb":                      capCheck(s.MaxStorageGB),
			"omnichannel_conversations_per_month": capCheck(s.MaxOmnichannelConversationsMonth),
			"static_ip_quota":                     knownvalue.Int64Exact(int64(s.StaticIPQuota)),
			"firewall_rule_quota":                 knownvalue.Int64Exact(int64(s.FirewallRuleQuota)),
			"custom_domain_quota":                 knownvalue.Int64Exact(int64(s.CustomDomainQuota)),
		})
	}
	functionTest(t,
		resource.TestStep{
			Config: `
output "standard" {
  value = provider::rocketchat::tier_limits("standard")
}

output "premium" {
  value = provider::rocketchat::tier_limits("premium")
}

output "dedicated" {
  value = provider::rocketchat::tier_limits("dedicated")
}

output "standard_max_users" {
  value = provider::rocketchat::tier_limits("standard").max_users
}

output "dedicated_max_users_is_null" {
  value = provider::rocketchat::tier_limits("dedicated").max_users == null
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("standard", limits(mustLookup(t, catalog.Standard))),
				statecheck.ExpectKnownOutputValue("premium", limits(mustLookup(t, catalog.Premium))),
				statecheck.ExpectKnownOutputValue("dedicated", limits(mustLookup(t, catalog.Dedicated))),
				statecheck.ExpectKnownOutputValue("standard_max_users", knownvalue.Int64Exact(500)),
				statecheck.ExpectKnownOutputValue("dedicated_max_users_is_null", knownvalue.Bool(true)),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::rocketchat::tier_limits("enterprise") }`,
			ExpectError: regexp.MustCompile(`unknown tier "enterprise";\s+allowed\s+values:`),
		},
	)
}

func mustLookup(t *testing.T, tier catalog.Tier) catalog.TierSpec {
	t.Helper()
	s, ok := catalog.Lookup(tier)
	if !ok {
		t.Fatalf("tier %q not in the catalog", tier)
	}
	return s
}
