package provider_test

import (
	"context"
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
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

const ipAddr = "rocketchat_static_ip.test"

func staticIPConfig(e *acctest.Env, tier, body string) string {
	return childConfig(e, tier, fmt.Sprintf(`
resource "rocketchat_static_ip" "test" {
  workspace_id = rocketchat_workspace.test.id
  %s
}
`, body))
}

// Premium gets addresses from the shared pool.
func TestAccStaticIP_premiumShared(t *testing.T) {
	e := acctest.New(t)
	address := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: staticIPConfig(e, "premium", `purpose = "outbound"`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ipAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^ip-`))),
					expectAttr(ipAddr, "purpose", knownvalue.StringExact("outbound")),
					expectAttr(ipAddr, "address", knownvalue.StringRegexp(regexp.MustCompile(`^198\.18\.\d+\.\d+$`))),
					expectAttr(ipAddr, "dedicated", knownvalue.Bool(false)),
					expectAttr(ipAddr, "description", knownvalue.Null()),
					expectAttr(ipAddr, "created_at", knownvalue.NotNull()),
					address.AddStateValue(ipAddr, tfjsonpath.New("address")),
				},
			},
			{
				ResourceName:      ipAddr,
				ImportState:       true,
				ImportStateIdFunc: childImportID(ipAddr),
				ImportStateVerify: true,
			},
			{
				// The description changes in place; the address is kept.
				Config: staticIPConfig(e, "premium", "purpose = \"outbound\"\ndescription = \"allow-listed by the CRM\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ipAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ipAddr, "description", knownvalue.StringExact("allow-listed by the CRM")),
					address.AddStateValue(ipAddr, tfjsonpath.New("address")),
				},
			},
			{
				// The purpose is fixed: a new purpose is a new static IP.
				Config: staticIPConfig(e, "premium", "purpose = \"load_balancer\"\ndescription = \"allow-listed by the CRM\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(ipAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ipAddr, "purpose", knownvalue.StringExact("load_balancer")),
				},
			},
		},
	})
}

// Dedicated gets addresses of its own.
func TestAccStaticIP_dedicated(t *testing.T) {
	e := acctest.New(t)
	e.ApproveWhilePending()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: staticIPConfig(e, "dedicated", `purpose = "load_balancer"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(ipAddr, "dedicated", knownvalue.Bool(true)),
				expectAttr(ipAddr, "address", knownvalue.StringRegexp(regexp.MustCompile(`^198\.19\.\d+\.\d+$`))),
			},
		}},
	})
}

func TestAccStaticIP_disappears(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: disappearsSteps(t, staticIPConfig(e, "premium", `purpose = "outbound"`), ipAddr, func(ws, id string) error {
			return e.Client().DeleteStaticIP(context.Background(), ws, id)
		}),
	})
}

func TestAccStaticIP_malformedImportID(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    []resource.TestStep{malformedImportStep(staticIPConfig(e, "premium", `purpose = "outbound"`), ipAddr, "static_ip")},
	})
}

const ipGateMessage = `Static outbound and load-balancer IPs need the premium or dedicated tier; workspace %s is on the standard tier. Remove the static IPs, or upgrade its plan tier to "premium" (in an apply of its own first: the plan-time check sees the current tier)`

func TestAccStaticIP_tierGateAtPlan(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: tierGateSteps(e, childConfig(e, "standard", ""), staticIPConfig(e, "standard", `purpose = "outbound"`),
			regexp.MustCompile(`(?s)Tier rule violated.*workspace_id.*`+fmt.Sprintf(words(ipGateMessage), `"ws-[^"]+"`))),
	})
}

func TestAccStaticIP_tierGateAtApply(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      staticIPConfig(e, "standard", `purpose = "outbound"`),
				ExpectError: regexp.MustCompile(`(?s)workspace_id.*` + fmt.Sprintf(words(ipGateMessage), `"ws-[^"]+"`)),
			},
			{
				PreConfig: func() {
					if counts := e.Emulator.Counts("acme"); counts["static_ips"] != 0 || counts["workspaces"] != 1 {
						t.Errorf("after the failed apply: %v; want 1 workspace and no static IP", counts)
					}
				},
				Config: childConfig(e, "standard", ""),
			},
		},
	})
}

// The Premium tier's static IP quota holds at plan time on an existing workspace.
func TestAccStaticIP_premiumQuotaAtPlan(t *testing.T) {
	e := acctest.New(t)
	premium, _ := catalog.Lookup(catalog.Premium)
	quota := premium.StaticIPQuota
	ips := func(n int) string {
		return childConfig(e, "premium", fmt.Sprintf(`
resource "rocketchat_static_ip" "test" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  purpose      = "outbound"
}
`, n))
	}
	want := fmt.Sprintf(`(?s)Tier quota exceeded.*`+words(`the premium tier allows at most %d static IPs per workspace and workspace %s already has %d; remove 1 of them, or upgrade its plan tier to "dedicated"`),
		quota, `"ws-[^"]+"`, quota)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    tierGateSteps(e, ips(quota), ips(quota+1), regexp.MustCompile(want)),
	})
}

// More static IPs than the quota, all new in one apply on a new workspace:
// no plan-time count can see them, so the quota holds at apply (the API
// counts what it holds), exactly the quota is allocated, and nothing is lost.
func TestAccStaticIP_quotaAtApplyWithinOneRun(t *testing.T) {
	e := acctest.New(t)
	premium, _ := catalog.Lookup(catalog.Premium)
	quota := premium.StaticIPQuota
	cfg := childConfig(e, "premium", fmt.Sprintf(`
resource "rocketchat_static_ip" "test" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  purpose      = "outbound"
}
`, quota+1))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)`+words(`the premium tier allows at most %d static IPs per workspace`), quota)),
			},
			{
				// Exactly the quota was allocated and tracked: the plan wants one more.
				PreConfig: func() {
					if n := e.Emulator.Counts("acme")["static_ips"]; n != quota {
						t.Errorf("%d static IPs allocated, want the quota %d", n, quota)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ExpectError:        regexp.MustCompile(`Tier quota exceeded`),
			},
		},
	})
	if n := e.Emulator.Counts("acme")["static_ips"]; n != 0 {
		t.Errorf("destroy left %d static IP(s)", n)
	}
}
