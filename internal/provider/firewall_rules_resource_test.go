package provider_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

const rulesAddr = "rocketchat_firewall_rules.test"

// rulesConfig is a workspace of the tier with a rule set of the given rules
// (HCL map entries).
func rulesConfig(e *acctest.Env, tier, rules string) string {
	return childConfig(e, tier, fmt.Sprintf(`
resource "rocketchat_firewall_rules" "test" {
  workspace_id = rocketchat_workspace.test.id
  rules = {
%s
  }
}
`, rules))
}

const threeRules = `
    "100" = { cidr = "203.0.113.0/24", action = "allow", port_range = "443", description = "office" }
    "200" = { cidr = "198.51.100.0/24", action = "allow", protocol = "udp", port_range = "10000-10100" }
    "900" = { cidr = "2001:db8::/32", action = "deny", protocol = "any" }
`

func expectRule(key, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(rulesAddr, tfjsonpath.New("rules").AtMapKey(key).AtMapKey(attr), v)
}

// expectRuleChanges checks that the plan changes exactly the rules of these
// keys (added, removed or changed) and leaves every other rule, computed ID
// included, as it is: no shift of the rules after a changed one.
type expectRuleChanges []string

func (want expectRuleChanges) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	ruleChangesOf{addr: rulesAddr, want: want}.CheckPlan(ctx, req, resp)
}

// ruleChangesOf is expectRuleChanges of any set's address.
type ruleChangesOf struct {
	addr string
	want []string
}

