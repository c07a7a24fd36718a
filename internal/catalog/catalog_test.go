package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// The table of domain.md (Rocket.Chat Cloud Services Terms, plan comparison).
func TestTiersMatchTheTerms(t *testing.T) {
	if got := TierNames(); !slices.Equal(got, []string{"standard", "premium", "dedicated"}) {
		t.Fatalf("tier order = %v", got)
	}
	want := map[Tier]struct {
		users, storage, omni int64
		provisioning         ProvisioningMode
		staticIPs            StaticIPKind
		allowed, denied      []Feature
	}{
		Standard: {500, 50, 5000, ProvisionImmediate, StaticIPNone,
			[]Feature{FeatureCustomDomains},
			[]Feature{FeatureVPN, FeatureIPIsolation, FeatureAutomatedScaling, FeatureRoutingRules, FeatureFirewallRules,
				FeatureStaticIPs, FeatureMatrixAddon, FeatureAsteriskAddon, FeatureAPIRateLimit, FeatureVersionFreeze, FeatureUpgradePostponement}},
		Premium: {3000, 250, NoCap, ProvisionDelayed, StaticIPShared,
			[]Feature{FeatureCustomDomains, FeatureIPIsolation, FeatureAutomatedScaling, FeatureRoutingRules, FeatureFirewallRules,
				FeatureStaticIPs, FeatureMatrixAddon, FeatureAsteriskAddon, FeatureAPIRateLimit, FeatureUpgradePostponement},
			[]Feature{FeatureVPN, FeatureVersionFreeze}},
		Dedicated: {NoCap, NoCap, NoCap, ProvisionManual, StaticIPDedicated,
			[]Feature{FeatureCustomDomains, FeatureVPN, FeatureIPIsolation, FeatureAutomatedScaling, FeatureRoutingRules,
				FeatureFirewallRules, FeatureStaticIPs, FeatureMatrixAddon, FeatureAsteriskAddon, FeatureAPIRateLimit,
				FeatureVersionFreeze, FeatureUpgradePostponement}, nil},
	}
	for name, w := range want {
		s, ok := Lookup(name)
		if !ok {
			t.Fatalf("tier %s missing", name)
		}
		if s.MaxUsers != w.users || s.MaxStorageGB != w.storage || s.MaxOmnichannelConversationsMonth != w.omni {
			t.Errorf("%s caps = %d users, %d GB, %d conversations; want %d, %d, %d", name,
				s.MaxUsers, s.MaxStorageGB, s.MaxOmnichannelConversationsMonth, w.users, w.storage, w.omni)
		}
		if s.Provisioning != w.provisioning || s.StaticIPKind != w.staticIPs {
			t.Errorf("%s provisioning/static IPs = %s/%s", name, s.Provisioning, s.StaticIPKind)
		}
		for _, f := range w.allowed {
			if !s.Allows(f) {
				t.Errorf("%s should allow %s", name, f)
			}
		}
		for _, f := range w.denied {
			if s.Allows(f) {
				t.Errorf("%s should not allow %s", name, f)
			}
		}
		if (s.StaticIPQuota > 0) != s.Allows(FeatureStaticIPs) || (s.FirewallRuleQuota > 0) != s.Allows(FeatureFirewallRules) {
			t.Errorf("%s quotas disagree with its features", name)
		}
	}
	if s, _ := Lookup(Standard); !strings.Contains(s.Availability, "best effort") {
		t.Errorf("standard availability = %q", s.Availability)
	}
	for _, n := range []Tier{Premium, Dedicated} {
		if s, _ := Lookup(n); !strings.HasPrefix(s.Availability, "99.9 %") || !strings.HasPrefix(s.Support, "24x7") {
			t.Errorf("%s availability/support = %q / %q", n, s.Availability, s.Support)
		}
	}
	if MaxUpgradePostponementDays != 30 {
		t.Errorf("postponement limit = %d, want 30 days", MaxUpgradePostponementDays)
	}
}

