package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestPlanRulesRejectedWith422(t *testing.T) {
	h := newHarness(t)
	std := func(mod func(*api.PlanInput)) api.PlanInput {
		in := api.PlanInput{Tier: "standard", Region: "us-east"}
		mod(&in)
		return in
	}
	prem := func(mod func(*api.PlanInput)) api.PlanInput {
		in := api.PlanInput{Tier: "premium", Region: "us-east"}
		mod(&in)
		return in
	}
	cases := []struct {
		name        string
		in          api.PlanInput
		field, rule string
	}{
		{"missing tier", api.PlanInput{Region: "us-east"}, "tier", "required"},
		{"unknown tier", api.PlanInput{Tier: "gold", Region: "us-east"}, "tier", catalog.RuleOneOf},
		{"unknown region", std(func(p *api.PlanInput) { p.Region = "mars-1" }), "region", catalog.RuleOneOf},
		{"standard outside default region", std(func(p *api.PlanInput) { p.Region = "eu-central" }), "region", catalog.RuleTierRegion},
		{"premium outside published regions", prem(func(p *api.PlanInput) { p.Region = "eu-north" }), "region", catalog.RuleTierRegion},
		{"vpn on premium", prem(func(p *api.PlanInput) { p.VPN = true }), "vpn", catalog.RuleTierFeature},
		{"vpn on standard", std(func(p *api.PlanInput) { p.VPN = true }), "vpn", catalog.RuleTierFeature},
		{"ip isolation on standard", std(func(p *api.PlanInput) { p.IPIsolation = true }), "ip_isolation", catalog.RuleTierFeature},
		{"automated scaling on standard", std(func(p *api.PlanInput) { p.AutomatedScaling = true }), "automated_scaling", catalog.RuleTierFeature},
		{"routing rules on standard", std(func(p *api.PlanInput) { p.RoutingRules = true }), "routing_rules", catalog.RuleTierFeature},
		{"matrix on standard", std(func(p *api.PlanInput) { p.MatrixAddon = true }), "matrix_addon", catalog.RuleTierFeature},
		{"asterisk on standard", std(func(p *api.PlanInput) { p.AsteriskAddon = true }), "asterisk_addon", catalog.RuleTierFeature},
		{"api rate limit on standard", std(func(p *api.PlanInput) { p.APIRateLimit = ptr[int64](600) }), "api_rate_limit", catalog.RuleTierFeature},
		{"api rate limit out of range", prem(func(p *api.PlanInput) { p.APIRateLimit = ptr[int64](10) }), "api_rate_limit", catalog.RuleRange},
		{"postponement on standard", std(func(p *api.PlanInput) { p.MajorUpgradePostponementDays = ptr[int64](5) }), "major_upgrade_postponement_days", catalog.RuleTierFeature},
		{"postponement over 30", prem(func(p *api.PlanInput) { p.MajorUpgradePostponementDays = ptr[int64](31) }), "major_upgrade_postponement_days", catalog.RuleRange},
		{"version freeze on standard", std(func(p *api.PlanInput) { p.VersionFreeze = ptr("7.10") }), "version_freeze", catalog.RuleTierFeature},
		{"version freeze on premium", prem(func(p *api.PlanInput) { p.VersionFreeze = ptr("7.10") }), "version_freeze", catalog.RuleTierFeature},
		{"version freeze outside window", api.PlanInput{Tier: "dedicated", Region: "eu-north", VersionFreeze: ptr("6.0")}, "version_freeze", catalog.RuleOneOf},
		{"standard user cap", std(func(p *api.PlanInput) { p.MaxUsers = ptr[int64](501) }), catalog.FieldMaxUsers, catalog.RuleUsageCap},
		{"standard storage cap", std(func(p *api.PlanInput) { p.MaxStorageGB = ptr[int64](51) }), catalog.FieldMaxStorageGB, catalog.RuleUsageCap},
		{"standard omnichannel cap", std(func(p *api.PlanInput) { p.OmnichannelConversations = ptr[int64](5001) }), catalog.FieldOmnichannelConversations, catalog.RuleUsageCap},
		{"premium user cap", prem(func(p *api.PlanInput) { p.MaxUsers = ptr[int64](3001) }), catalog.FieldMaxUsers, catalog.RuleUsageCap},
		{"premium storage cap", prem(func(p *api.PlanInput) { p.MaxStorageGB = ptr[int64](251) }), catalog.FieldMaxStorageGB, catalog.RuleUsageCap},
		{"zero users", prem(func(p *api.PlanInput) { p.MaxUsers = ptr[int64](0) }), catalog.FieldMaxUsers, catalog.RuleRange},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problem(t, h.do(tokA, "POST", api.RoutePlans, tc.in), http.StatusUnprocessableEntity)
			if !hasFieldError(p, tc.field, tc.rule) {
				t.Fatalf("want error on %s rule %s, got %+v", tc.field, tc.rule, p.Errors)
			}
		})
	}
	if n := h.s.Counts("org-a")["plans"]; n != 0 {
		t.Fatalf("rejected plans were stored: %d", n)
	}
}