func (c ruleChangesOf) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := c.want
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		b, _ := before["rules"].(map[string]any)
		a, _ := after["rules"].(map[string]any)
		u, _ := unknown["rules"].(map[string]any)
		changed := map[string]bool{}
		for k, v := range b {
			if !reflect.DeepEqual(v, a[k]) {
				changed[k] = true
			}
		}
		for k, v := range a {
			if !reflect.DeepEqual(v, b[k]) {
				changed[k] = true
			}
		}
		for k, v := range u {
			if m, ok := v.(map[string]any); ok && len(m) > 0 && b[k] != nil {
				changed[k] = true // a kept rule whose ID would become unknown
			}
		}
		var got []string
		for k := range changed {
			got = append(got, k)
		}
		sort.Strings(got)
		w := slices.Clone(want)
		sort.Strings(w)
		if !slices.Equal(got, w) {
			resp.Error = fmt.Errorf("the plan changes rules %v, want exactly %v\nbefore: %v\nafter: %v\nunknown: %v", got, w, b, a, u)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// wsID reads the test workspace's ID from state.
func captureWorkspace(id *string) resource.TestCheckFunc {
	return func(s *tfState) error {
		rs, ok := s.RootModule().Resources["rocketchat_workspace.test"]
		if !ok {
			return fmt.Errorf("no workspace in state")
		}
		*id = rs.Primary.ID
		return nil
	}
}

// apiRules lists the workspace's rules by priority key.
func apiRules(t *testing.T, e *acctest.Env, wsID string) (map[string]api.FirewallRule, string) {
	t.Helper()
	set, err := e.Client().ListFirewallRuleSet(context.Background(), wsID)
	if err != nil {
		t.Fatalf("list rules: %v", err)
	}
	out := map[string]api.FirewallRule{}
	for _, fw := range set.Items {
		out[fmt.Sprint(fw.Priority)] = fw
	}
	return out, set.Version
}

// checkOnlyPut fails unless the requests since the last reset changed
// nothing but with one PUT of a rule set (no single-rule write).
func checkOnlyPut(t *testing.T, e *acctest.Env, puts int) func() {
	return func() {
		st := e.Emulator.Stats()
		if got := st.Requests["PUT "+api.RouteFirewallRules]; got != puts || st.Mutating != puts {
			t.Errorf("%d PUTs of the set and %d mutating requests; want %d and %d: %v", got, st.Mutating, puts, puts, st.Requests)
		}
	}
}

func TestAccFirewallRules_basic(t *testing.T) {
	e := acctest.New(t)
	var wsID string
	ids := map[string]string{}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		CheckDestroy: func(*tfState) error {
			ws, err := e.Client().GetWorkspace(context.Background(), wsID)
			if err == nil && (ws.Usage.FirewallRules != 0 || ws.FirewallRulesExclusive) {
				return fmt.Errorf("after destroy the workspace has %d rules, exclusive %v", ws.Usage.FirewallRules, ws.FirewallRulesExclusive)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: rulesConfig(e, "premium", threeRules),
				ConfigStateChecks: []statecheck.StateCheck{
					expectRule("100", "cidr", knownvalue.StringExact("203.0.113.0/24")),
					expectRule("100", "protocol", knownvalue.StringExact("tcp")),
					expectRule("100", "description", knownvalue.StringExact("office")),
					expectRule("100", "id", knownvalue.StringRegexp(regexp.MustCompile(`^fw-`))),
					expectRule("200", "protocol", knownvalue.StringExact("udp")),
					expectRule("900", "port_range", knownvalue.Null()),
					expectRule("900", "description", knownvalue.Null()),
					expectAttr(rulesAddr, "version", knownvalue.StringExact("1")),
				},
				Check: resource.ComposeTestCheckFunc(captureWorkspace(&wsID), resource.TestCheckResourceAttrPair(rulesAddr, "id", "rocketchat_workspace.test", "id"),
					func(*tfState) error {
						rules, _ := apiRules(t, e, wsID)
						for k, fw := range rules {
							ids[k] = fw.ID
						}
						ws, err := e.Client().GetWorkspace(context.Background(), wsID)
						if err != nil || !ws.FirewallRulesExclusive || len(rules) != 3 {
							return fmt.Errorf("after create: %d rules, workspace %+v, %v", len(rules), ws, err)
						}
						return nil
					}),
			},
			{
				ResourceName:      rulesAddr,
				ImportState:       true,
				ImportStateIdFunc: func(*tfState) (string, error) { return wsID, nil },
				ImportStateVerify: true,
			},
			{
				// Change one rule and insert another: two rules change in
				// the plan, none shifts, and the apply is one PUT.
				PreConfig: e.Reset(),
				Config: rulesConfig(e, "premium", strings.Replace(threeRules, `"198.51.100.0/24"`, `"198.51.100.0/25"`, 1)+`
    "150" = { cidr = "192.0.2.0/24", action = "deny" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(rulesAddr, plancheck.ResourceActionUpdate),
					expectRuleChanges{"150", "200"},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectRule("200", "cidr", knownvalue.StringExact("198.51.100.0/25")),
					expectRule("150", "id", knownvalue.StringRegexp(regexp.MustCompile(`^fw-`))),
				},
				Check: func(*tfState) error {
					checkOnlyPut(t, e, 1)()
					rules, _ := apiRules(t, e, wsID)
					for _, k := range []string{"100", "200", "900"} {
						if rules[k].ID != ids[k] {
							return fmt.Errorf("rule %s has ID %s, was %s: a kept rule was re-created", k, rules[k].ID, ids[k])
						}
					}
					return nil
				},
			},
			{
				// Removing one rule is that rule's change only.
				Config: rulesConfig(e, "premium", strings.Replace(threeRules, `"198.51.100.0/24"`, `"198.51.100.0/25"`, 1)[:strings.Index(threeRules, `    "900"`)]+`
    "150" = { cidr = "192.0.2.0/24", action = "deny" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectRuleChanges{"900"}}},
				Check: func(*tfState) error {
					if rules, _ := apiRules(t, e, wsID); len(rules) != 3 || rules["900"].ID != "" {
						return fmt.Errorf("after removing 900: %v", rules)
					}
					return nil
				},
			},
		},
	})
}