func TestRegionsPerTier(t *testing.T) {
	std, _ := Lookup(Standard)
	prem, _ := Lookup(Premium)
	ded, _ := Lookup(Dedicated)
	if got := RegionsFor(std); !slices.Equal(got, []string{DefaultRegion}) {
		t.Errorf("standard regions = %v, want only the default region", got)
	}
	p, d := RegionsFor(prem), RegionsFor(ded)
	if len(p) < 2 || len(p) >= len(d) {
		t.Errorf("premium must get a published subset: premium %v, dedicated %v", p, d)
	}
	if !slices.Equal(d, RegionNames()) {
		t.Errorf("dedicated must get every region: %v", d)
	}
	for _, r := range Regions {
		if r.HostingProvider != "AWS" && r.HostingProvider != "OVH" {
			t.Errorf("region %s hosted by %q; the sub-processors list names AWS and OVH", r.Name, r.HostingProvider)
		}
		if tiers := TiersIn(r.Name); !slices.Contains(tiers, "dedicated") {
			t.Errorf("region %s not open to dedicated: %v", r.Name, tiers)
		}
	}
}

func TestCheckPlan(t *testing.T) {
	cases := []struct {
		name        string
		spec        PlanSpec
		field, rule string
	}{
		{"vpn on premium", PlanSpec{Tier: Premium, VPN: ptr(true)}, "vpn", RuleTierFeature},
		{"matrix on standard", PlanSpec{Tier: Standard, MatrixAddon: ptr(true)}, "matrix_addon", RuleTierFeature},
		{"rate limit on standard", PlanSpec{Tier: Standard, APIRateLimit: ptr(int64(1000))}, "api_rate_limit", RuleTierFeature},
		{"rate limit too high", PlanSpec{Tier: Premium, APIRateLimit: ptr(int64(1 << 40))}, "api_rate_limit", RuleRange},
		{"users over cap", PlanSpec{Tier: Standard, MaxUsers: ptr(int64(501))}, FieldMaxUsers, RuleUsageCap},
		{"storage over cap", PlanSpec{Tier: Premium, MaxStorageGB: ptr(int64(251))}, FieldMaxStorageGB, RuleUsageCap},
		{"conversations over cap", PlanSpec{Tier: Standard, OmnichannelConversations: ptr(int64(5001))}, FieldOmnichannelConversations, RuleUsageCap},
		{"zero users", PlanSpec{Tier: Dedicated, MaxUsers: ptr(int64(0))}, FieldMaxUsers, RuleRange},
		{"region on standard", PlanSpec{Tier: Standard, Region: "eu-west"}, "region", RuleTierRegion},
		{"region on premium", PlanSpec{Tier: Premium, Region: "af-south"}, "region", RuleTierRegion},
		{"unknown region", PlanSpec{Tier: Dedicated, Region: "mars"}, "region", RuleOneOf},
		{"unknown tier", PlanSpec{Tier: "gold"}, "tier", RuleOneOf},
		{"freeze on premium", PlanSpec{Tier: Premium, VersionFreeze: ptr("7.11")}, "version_freeze", RuleTierFeature},
		{"freeze outside window", PlanSpec{Tier: Dedicated, VersionFreeze: ptr("6.0")}, "version_freeze", RuleOneOf},
		{"postponement on standard", PlanSpec{Tier: Standard, MajorUpgradePostponementDays: ptr(int64(5))}, "major_upgrade_postponement_days", RuleTierFeature},
		{"postponement over 30", PlanSpec{Tier: Premium, MajorUpgradePostponementDays: ptr(int64(31))}, "major_upgrade_postponement_days", RuleRange},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vs := CheckPlan(tc.spec)
			if len(vs) != 1 || vs[0].Field != tc.field || vs[0].Rule != tc.rule {
				t.Fatalf("CheckPlan = %+v, want one %s violation on %s", vs, tc.rule, tc.field)
			}
			if vs[0].Message == "" {
				t.Error("violation without a message")
			}
		})
	}
	ok := []PlanSpec{
		{Tier: Standard, Region: DefaultRegion, MaxUsers: ptr(int64(500)), MaxStorageGB: ptr(int64(50))},
		{Tier: Premium, Region: "eu-west", VPN: ptr(false), MatrixAddon: ptr(true), MajorUpgradePostponementDays: ptr(int64(30))},
		{Tier: Dedicated, Region: "af-south", VPN: ptr(true), VersionFreeze: ptr("7.9"), MaxUsers: ptr(int64(100000))},
		{}, // nothing known yet: nothing to say
	}
	for _, s := range ok {
		if vs := CheckPlan(s); len(vs) != 0 {
			t.Errorf("CheckPlan(%+v) = %+v, want none", s, vs)
		}
	}
}