func TestPlanAllViolationsReported(t *testing.T) {
	h := newHarness(t)
	p := problem(t, h.do(tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "eu-central", VPN: true, MatrixAddon: true}), 422)
	if len(p.Errors) != 3 {
		t.Fatalf("want 3 violations, got %+v", p.Errors)
	}
	for _, e := range p.Errors {
		if !strings.Contains(p.Detail, e.Field) {
			t.Errorf("detail %q does not name %s", p.Detail, e.Field)
		}
	}
}

func TestPlanValidTiers(t *testing.T) {
	h := newHarness(t)
	for _, in := range []api.PlanInput{
		{Tier: "standard", Region: "us-east", MaxUsers: ptr[int64](500)},
		{Tier: "premium", Region: "eu-west", IPIsolation: true, APIRateLimit: ptr[int64](1200), MajorUpgradePostponementDays: ptr[int64](30)},
		{Tier: "dedicated", Region: "af-south", VPN: true, VersionFreeze: ptr("7.11"), MaxUsers: ptr[int64](100000)},
	} {
		p := h.plan(tokA, in)
		if !strings.HasPrefix(p.ID, "pln-") || p.Status != api.StatusActive || p.Tier != in.Tier {
			t.Fatalf("bad plan %+v", p)
		}
		var got api.Plan
		h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, &got)
		if got.ID != p.ID || got.Region != in.Region {
			t.Fatalf("read back %+v", got)
		}
	}
	var list api.List[api.Plan]
	h.must(200, tokA, "GET", api.RoutePlans, nil, &list)
	if len(list.Items) != 3 {
		t.Fatalf("list has %d plans", len(list.Items))
	}
	h.must(200, tokB, "GET", api.RoutePlans, nil, &list)
	if len(list.Items) != 0 {
		t.Fatalf("org B sees %d plans", len(list.Items))
	}
}

func TestPlanPatchRules(t *testing.T) {
	h := newHarness(t)
	p := h.plan(tokA, api.PlanInput{Tier: "premium", Region: "us-east"})
	pp := problem(t, h.do(tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "standard", Region: "us-east"}), 422)
	if !hasFieldError(pp, "tier", catalog.RuleNoDowngrade) {
		t.Fatalf("downgrade: %+v", pp.Errors)
	}
	pp = problem(t, h.do(tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "premium", Region: "eu-west"}), 422)
	if !hasFieldError(pp, "region", catalog.RuleImmutable) {
		t.Fatalf("region change: %+v", pp.Errors)
	}
	pp = problem(t, h.do(tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "premium", Region: "us-east", VPN: true}), 422)
	if !hasFieldError(pp, "vpn", catalog.RuleTierFeature) {
		t.Fatalf("vpn: %+v", pp.Errors)
	}
	// An upgrade of a plan without a workspace is immediate.
	var up api.Plan
	h.must(200, tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "dedicated", Region: "us-east", VPN: true}, &up)
	if up.Tier != "dedicated" || up.Status != api.StatusActive || !up.VPN {
		t.Fatalf("upgrade: %+v", up)
	}
	h.must(204, tokA, "DELETE", path(api.RoutePlan, p.ID), nil, nil)
	problem(t, h.do(tokA, "GET", path(api.RoutePlan, p.ID), nil), 404)
	problem(t, h.do(tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "dedicated", Region: "us-east"}), 404)
}

func TestPlanDeleteInUse(t *testing.T) {
	h := newHarness(t)
	p, ws := h.tierWorkspace(tokA, catalog.Standard, "inuse")
	pp := problem(t, h.do(tokA, "DELETE", path(api.RoutePlan, p.ID), nil), 409)
	want := "plan is in use by workspace " + ws.ID + "; delete the workspace first"
	if pp.Detail != want {
		t.Fatalf("detail %q, want %q", pp.Detail, want)
	}
	var got api.Plan
	h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, &got)
	if got.Tier != "standard" || got.WorkspaceID != ws.ID {
		t.Fatalf("plan changed by refused delete: %+v", got)
	}
	h.must(204, tokA, "DELETE", path(api.RouteWorkspace, ws.ID), nil, nil)
	var after api.Plan
	h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, &after)
	if after.WorkspaceID != "" {
		t.Fatalf("plan still attached: %+v", after)
	}
	h.must(204, tokA, "DELETE", path(api.RoutePlan, p.ID), nil, nil)
}