// A rule added, changed or removed outside Terraform shows as exactly that
// rule's change, and apply puts the set back.
func TestAccFirewallRules_drift(t *testing.T) {
	e := acctest.New(t)
	cfg := rulesConfig(e, "premium", threeRules)
	var wsID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureWorkspace(&wsID)},
			{
				PreConfig: func() {
					c, ctx := e.Client(), context.Background()
					rules, version := apiRules(t, e, wsID)
					// Another client: change 100, remove 200, add 500.
					in := []api.FirewallRuleInput{rules["900"].FirewallRuleInput,
						{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 500}}
					changed := rules["100"].FirewallRuleInput
					changed.Action = "deny"
					in = append(in, changed)
					if _, err := c.ReplaceFirewallRules(ctx, wsID, version, in); err != nil {
						t.Fatalf("out-of-band change: %v", err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectRuleChanges{"100", "200", "500"},
				}},
				Check: func(*tfState) error {
					rules, _ := apiRules(t, e, wsID)
					if len(rules) != 3 || rules["100"].Action != "allow" || rules["200"].ID == "" || rules["500"].ID != "" {
						return fmt.Errorf("apply did not put the set back: %+v", rules)
					}
					return nil
				},
			},
			{Config: cfg, PlanOnly: true},
			{
				// The whole workspace gone: the set leaves the state.
				PreConfig: func() {
					if err := e.Client().DeleteWorkspace(context.Background(), wsID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A saved plan applied after the rules changed out of band fails, says so
// and how to re-plan, and changes nothing; the next plan shows the change.
func TestAccFirewallRules_staleSavedPlan(t *testing.T) {
	e := acctest.New(t)
	var wsID string
	edited := rulesConfig(e, "premium", strings.Replace(threeRules, `"office"`, `"head office"`, 1))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: rulesConfig(e, "premium", threeRules), Check: captureWorkspace(&wsID)},
			{
				Config: edited,
				// Between `terraform plan -out` and applying that plan file,
				// someone changes rule 200.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{outOfBand(func() {
					rules, _ := apiRules(t, e, wsID)
					in := rules["200"].FirewallRuleInput
					in.CIDR = "198.51.100.0/26"
					if _, err := e.Client().UpdateFirewallRule(context.Background(), wsID, rules["200"].ID, in); err != nil {
						t.Fatal(err)
					}
					e.Emulator.ResetStats()
				})}},
				ExpectError: regexp.MustCompile(`(?s)Firewall rules changed since the plan.*` + words("Nothing was changed. Run `terraform plan`") +
					`.*412.*version "2", not "1"`),
			},
			{
				PreConfig: func() {
					if st := e.Emulator.Stats(); st.Mutating != 1 {
						t.Errorf("%d mutating requests, want 1 (the refused PUT): %v", st.Mutating, st.Requests)
					}
					rules, _ := apiRules(t, e, wsID)
					if rules["100"].Description != "office" || rules["200"].CIDR != "198.51.100.0/26" {
						t.Errorf("the refused apply changed the rules: %+v", rules)
					}
				},
				Config: edited,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectRuleChanges{"100", "200"},
				}},
			},
			{Config: edited, PlanOnly: true},
		},
	})
}

// outOfBand runs a change as a plan check, i.e. between plan and apply.
type outOfBand func()

func (f outOfBand) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}

// Every rule check runs at plan, every error at once, each on its rule's
// attribute, before any request changes anything. (Each subtest plans the
// same configuration and finds one of its errors: all are in every plan.)
func TestAccFirewallRules_invalidRulesAtPlan(t *testing.T) {
	e := acctest.New(t)
	bad := rulesConfig(e, "premium", `
    "10"  = { cidr = "10.0.0.1/24", action = "allow" }
    "20"  = { cidr = "10.0.0.0/8", action = "drop", protocol = "icmp", port_range = "22" }
    "30"  = { cidr = "10.0.0.0/8", action = "allow", port_range = "90-80" }
    "040" = { cidr = "10.0.0.0/8", action = "allow" }
    "0"   = { cidr = "10.0.0.0/8", action = "allow", description = "" }
`)
	for name, want := range map[string]string{
		"host bits":           `(?s)Invalid rules\["10"\]\.cidr.*` + words(`the canonical form is "10.0.0.0/24"`),
		"unknown action":      `(?s)rules\["20"\]\.action value must be one of`,
		"port with icmp":      `(?s)Invalid rules\["20"\]\.port_range.*` + words(`a port range needs protocol "tcp" or "udp", not "icmp"`),
		"reversed range":      words(`"90-80" is not a port or port range`),
		"leading zero key":    words(`rules key "040" is not a priority`),
		"key out of range":    words(`rules key "0" is not a priority`),
		"empty description":   `(?s)rules\["0"\]\.description.*at least 1`,
		"one diagnostic each": `(?s)(Error: .*){7}`,
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps:                    []resource.TestStep{{Config: bad, PlanOnly: true, ExpectError: regexp.MustCompile(want)}},
			})
		})
	}
	if n := e.Mutations(); n != 0 {
		t.Errorf("emulator saw %d mutating requests; want 0", n)
	}
}