func TestVPNMessageNamesTheWayOut(t *testing.T) {
	vs := CheckPlan(PlanSpec{Tier: Premium, VPN: ptr(true)})
	if want := `vpn needs the dedicated tier; this plan is "premium". Remove vpn, or upgrade tier to "dedicated"`; vs[0].Message != want {
		t.Errorf("message = %q, want %q", vs[0].Message, want)
	}
}

func TestTierChanges(t *testing.T) {
	for _, up := range [][2]Tier{{Standard, Premium}, {Premium, Dedicated}, {Standard, Dedicated}, {Premium, Premium}} {
		if v := CheckTierChange(up[0], up[1]); v != nil {
			t.Errorf("%s -> %s rejected: %v", up[0], up[1], v)
		}
	}
	for _, down := range [][2]Tier{{Premium, Standard}, {Dedicated, Premium}, {Dedicated, Standard}} {
		v := CheckTierChange(down[0], down[1])
		if v == nil || v.Rule != RuleNoDowngrade || v.Field != "tier" {
			t.Errorf("%s -> %s = %v, want a no_downgrade violation", down[0], down[1], v)
		}
	}
}

func TestChildGatesAndQuotas(t *testing.T) {
	if v := CheckChildFeature(Standard, FeatureFirewallRules, "ws-1"); v == nil || v.Field != "workspace_id" {
		t.Errorf("firewall rules on standard = %v", v)
	}
	if v := CheckChildFeature(Premium, FeatureStaticIPs, "ws-1"); v != nil {
		t.Errorf("static IPs on premium rejected: %v", v)
	}
	prem, _ := Lookup(Premium)
	if v := CheckChildQuota(Premium, FeatureStaticIPs, "ws-1", prem.StaticIPQuota-1); v != nil {
		t.Errorf("below quota rejected: %v", v)
	}
	if v := CheckChildQuota(Premium, FeatureStaticIPs, "ws-1", prem.StaticIPQuota); v == nil || v.Rule != RuleTierQuota {
		t.Errorf("at quota = %v, want a tier_quota violation", v)
	}
}

// Quota messages name the objects as a reader would, and count a plan's creates.
func TestChildQuotaMessages(t *testing.T) {
	prem, _ := Lookup(Premium)
	v := CheckChildQuota(Premium, FeatureStaticIPs, "ws-1", prem.StaticIPQuota)
	ded, _ := Lookup(Dedicated)
	want := fmt.Sprintf(`the premium tier allows at most %d static IPs per workspace and workspace "ws-1" already has %d; remove 1 of them, or upgrade its plan tier to "dedicated" (at most %d)`,
		prem.StaticIPQuota, prem.StaticIPQuota, ded.StaticIPQuota)
	if v == nil || v.Message != want {
		t.Errorf("message = %v\nwant %s", v, want)
	}
	if v := CheckChildQuotaAdding(Premium, FeatureStaticIPs, "ws-1", 0, prem.StaticIPQuota); v != nil {
		t.Errorf("exactly the quota in one plan rejected: %v", v)
	}
	v = CheckChildQuotaAdding(Premium, FeatureStaticIPs, "ws-1", 0, prem.StaticIPQuota+1)
	if v == nil || !strings.Contains(v.Message, fmt.Sprintf("already has 0; this plan adds %d more", prem.StaticIPQuota+1)) {
		t.Errorf("quota+1 in one plan = %v", v)
	}
	for f, noun := range map[Feature]string{FeatureFirewallRules: "firewall rules", FeatureCustomDomains: "custom domains", FeatureStaticIPs: "static IPs"} {
		if got := ChildNoun(f); got != noun {
			t.Errorf("ChildNoun(%s) = %q, want %q", f, got, noun)
		}
	}
}

