package api

import (
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// One listing page and one replace hold the largest tier's whole rule set.
func TestFirewallRuleSetLimitsFitTheLargestQuota(t *testing.T) {
	largest := 0
	for _, tier := range catalog.Tiers {
		largest = max(largest, tier.Quota(catalog.FeatureFirewallRules))
	}
	if MaxFirewallRulesPageSize != largest {
		t.Fatalf("MaxFirewallRulesPageSize %d, largest rule quota %d", MaxFirewallRulesPageSize, largest)
	}
	// A rule at its longest: an IPv6 prefix, a port range, the largest
	// priority and a description of 255 characters each escaped as \uXXXX.
	const longest = len(`{"cidr":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128","action":"allow","protocol":"tcp","port_range":"65535-65535","priority":10000,"description":""},`) + 255*6
	if need := len(`{"rules":[]}`) + largest*longest; need > MaxFirewallRuleSetBytes {
		t.Fatalf("a largest set may need %d bytes, above the limit of %d", need, MaxFirewallRuleSetBytes)
	}
}