// On a workspace that exists, the tier gate and the tier's rule quota (for
// the whole set) fail the plan before any mutating request.
func TestAccFirewallRules_tierRulesAtPlan(t *testing.T) {
	t.Run("gate", func(t *testing.T) {
		e := acctest.New(t)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: e.Factories(),
			Steps: tierGateSteps(e, childConfig(e, "standard", ""), rulesConfig(e, "standard", threeRules),
				regexp.MustCompile(`(?s)Tier rule violated.*`+fmt.Sprintf(words(fwGateMessage), `"ws-[^"]+"`))),
		})
	})
	t.Run("quota", func(t *testing.T) {
		e := acctest.New(t)
		over := childConfig(e, "premium", `
resource "rocketchat_firewall_rules" "test" {
  workspace_id = rocketchat_workspace.test.id
  rules = { for i in range(251) : tostring(i + 1) => { cidr = "10.${floor(i / 256)}.${i % 256}.0/24", action = "allow" } }
}
`)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: e.Factories(),
			Steps: tierGateSteps(e, childConfig(e, "premium", ""), over, regexp.MustCompile(`(?s)Tier quota exceeded.*`+
				words(`the set holds 251 firewall rules, but the premium tier allows at most 250 per workspace`))),
		})
	})
}

// Sets across many workspaces: the tier gates of a walk read the workspaces
// with the walk's one listing, never one by one, so an apply costs one PUT per
// workspace plus a listing per walk (the old one-read-per-workspace gates
// made it three requests per workspace).
func TestAccFirewallRules_gatesReadWorkspacesOnce(t *testing.T) {
	e := acctest.New(t)
	const n = 4
	workspaces := e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  count = %d
  tier  = "premium"
}

resource "rocketchat_workspace" "test" {
  count               = length(rocketchat_plan_tier.test)
  name                = "Acme ${count.index}"
  subdomain           = "acme-${count.index}"
  plan_id             = rocketchat_plan_tier.test[count.index].id
  deletion_protection = false
}
`, n)
	sets := workspaces + `
resource "rocketchat_firewall_rules" "test" {
  count        = length(rocketchat_workspace.test)
  workspace_id = rocketchat_workspace.test[count.index].id
  rules = {
    "100" = { cidr = "203.0.113.0/24", action = "allow" }
    "200" = { cidr = "198.51.100.${count.index}/32", action = "deny" }
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: workspaces},
			{
				PreConfig: e.Reset(),
				Config:    sets,
				Check: func(*tfState) error {
					reqs := e.Emulator.Stats().Requests
					if got := reqs["PUT "+api.RouteFirewallRules]; got != n {
						return fmt.Errorf("%d PUTs of a set for %d workspaces; want one each (%v)", got, n, reqs)
					}
					if got := reqs["GET "+api.RouteWorkspace]; got != 0 {
						return fmt.Errorf("%d reads of one workspace; want 0: the gates take the walk's listing (%v)", got, reqs)
					}
					// One listing per walk of the step (its plan and its apply).
					if got := reqs["GET "+api.RouteWorkspaces]; got > 3 {
						return fmt.Errorf("%d workspace listings; want at most one per walk (%v)", got, reqs)
					}
					return nil
				},
			},
		},
	})
}