// TestUpgradeFlow moves a workspace standard -> premium (delayed) -> dedicated
// (manual): workspace and plan are "upgrading" until the new tier's
// provisioning completes.
func TestUpgradeFlow(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{
			catalog.Premium:   {Mode: catalog.ProvisionDelayed, Delay: time.Minute},
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		}
	})
	p, ws := h.tierWorkspace(tokA, catalog.Standard, "upflow")
	var w api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusReady {
		t.Fatalf("standard workspace not ready: %s", w.Status)
	}
	checks := func(wantWS, wantPlan string) {
		t.Helper()
		var w api.Workspace
		var pl api.Plan
		h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
		h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, &pl)
		if w.Status != wantWS || pl.Status != wantPlan {
			t.Fatalf("workspace %s plan %s, want %s %s", w.Status, pl.Status, wantWS, wantPlan)
		}
	}
	var up api.Plan
	h.must(200, tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "premium", Region: "us-east"}, &up)
	if up.Status != api.StatusUpgrading {
		t.Fatalf("PATCH answer status %s", up.Status)
	}
	checks(api.StatusUpgrading, api.StatusUpgrading)
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Tier != "premium" {
		t.Fatalf("tier %s", w.Tier)
	}
	h.clock.Advance(59 * time.Second)
	checks(api.StatusUpgrading, api.StatusUpgrading)
	h.clock.Advance(time.Second)
	checks(api.StatusReady, api.StatusActive)

	h.must(200, tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "dedicated", Region: "us-east", VPN: true}, &up)
	h.clock.Advance(24 * time.Hour)
	checks(api.StatusUpgrading, api.StatusUpgrading)
	problem(t, h.do(tokA, "POST", path(api.RouteAdminTokens, ws.ID), nil), 409)
	h.must(200, tokAdmin, "POST", path(api.RouteAdminApprove, ws.ID), nil, &w)
	if w.Status != api.StatusReady || w.Tier != "dedicated" {
		t.Fatalf("approved: %+v", w)
	}
	checks(api.StatusReady, api.StatusActive)
	problem(t, h.do(tokAdmin, "POST", path(api.RouteAdminApprove, ws.ID), nil), 409)
}

// In immediate mode an upgrade is complete in the PATCH answer itself, as a
// create is: the client has nothing to poll.
func TestUpgradeImmediateIsDoneInTheAnswer(t *testing.T) {
	h := newHarness(t)
	p, ws := h.tierWorkspace(tokA, catalog.Standard, "upnow")
	var up api.Plan
	h.must(200, tokA, "PATCH", path(api.RoutePlan, p.ID), api.PlanInput{Tier: "premium", Region: "us-east"}, &up)
	if up.Status != api.StatusActive || up.Tier != "premium" {
		t.Fatalf("PATCH answer: status %s tier %s, want active premium", up.Status, up.Tier)
	}
	var w api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusReady || w.Tier != "premium" {
		t.Fatalf("workspace after an immediate upgrade: %s %s", w.Status, w.Tier)
	}
}

// A plan ordered without a region gets the catalog's default region, as the
// provider's schema default does, through the API and through a seed alike;
// an update that names none keeps the plan's own.
func TestPlanRegionDefaultsEverywhere(t *testing.T) {
	h := newHarness(t)
	for _, tier := range catalog.TierNames() {
		var p api.Plan
		h.must(http.StatusCreated, tokA, "POST", api.RoutePlans, map[string]any{"tier": tier}, &p)
		if p.Region != catalog.DefaultRegion {
			t.Errorf("%s plan without a region: region %q, want %q", tier, p.Region, catalog.DefaultRegion)
		}
	}
	p := h.plan(tokA, api.PlanInput{Tier: "premium", Region: "eu-west"})
	var up api.Plan
	h.must(http.StatusOK, tokA, "PATCH", strings.Replace(api.RoutePlan, "{plan_id}", p.ID, 1), map[string]any{"tier": "premium", "max_users": 10}, &up)
	if up.Region != "eu-west" {
		t.Errorf("an update without a region moved the plan to %q", up.Region)
	}

	out, err := h.s.Seed(&Seed{Organizations: []SeedOrganization{{Name: "seeded", Tokens: []string{"seeded-token"},
		Plans: []SeedPlan{{Key: "p", PlanInput: api.PlanInput{Tier: "standard"}}}}}})
	if err != nil {
		t.Fatalf("a seed's standard plan without a region: %v", err)
	}
	var list api.List[api.Plan]
	h.must(http.StatusOK, "seeded-token", "GET", api.RoutePlans, nil, &list)
	if len(list.Items) != 1 || list.Items[0].Region != catalog.DefaultRegion || out.Organizations[0].Plans[0].Region != catalog.DefaultRegion {
		t.Errorf("seeded plan: %+v (answered seed %+v)", list.Items, out.Organizations[0].Plans)
	}
}
