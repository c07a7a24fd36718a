package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// upgradeEstate is a plan tier, its workspace and (from premium on) one child
// of each kind, with an output that reads every attribute of every resource:
// any attribute left stale by another resource's apply changes the output,
// which makes the next plan non-empty.
func upgradeEstate(e *acctest.Env, tier string, children bool) string {
	cfg := e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "p" {
  tier = %q
}

resource "rocketchat_workspace" "w" {
  name      = "Acme"
  subdomain = "acme-up"
  plan_id   = rocketchat_plan_tier.p.id
}

resource "rocketchat_custom_domain" "d" {
  workspace_id = rocketchat_workspace.w.id
  hostname     = "chat.acme.example.com"
}
`, tier)
	all := "plan = rocketchat_plan_tier.p\n    workspace = rocketchat_workspace.w\n    domain = rocketchat_custom_domain.d"
	if children {
		cfg += `
resource "rocketchat_firewall_rule" "f" {
  workspace_id = rocketchat_workspace.w.id
  cidr         = "203.0.113.0/24"
  action       = "allow"
  priority     = 10
}

resource "rocketchat_static_ip" "s" {
  workspace_id = rocketchat_workspace.w.id
  purpose      = "outbound"
}
`
		all += "\n    rule = rocketchat_firewall_rule.f\n    ip = rocketchat_static_ip.s"
	}
	// sensitive: the workspace object holds the (null) write-only password.
	return cfg + fmt.Sprintf("\noutput \"all\" {\n  sensitive = true\n  value = {\n    %s\n  }\n}\n", all)
}

// After each upgrade step (standard -> premium -> dedicated), every attribute
// of every resource is right at the end of the apply: the plan that follows
// (the framework's post-apply plan, and an explicit one) is empty, outputs
// included. The workspace carries no copy of the plan's tier that could lag.
func TestAccUpgradeLeavesNoStaleAttribute(t *testing.T) {
	e := acctest.New(t)
	planID := statecheck.CompareValue(compare.ValuesSame())
	wsID := statecheck.CompareValue(compare.ValuesSame())
	step := func(tier string, children bool) resource.TestStep {
		return resource.TestStep{
			Config: upgradeEstate(e, tier, children),
			ConfigStateChecks: []statecheck.StateCheck{
				planID.AddStateValue("rocketchat_plan_tier.p", tfjsonpath.New("id")),
				wsID.AddStateValue("rocketchat_workspace.w", tfjsonpath.New("id")),
				expectAttr("rocketchat_plan_tier.p", "tier", knownvalue.StringExact(tier)),
				expectAttr("rocketchat_plan_tier.p", "status", knownvalue.StringExact("active")),
				expectAttr("rocketchat_workspace.w", "status", knownvalue.StringExact("ready")),
			},
		}
	}
	empty := func(tier string, children bool) resource.TestStep {
		return resource.TestStep{
			Config:           upgradeEstate(e, tier, children),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}
	}
	dedicated := step("dedicated", true)
	dedicated.PreConfig = e.ApproveWhilePending
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			step("standard", false), empty("standard", false),
			step("premium", false), empty("premium", false),
			step("premium", true), empty("premium", true),
			dedicated, empty("dedicated", true),
		},
	})
}

// Several new children of one workspace in one plan are counted together
// against the tier's quota: the plan fails, before any mutating request.
func TestAccChildQuotaCountsEveryCreateOfThePlan(t *testing.T) {
	premium, _ := catalog.Lookup(catalog.Premium)
	standard, _ := catalog.Lookup(catalog.Standard)
	for _, tc := range []struct {
		name, tier, children string
		quota                int
		noun                 string
	}{
		{"static_ip", "premium", `
resource "rocketchat_static_ip" "n" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  purpose      = "outbound"
}
`, premium.StaticIPQuota, "static IPs"},
		{"custom_domain", "standard", `
resource "rocketchat_custom_domain" "n" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  hostname     = "chat${count.index}.example.com"
}
`, standard.CustomDomainQuota, "custom domains"},
		{"firewall_rule", "premium", `
