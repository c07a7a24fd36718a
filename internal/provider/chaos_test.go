package provider_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// The chaos estate: premium workspaces, each on its own plan, each with
// custom domains, firewall rules and static IPs, all inside the Premium
// tier's per-workspace quotas.
const (
	chaosWorkspaces    = 10
	chaosDomainsPerWS  = 3  // Premium quota 20
	chaosRulesPerWS    = 12 // Premium quota 250
	chaosStaticIPsPerW = 4  // Premium quota 4
)

// chaosTypes maps each resource type to the emulator's kind of object.
var chaosTypes = map[string]string{
	"rocketchat_plan_tier":     "plans",
	"rocketchat_workspace":     "workspaces",
	"rocketchat_custom_domain": "domains",
	"rocketchat_firewall_rule": "firewall_rules",
	"rocketchat_static_ip":     "static_ips",
}

// chaosFaults faults about one request in five: 5 % 429 bursts, then 10 %
// 500/502/503, then 5 % dropped connections after the write was committed.
var chaosFaults = emulator.FaultConfig{RateLimitBurstRate: 0.05, ErrorRate: 0.10, DropRate: 0.05, Seed: 20260601}

func chaosConfig(e *acctest.Env) string {
	return fmt.Sprintf(`
provider "rocketchat" {
  endpoint    = %[1]q
  token       = %[2]q
  max_retries = 10
}

resource "rocketchat_plan_tier" "p" {
  count  = %[3]d
  tier   = "premium"
  region = "us-east"
}

resource "rocketchat_workspace" "w" {
  count     = %[3]d
  name      = "Chaos ${count.index}"
  subdomain = "chaos-${count.index}"
  plan_id   = rocketchat_plan_tier.p[count.index].id

  deletion_protection = false
}

resource "rocketchat_custom_domain" "d" {
  count        = %[4]d
  workspace_id = rocketchat_workspace.w[count.index %% %[3]d].id
  hostname     = "chat-${count.index}.chaos.example.com"
}

resource "rocketchat_firewall_rule" "f" {
  count        = %[5]d
  workspace_id = rocketchat_workspace.w[count.index %% %[3]d].id
  cidr         = "10.${count.index}.0.0/16"
  action       = "allow"
  protocol     = "tcp"
  port_range   = "443"
  priority     = count.index + 1
}

resource "rocketchat_static_ip" "s" {
  count        = %[6]d
  workspace_id = rocketchat_workspace.w[count.index %% %[3]d].id
  purpose      = "outbound"
}
`, e.URL, acctest.Token, chaosWorkspaces, chaosWorkspaces*chaosDomainsPerWS,
		chaosWorkspaces*chaosRulesPerWS, chaosWorkspaces*chaosStaticIPsPerW)
}

// chaosTotal is the number of objects the configuration declares.
const chaosTotal = chaosWorkspaces * (2 + chaosDomainsPerWS + chaosRulesPerWS + chaosStaticIPsPerW)

// TestAccChaos_convergesUnderFaults applies more than 200 mixed objects with
// -parallelism=20 while about 20 % of the API's answers are faults, then
// proves: the emulator holds exactly the objects in state (same counts, same
// IDs: no duplicate, no orphan), a second plan (faults still on) is empty,
// and destroy leaves the organization empty.
func TestAccChaos_convergesUnderFaults(t *testing.T) {
	// Not parallel: t.Setenv. TF_CLI_ARGS_apply reaches the CLI because
	// terraform-exec passes the test process's environment through.
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=20")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=20")

	for _, tier := range []catalog.Tier{catalog.Premium} {
		spec, _ := catalog.Lookup(tier)
		if chaosDomainsPerWS > spec.CustomDomainQuota || chaosRulesPerWS > spec.FirewallRuleQuota || chaosStaticIPsPerW > spec.StaticIPQuota {
			t.Fatalf("the chaos estate exceeds the %s quotas", tier)
		}
	}
	if chaosTotal < 200 {
		t.Fatalf("the chaos estate has %d objects; at least 200 are required", chaosTotal)
	}

	e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
	e.Emulator.SetFaults(chaosFaults)
	cfg := chaosConfig(e)
	start := time.Now()
	var applied time.Duration

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: e.Emulator.ResetStats,
				Config:    cfg,
				Check: func(s *tfState) error {
					applied = time.Since(start)
					return checkChaosEstate(t, e, s)
				},
			},
			{
				// Faults are still on: the refresh retries, and the plan is
				// empty (PlanOnly fails on any change).
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})

	st := e.Emulator.Stats()
	for kind, n := range e.Emulator.Counts("acme") {
		if n != 0 {
			t.Errorf("destroy left %d %s in the organization", n, kind)
		}
	}
	t.Logf("%d objects: apply and checks in %s, whole test %s; emulator saw %d faults, %d mutating requests",
		chaosTotal, applied.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), st.Faulted, st.Mutating)
	if st.Faulted == 0 {
		t.Error("no fault was injected; the test proves nothing")
	}
}

