package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

const ruleAddr = "rocketchat_firewall_rule.test"

func ruleConfig(e *acctest.Env, tier, body string) string {
	return childConfig(e, tier, fmt.Sprintf(`
resource "rocketchat_firewall_rule" "test" {
  workspace_id = rocketchat_workspace.test.id
  %s
}
`, body))
}

func TestAccFirewallRule_basic(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: ruleConfig(e, "premium", `
  cidr       = "203.0.113.0/24"
  action     = "allow"
  port_range = "443"
  priority   = 100
`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ruleAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^fw-`))),
					expectAttr(ruleAddr, "cidr", knownvalue.StringExact("203.0.113.0/24")),
					expectAttr(ruleAddr, "action", knownvalue.StringExact("allow")),
					expectAttr(ruleAddr, "protocol", knownvalue.StringExact("tcp")),
					expectAttr(ruleAddr, "port_range", knownvalue.StringExact("443")),
					expectAttr(ruleAddr, "priority", knownvalue.Int64Exact(100)),
					expectAttr(ruleAddr, "description", knownvalue.Null()),
					expectAttr(ruleAddr, "created_at", knownvalue.NotNull()),
				},
			},
			{
				ResourceName:      ruleAddr,
				ImportState:       true,
				ImportStateIdFunc: childImportID(ruleAddr),
				ImportStateVerify: true,
			},
			{
				// Everything but workspace_id changes in place.
				Config: ruleConfig(e, "premium", `
  cidr        = "198.51.100.0/24"
  action      = "deny"
  protocol    = "udp"
  port_range  = "8000-8100"
  priority    = 200
  description = "block the lab"
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ruleAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ruleAddr, "cidr", knownvalue.StringExact("198.51.100.0/24")),
					expectAttr(ruleAddr, "action", knownvalue.StringExact("deny")),
					expectAttr(ruleAddr, "protocol", knownvalue.StringExact("udp")),
					expectAttr(ruleAddr, "port_range", knownvalue.StringExact("8000-8100")),
					expectAttr(ruleAddr, "priority", knownvalue.Int64Exact(200)),
					expectAttr(ruleAddr, "description", knownvalue.StringExact("block the lab")),
				},
			},
			{
				// Removing optional values clears them (PATCH sends the full rule).
				Config: ruleConfig(e, "premium", `
  cidr     = "198.51.100.0/24"
  action   = "deny"
  protocol = "icmp"
  priority = 200
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ruleAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ruleAddr, "port_range", knownvalue.Null()),
					expectAttr(ruleAddr, "description", knownvalue.Null()),
				},
			},
		},
	})
}

func TestAccFirewallRule_ipv6(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: ruleConfig(e, "premium", `
  cidr     = "2001:db8::/32"
  action   = "deny"
  protocol = "any"
  priority = 1
`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ruleAddr, "cidr", knownvalue.StringExact("2001:db8::/32")),
					expectAttr(ruleAddr, "protocol", knownvalue.StringExact("any")),
					expectAttr(ruleAddr, "port_range", knownvalue.Null()),
				},
			},
			{ResourceName: ruleAddr, ImportState: true, ImportStateIdFunc: childImportID(ruleAddr), ImportStateVerify: true},
		},
	})
}

func TestAccFirewallRule_disappears(t *testing.T) {
	e := acctest.New(t)
	cfg := ruleConfig(e, "premium", `
  cidr     = "203.0.113.0/24"
  action   = "allow"
  priority = 10
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: disappearsSteps(t, cfg, ruleAddr, func(ws, id string) error {
			return e.Client().DeleteFirewallRule(context.Background(), ws, id)
		}),
	})
}