resource "rocketchat_firewall_rule" "n" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  cidr         = "10.${floor(count.index / 250)}.${count.index %% 250}.0/24"
  action       = "allow"
  priority     = count.index + 1
}
`, premium.FirewallRuleQuota, "firewall rules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := acctest.New(t)
			want := regexp.MustCompile(`(?s)Tier quota exceeded.*` + fmt.Sprintf(words(fmt.Sprintf(
				"the %s tier allows at most %d %s per workspace and workspace %%s already has 0; this plan adds %d more",
				tc.tier, tc.quota, tc.noun, tc.quota+1)), `"ws-[^"]+"`))
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{
					{Config: childConfig(e, tc.tier, "")},
					{PreConfig: e.Reset(), Config: childConfig(e, tc.tier, fmt.Sprintf(tc.children, tc.quota+1)), PlanOnly: true, ExpectError: want},
					{
						// Exactly the quota plans cleanly: the count is per create, not off by one.
						PreConfig:          e.CheckNoMutations(),
						Config:             childConfig(e, tc.tier, fmt.Sprintf(tc.children, tc.quota)),
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}

// Replacing a child at the quota counts as neither a create nor a removal:
// Terraform plans a replacement twice (the second time with no prior state),
// and the second plan must not count it as one more static IP.
func TestAccChildQuotaReplacementAtQuota(t *testing.T) {
	e := acctest.New(t)
	premium, _ := catalog.Lookup(catalog.Premium)
	ips := func(purpose string) string {
		return childConfig(e, "premium", fmt.Sprintf(`
resource "rocketchat_static_ip" "n" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  purpose      = count.index == 0 ? %q : "outbound"
}
`, premium.StaticIPQuota, purpose))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: ips("outbound")},
			{
				Config: ips("load_balancer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_static_ip.n[0]", plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// Non-positive timeouts are refused at plan time, on the attribute, before
// anything is created (they used to create the workspace and report it timed out).
func TestAccTimeoutsMustBePositive(t *testing.T) {
	e := acctest.New(t)
	cfg := func(timeouts string) string {
		return e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme", "timeouts {\n"+timeouts+"\n}")
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg(`create = "0s"`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid timeouts.create.*"0s" is not a positive duration`)},
			{Config: cfg(`create = "-5m"`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid timeouts.create.*"-5m" is not a positive duration`)},
			{Config: cfg(`delete = "0s"`), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Invalid timeouts.delete.*"0s" is not a positive duration`)},
			{
				Config: e.ProviderConfig() + planConfig("tier = \"premium\"\ntimeouts {\n update = \"-1s\"\n}"), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Invalid timeouts.update.*"-1s" is not a positive duration`),
			},
			{PreConfig: e.CheckNoMutations(), Config: cfg(`create = "5m"`), PlanOnly: true, ExpectNonEmptyPlan: true},
		},
	})
}

// Reserved hostnames (the platform's own domain) and trailing dots are
// refused at plan time on hostname, with no mutating request; the API
// refuses the same names (internal/client tests).
func TestAccCustomDomain_reservedAndTrailingDotAtPlan(t *testing.T) {
	e := acctest.New(t)
	cfg := func(host string) string {
		return childConfig(e, "standard", fmt.Sprintf(`
resource "rocketchat_custom_domain" "test" {
  workspace_id = rocketchat_workspace.test.id
  hostname     = %q
}
`, host))
	}
	var steps []resource.TestStep
	for host, want := range map[string]string{
		"victim.rocket.chat": `"victim.rocket.chat" is reserved`,
		"rocket.chat":        `"rocket.chat" is reserved`,
		"api.rocket.chat":    `"api.rocket.chat" is reserved`,
		"chat.example.com.":  `remove the trailing dot ("chat.example.com")`,
	} {
		steps = append(steps, resource.TestStep{Config: cfg(host), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)Invalid hostname.*` + words(want))})
	}
	steps = append(steps, resource.TestStep{PreConfig: e.CheckNoMutations(), Config: cfg("chat.example.com"), PlanOnly: true, ExpectNonEmptyPlan: true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    steps,
	})
}

// Adding many children to an existing workspace reads the workspace once per
// Terraform run for all their gates (or not at all when the run's refresh
// already read it), not once per child and run: the apply costs about one
// request per rule.
func TestAccChildGatesReadTheWorkspaceOncePerRun(t *testing.T) {
	e := acctest.New(t)
	const n = 12
	rules := childConfig(e, "premium", fmt.Sprintf(`
resource "rocketchat_firewall_rule" "n" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  cidr         = "10.0.${count.index}.0/24"
  action       = "allow"
  priority     = count.index + 1
}
`, n))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: childConfig(e, "premium", "")},
			{
				PreConfig: e.Reset(),
				Config:    rules,
				Check: func(*tfState) error {
					reqs := e.Emulator.Stats().Requests
					// The runs of this step (plan, apply) each refresh the workspace once
					// or read it once for the gates: a handful, whatever n is.
					if got := reqs["GET "+api.RouteWorkspace]; got > 3 {
						return fmt.Errorf("%d reads of the workspace for %d new rules; want at most 3 (%v)", got, n, reqs)
					}
					if got := reqs["POST "+api.RouteFirewallRules]; got != n {
						return fmt.Errorf("%d rule creates, want %d", got, n)
					}
					return nil
				},
			},
		},
	})
}