// checkChaosEstate compares state with the emulator: counts per kind, and ID sets.
func checkChaosEstate(t *testing.T, e *acctest.Env, s *tfState) error {
	t.Helper()
	st := e.Emulator.Stats()
	if st.Faulted == 0 {
		return fmt.Errorf("no fault was injected during apply")
	}
	t.Logf("apply: %d requests faulted", st.Faulted)

	stateIDs := map[string][]string{}
	for _, rs := range s.RootModule().Resources {
		kind, ok := chaosTypes[rs.Type]
		if !ok {
			return fmt.Errorf("unexpected resource type %s in state", rs.Type)
		}
		stateIDs[kind] = append(stateIDs[kind], rs.Primary.ID)
	}
	counts := e.Emulator.Counts("acme")
	want := map[string]int{
		"plans": chaosWorkspaces, "workspaces": chaosWorkspaces,
		"domains":        chaosWorkspaces * chaosDomainsPerWS,
		"firewall_rules": chaosWorkspaces * chaosRulesPerWS,
		"static_ips":     chaosWorkspaces * chaosStaticIPsPerW,
	}
	total := 0
	for kind, n := range want {
		if len(stateIDs[kind]) != n {
			return fmt.Errorf("state holds %d %s, the configuration declares %d", len(stateIDs[kind]), kind, n)
		}
		if counts[kind] != n {
			return fmt.Errorf("the emulator holds %d %s, state holds %d (duplicates or orphans)", counts[kind], kind, n)
		}
		total += n
	}
	if total != chaosTotal {
		return fmt.Errorf("total %d, want %d", total, chaosTotal)
	}

	apiIDs, err := listChaosIDs(e)
	if err != nil {
		return err
	}
	for kind := range want {
		if d := diffIDs(stateIDs[kind], apiIDs[kind]); d != "" {
			return fmt.Errorf("%s: state and API disagree: %s", kind, d)
		}
	}
	return nil
}

// listChaosIDs lists every object of the organization through the API, with
// a retrying client, since faults are still on.
func listChaosIDs(e *acctest.Env) (map[string][]string, error) {
	c, err := client.New(client.Config{Endpoint: e.URL, Token: acctest.Token, MaxRetries: 20,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 200 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	out := map[string][]string{}
	plans, err := c.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		out["plans"] = append(out["plans"], p.ID)
	}
	wss, err := c.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range wss {
		out["workspaces"] = append(out["workspaces"], w.ID)
		ds, err := c.ListDomains(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out["domains"] = append(out["domains"], d.ID)
		}
		fs, err := c.ListFirewallRules(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			out["firewall_rules"] = append(out["firewall_rules"], f.ID)
		}
		ips, err := c.ListStaticIPs(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		for _, ip := range ips {
			out["static_ips"] = append(out["static_ips"], ip.ID)
		}
	}
	return out, nil
}

// diffIDs describes how two ID lists differ ("" when they hold the same
// IDs, each once).
func diffIDs(state, api []string) string {
	var msgs []string
	for name, ids := range map[string][]string{"state": state, "API": api} {
		sorted := slices.Clone(ids)
		sort.Strings(sorted)
		for i := 1; i < len(sorted); i++ {
			if sorted[i] == sorted[i-1] {
				msgs = append(msgs, fmt.Sprintf("%s lists %s twice", name, sorted[i]))
			}
		}
	}
	inState := map[string]bool{}
	for _, id := range state {
		inState[id] = true
	}
	inAPI := map[string]bool{}
	for _, id := range api {
		inAPI[id] = true
		if !inState[id] {
			msgs = append(msgs, "orphan (in the API, not in state): "+id)
		}
	}
	for _, id := range state {
		if !inAPI[id] {
			msgs = append(msgs, "missing (in state, not in the API): "+id)
		}
	}
	sort.Strings(msgs)
	return strings.Join(msgs, "; ")
}

func TestDiffIDs(t *testing.T) {
	if d := diffIDs([]string{"a", "b"}, []string{"b", "a"}); d != "" {
		t.Fatalf("same sets: %q", d)
	}
	d := diffIDs([]string{"a", "b", "b"}, []string{"a", "c"})
	for _, want := range []string{"state lists b twice", "orphan (in the API, not in state): c", "missing (in state, not in the API): b"} {
		if !strings.Contains(d, want) {
			t.Errorf("%q does not report %q", d, want)
		}
	}
}