func TestMatrixIsGeneratedFromTheCatalog(t *testing.T) {
	m := MatrixMarkdown()
	for _, want := range []string{"| `max_users` | 500 users | 3000 users | no fixed cap (quoted) |", "VPN access (`vpn`) | no | no | yes |"} {
		if !strings.Contains(m, want) {
			t.Errorf("matrix lacks %q:\n%s", want, m)
		}
	}
}

// A rule set is checked as a whole against the tier's quota.
func TestCheckRuleSetQuota(t *testing.T) {
	if v := CheckRuleSetQuota(Premium, FeatureFirewallRules, "ws-1", 250); v != nil {
		t.Fatalf("250 refused on premium: %v", v)
	}
	v := CheckRuleSetQuota(Premium, FeatureFirewallRules, "ws-1", 252)
	if v == nil || v.Field != "rules" || v.Rule != RuleTierQuota || !strings.Contains(v.Message, "the set holds 252 firewall rules, but the premium tier allows at most 250 per workspace") ||
		!strings.Contains(v.Message, `remove 2 of them, or upgrade its plan tier to "dedicated" (at most 1000)`) {
		t.Fatalf("%+v", v)
	}
	if v := CheckRuleSetQuota(Dedicated, FeatureFirewallRules, "ws-1", 1000); v != nil {
		t.Fatalf("%v", v)
	}
	if v := CheckRuleSetQuota(Dedicated, FeatureFirewallRules, "ws-1", 1001); v == nil || strings.Contains(v.Message, "upgrade") {
		t.Fatalf("no tier holds 1001 rules, yet: %v", v)
	}
}

// Every tier-rule error names every way out the user has, not only an upgrade.
func TestTierErrorsNameEveryWayOut(t *testing.T) {
	prem, _ := Lookup(Premium)
	ded, _ := Lookup(Dedicated)
	std, _ := Lookup(Standard)
	users := std.MaxUsers + 1
	cases := map[string]struct {
		v    *Violation
		want []string
	}{
		"downgrade": {CheckTierChange(Dedicated, Premium), []string{`Keep tier = "dedicated"`, `order a new plan tier on "premium"`}},
		"feature":   {&CheckPlan(PlanSpec{Tier: Premium, VPN: ptr(true)})[0], []string{"Remove vpn", `upgrade tier to "dedicated"`}},
		"cap":       {&CheckPlan(PlanSpec{Tier: Standard, MaxUsers: &users})[0], []string{fmt.Sprintf("lower max_users to at most %d", std.MaxUsers), "remove it", `upgrade tier to "premium"`}},
		"child gate": {CheckChildFeature(Standard, FeatureFirewallRules, "ws-1"),
			[]string{"Remove the firewall rules", `upgrade its plan tier to "premium"`}},
		"quota, an upgrade helps": {CheckChildQuotaAdding(Premium, FeatureStaticIPs, "ws-1", prem.StaticIPQuota, 2),
			[]string{"remove 2 of them", fmt.Sprintf(`upgrade its plan tier to "dedicated" (at most %d)`, ded.StaticIPQuota)}},
		"quota, no tier holds it": {CheckChildQuotaAdding(Dedicated, FeatureStaticIPs, "ws-1", ded.StaticIPQuota, 1),
			[]string{"remove 1 of them"}},
	}
	for name, c := range cases {
		if c.v == nil {
			t.Errorf("%s: no violation", name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(c.v.Message, w) {
				t.Errorf("%s: %q does not name %q", name, c.v.Message, w)
			}
		}
		if name == "quota, no tier holds it" && strings.Contains(c.v.Message, "upgrade") {
			t.Errorf("%s: offers an upgrade that does not help: %q", name, c.v.Message)
		}
	}
}

// The default region is offered by every tier, so a plan that names none is
// valid on any tier.
func TestDefaultRegionOnEveryTier(t *testing.T) {
	for _, spec := range Tiers {
		if !spec.AllowsRegion(DefaultRegion) {
			t.Errorf("the %s tier does not offer the default region %s", spec.Name, DefaultRegion)
		}
	}
	if RegionOrDefault("") != DefaultRegion || RegionOrDefault("eu-west") != "eu-west" {
		t.Error("RegionOrDefault")
	}
}