func TestAccFirewallRule_malformedImportID(t *testing.T) {
	e := acctest.New(t)
	cfg := ruleConfig(e, "premium", `
  cidr     = "203.0.113.0/24"
  action   = "allow"
  priority = 10
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    []resource.TestStep{malformedImportStep(cfg, ruleAddr, "firewall_rule")},
	})
}

// Rule inputs the API would refuse fail at plan time, before any request.
func TestAccFirewallRule_invalidInputAtPlan(t *testing.T) {
	e := acctest.New(t)
	for name, tc := range map[string]struct{ body, want string }{
		"host bits set": {
			`cidr = "10.0.0.1/24"` + "\naction = \"allow\"\npriority = 1",
			`(?s)Invalid cidr.*` + words(`"10.0.0.1/24" has host bits set for a /24 prefix; the canonical form is "10.0.0.0/24"`),
		},
		"ipv6 host bits set": {
			`cidr = "2001:db8::1/32"` + "\naction = \"allow\"\npriority = 1",
			words(`"2001:db8::1/32" has host bits set for a /32 prefix; the canonical form is "2001:db8::/32"`),
		},
		"not a cidr": {
			`cidr = "10.0.0.0"` + "\naction = \"allow\"\npriority = 1",
			words(`"10.0.0.0" is not a valid CIDR block: the prefix length is missing (add /N)`),
		},
		"prefix length too long": {
			`cidr = "10.0.0.0/33"` + "\naction = \"allow\"\npriority = 1",
			words(`"10.0.0.0/33" is not a valid CIDR block: prefix length 33 exceeds 32 for IPv4`),
		},
		"octet too large": {
			`cidr = "10.0.0.300/32"` + "\naction = \"allow\"\npriority = 1",
			words(`"10.0.0.300/32" is not a valid CIDR block: octet 300 exceeds 255`),
		},
		"port range with icmp": {
			`cidr = "10.0.0.0/8"` + "\naction = \"allow\"\nprotocol = \"icmp\"\nport_range = \"443\"\npriority = 1",
			`(?s)Invalid port_range.*` + words(`a port range needs protocol "tcp" or "udp", not "icmp"`),
		},
		"port range with any": {
			`cidr = "10.0.0.0/8"` + "\naction = \"allow\"\nprotocol = \"any\"\nport_range = \"1-10\"\npriority = 1",
			words(`a port range needs protocol "tcp" or "udp", not "any"`),
		},
		"reversed port range": {
			`cidr = "10.0.0.0/8"` + "\naction = \"allow\"\nport_range = \"90-80\"\npriority = 1",
			words(`"90-80" is not a port or port range`),
		},
		"unknown action": {
			`cidr = "10.0.0.0/8"` + "\naction = \"drop\"\npriority = 1",
			`(?s)action.*value must be one of`,
		},
		"priority out of range": {
			`cidr = "10.0.0.0/8"` + "\naction = \"allow\"\npriority = 10001",
			`(?s)priority.*between 1 and 10000`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config:      ruleConfig(e, "premium", tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	if n := e.Mutations(); n != 0 {
		t.Errorf("emulator saw %d mutating requests; want 0", n)
	}
}

// Priorities are unique per workspace: the API's 409 lands on priority.
func TestAccFirewallRule_duplicatePriority(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: childConfig(e, "premium", `
resource "rocketchat_firewall_rule" "a" {
  workspace_id = rocketchat_workspace.test.id
  cidr         = "10.0.0.0/8"
  action       = "allow"
  priority     = 100
}

resource "rocketchat_firewall_rule" "b" {
  workspace_id = rocketchat_workspace.test.id
  cidr         = "192.168.0.0/16"
  action       = "deny"
  priority     = 100
}
`),
			ExpectError: regexp.MustCompile(`(?s)Cannot create firewall rule.*priority\s+=\s+100.*` +
				`priority 100 is already used by\s+firewall\s+rule\s+fw-`),
		}},
	})
}

const fwGateMessage = `Custom firewall rules need the premium or dedicated tier; workspace %s is on the standard tier. Remove the firewall rules, or upgrade its plan tier to "premium" (in an apply of its own first: the plan-time check sees the current tier)`

// A workspace that already exists: the tier gate fails `terraform plan`, on
// workspace_id, before any mutating request.
func TestAccFirewallRule_tierGateAtPlan(t *testing.T) {
	e := acctest.New(t)
	before := childConfig(e, "standard", "")
	after := ruleConfig(e, "standard", "cidr = \"10.0.0.0/8\"\naction = \"allow\"\npriority = 1")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: tierGateSteps(e, before, after, regexp.MustCompile(`(?s)Tier rule violated.*workspace_id.*`+
			fmt.Sprintf(words(fwGateMessage), `"ws-[^"]+"`))),
	})
}

// A workspace created in the same apply: its ID is unknown at plan time, so
// the gate holds at apply, with the same words, and no rule is created.
// (Terraform plans the rule again during apply, once the workspace ID is
// known, so the provider's check refuses it before the POST; the API would
// refuse it with the same catalog message.)
func TestAccFirewallRule_tierGateAtApply(t *testing.T) {
	e := acctest.New(t)
	cfg := ruleConfig(e, "standard", "cidr = \"10.0.0.0/8\"\naction = \"allow\"\npriority = 1")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)workspace_id.*` + fmt.Sprintf(words(fwGateMessage), `"ws-[^"]+"`)),
			},
			{
				PreConfig: func() {
					counts := e.Emulator.Counts("acme")
					if counts["firewall_rules"] != 0 || counts["workspaces"] != 1 {
						t.Errorf("after the failed apply: %v; want 1 workspace and no firewall rule", counts)
					}
				},
				Config: childConfig(e, "standard", ""),
			},
		},
	})
}

// Hundreds of rules per workspace must be cheap: a refresh answers every
// rule from one listing of the workspace's rules (one page here), and
// planning makes no other call.
func TestAccFirewallRule_refreshListsOncePerWorkspace(t *testing.T) {
	const n = 20
	e := acctest.New(t)
	cfg := childConfig(e, "premium", fmt.Sprintf(`
resource "rocketchat_firewall_rule" "test" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  cidr         = "10.${count.index}.0.0/16"
  action       = "allow"
  priority     = count.index + 1
}
`, n))
	ruleGet := "GET " + api.RouteFirewallRule
	ruleList := "GET " + api.RouteFirewallRules
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			// A PlanOnly step runs one plan without refresh and one with.
			{PreConfig: e.Reset(), Config: cfg, PlanOnly: true},
			{
				PreConfig: func() {
					st := e.Emulator.Stats()
					if got := st.Requests[ruleGet]; got != 0 {
						t.Errorf("%q: %d requests, want 0 (the listing answers); all: %v", ruleGet, got, st.Requests)
					}
					if got := st.Requests[ruleList]; got != 1 {
						t.Errorf("%q: %d requests, want 1; all: %v", ruleList, got, st.Requests)
					}
					// The rules, their workspace and its plan: one listing each.
					if st.Reads != 3 || st.Mutating != 0 {
						t.Errorf("reads %d, mutating %d; want 3 and 0: %v", st.Reads, st.Mutating, st.Requests)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}