// While a set owns a workspace's rules, rocketchat_firewall_rule cannot add
// one: an error at plan time naming the set, before any request; a second
// set on the same workspace is refused the same way.
func TestAccFirewallRules_mixingCaughtAtPlan(t *testing.T) {
	e := acctest.New(t)
	set := rulesConfig(e, "premium", threeRules)
	single := set + `
resource "rocketchat_firewall_rule" "extra" {
  workspace_id = rocketchat_workspace.test.id
  cidr         = "10.0.0.0/8"
  action       = "allow"
  priority     = 300
}
`
	second := set + `
resource "rocketchat_firewall_rules" "second" {
  workspace_id = rocketchat_workspace.test.id
  rules        = {}
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: set},
			{PreConfig: e.Reset(), Config: single, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Workspace does not take this firewall rule.*` +
				words(`are owned by a rocketchat_firewall_rules set`) + `.*` + words(`add this rule to that set's rules`))},
			{Config: second, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Firewall rules already owned by a set.*` + words(`import that set here`))},
			{PreConfig: e.CheckNoMutations(), Config: set, PlanOnly: true},
		},
	})
}

// The guide "Moving firewall rules into a set", as written: its two
// configurations move a workspace from per-rule resources to one set with
// 0 rules deleted or re-created (one PUT that changes no rule, by the
// emulator's counters and request log), and the plan after is empty.
func TestAccFirewallRules_migrationGuide(t *testing.T) {
	e := acctest.New(t)
	read := func(name string) string {
		b, err := os.ReadFile("../../examples/guides/firewall-rules-set/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return e.ProviderConfig() + string(b)
	}
	var wsID string
	var before map[string]api.FirewallRule
	var moveStart time.Time
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)}, // removed blocks
		Steps: []resource.TestStep{
			{
				Config: read("before.tf"),
				Check: func(s *tfState) error {
					wsID = s.RootModule().Resources["rocketchat_workspace.team"].Primary.ID
					before, _ = apiRules(t, e, wsID)
					if len(before) != 3 {
						return fmt.Errorf("%d rules before the move", len(before))
					}
					return nil
				},
			},
			{
				PreConfig: func() { e.Emulator.ResetStats(); moveStart = time.Now() },
				Config:    read("after.tf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_firewall_rules.team", plancheck.ResourceActionUpdate),
					expectNoRuleChanges("rocketchat_firewall_rules.team"),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("rocketchat_firewall_rules.team", tfjsonpath.New("rules").AtMapKey("201").AtMapKey("cidr"),
						knownvalue.StringExact("192.0.2.0/28")),
				},
				Check: func(*tfState) error {
					st := e.Emulator.Stats()
					for _, r := range []string{"POST " + api.RouteFirewallRules, "PATCH " + api.RouteFirewallRule, "DELETE " + api.RouteFirewallRule, "DELETE " + api.RouteFirewallRules} {
						if st.Requests[r] != 0 {
							t.Errorf("the move sent %d %s", st.Requests[r], r)
						}
					}
					checkOnlyPut(t, e, 1)()
					puts := 0
					for _, entry := range e.Emulator.RequestLog("acme", emulator.DefaultRequestLogSize) {
						switch {
						case entry.Time.Before(moveStart) || entry.Method == "GET":
						case entry.Method == "PUT" && entry.Route == api.RouteFirewallRules && entry.Status == 200:
							puts++
						default:
							t.Errorf("the move sent %s %s (%d)", entry.Method, entry.Route, entry.Status)
						}
					}
					if puts != 1 {
						t.Errorf("the request log shows %d PUTs of the set, want 1", puts)
					}
					after, _ := apiRules(t, e, wsID)
					if len(after) != len(before) {
						return fmt.Errorf("%d rules after the move, %d before", len(after), len(before))
					}
					for k, fw := range before {
						if after[k] != fw {
							return fmt.Errorf("rule %s changed in the move: %+v, was %+v", k, after[k], fw)
						}
					}
					ws, err := e.Client().GetWorkspace(context.Background(), wsID)
					if err != nil || !ws.FirewallRulesExclusive {
						return fmt.Errorf("the set does not own the rules after the move: %+v %v", ws, err)
					}
					return nil
				},
			},
			{Config: read("after.tf"), PlanOnly: true},
			// The guide's workspace is protected, as users' are: lift it in
			// an apply of its own before the destroy that ends the test.
			{Config: acctest.Unprotected(read("after.tf"))},
		},
	})
}

// expectNoRuleChanges checks that a set's plan changes no rule.
func expectNoRuleChanges(addr string) plancheck.PlanCheck {
	return ruleChangesOf{addr: addr}
}
