package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

func workspaceConfig(tier, region, name, extra string) string {
	return fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  tier   = %q
  region = %q
}

resource "rocketchat_workspace" "test" {
  name                = %q
  subdomain           = "acme-chat"
  plan_id             = rocketchat_plan_tier.test.id
  deletion_protection = false
  %s
}
`, tier, region, name, extra)
}

func expectAttr(addr, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

func TestAccWorkspace_basic(t *testing.T) {
	e := acctest.New(t)
	const addr = "rocketchat_workspace.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(addr, "status", knownvalue.StringExact("ready")),
					expectAttr(addr, "url", knownvalue.StringExact("https://acme-chat.rocket.chat")),
					expectAttr(addr, "region", knownvalue.StringExact("us-east")),
					expectAttr(addr, "hosting_provider", knownvalue.StringExact("AWS")),
					expectAttr(addr, "data_location", knownvalue.StringExact("United States")),
					expectAttr(addr, "backup_processor", knownvalue.StringExact("MongoDB Cloud")),
					expectAttr(addr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^ws-`))),
				},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config: e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat (renamed)", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr(addr, "name", knownvalue.StringExact("Acme Chat (renamed)"))},
			},
			{
				// A second plan is empty: no drift from computed values.
				Config:   e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat (renamed)", ""),
				PlanOnly: true,
			},
			{
				// The subdomain is fixed at order time: changing it replaces the workspace.
				Config: strings.Replace(e.ProviderConfig()+workspaceConfig("standard", "us-east", "Acme Chat (renamed)", ""), `"acme-chat"`, `"acme-chat-2"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr(addr, "url", knownvalue.StringExact("https://acme-chat-2.rocket.chat"))},
			},
		},
	})
	if n := e.Emulator.Counts("acme")["workspaces"]; n != 0 {
		t.Errorf("after destroy the emulator still holds %d workspace(s)", n)
	}
}

func TestAccWorkspace_import_block(t *testing.T) {
	e := acctest.New(t)
	cfg := e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat", "")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// An import {} block, the Terraform 1.5+ way.
				Config:           cfg,
				ResourceName:     "rocketchat_workspace.test",
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionNoop)}},
			},
		},
	})
}

func TestAccWorkspace_disappears(t *testing.T) {
	e := acctest.New(t)
	cfg := e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat", "")
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *tfState) error {
					id = s.RootModule().Resources["rocketchat_workspace.test"].Primary.ID
					return nil
				},
			},
			{
				// Deleted behind Terraform's back: refresh drops it, the plan recreates it.
				PreConfig: func() {
					if err := e.Client().DeleteWorkspace(context.Background(), id); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

func TestAccWorkspace_premiumWaitsForProvisioning(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.ProviderConfig() + workspaceConfig("premium", "eu-west", "Acme EU", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("rocketchat_workspace.test", "status", knownvalue.StringExact("ready")),
				expectAttr("rocketchat_workspace.test", "hosting_provider", knownvalue.StringExact("OVH")),
				expectAttr("rocketchat_workspace.test", "data_location", knownvalue.StringExact("France")),
			},
		}},
	})
}

// A Dedicated workspace in a non-default region, with its plan, in one apply.
func TestAccWorkspace_dedicatedOneApply(t *testing.T) {
	e := acctest.New(t)
	e.ApproveWhilePending()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.ProviderConfig() + workspaceConfig("dedicated", "sa-east", "Acme Brazil", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("rocketchat_workspace.test", "status", knownvalue.StringExact("ready")),
				expectAttr("rocketchat_plan_tier.test", "tier", knownvalue.StringExact("dedicated")),
				expectAttr("rocketchat_workspace.test", "region", knownvalue.StringExact("sa-east")),
				expectAttr("rocketchat_workspace.test", "data_location", knownvalue.StringExact("Brazil")),
			},
		}},
	})
}

// Without approval the create times out, and the workspace stays tracked
// (tainted), never orphaned.
func TestAccWorkspace_createTimeoutKeepsTaintedObject(t *testing.T) {
	e := acctest.New(t)
	cfg := e.ProviderConfig() + workspaceConfig("dedicated", "sa-east", "Acme Brazil", `timeouts { create = "1s" }`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: errorRE(`manual approval.*tainted`),
			},
			{
				// The tainted workspace is replaced once an operator approves.
				PreConfig: e.ApproveWhilePending,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectAttr("rocketchat_workspace.test", "status", knownvalue.StringExact("ready"))},
			},
		},
	})
	if n := e.Emulator.Counts("acme")["workspaces"]; n != 0 {
		t.Errorf("destroy left %d untracked workspace(s) behind", n)
	}
}

func TestAccWorkspace_invalidInputAtPlan(t *testing.T) {
	e := acctest.New(t)
	for name, tc := range map[string]struct{ sub, want string }{
		"uppercase subdomain": {"Acme", `subdomain.*not a valid subdomain`},
		"too short":           {"ab", `not a valid subdomain`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config: e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" { tier = "standard" }
resource "rocketchat_workspace" "test" {
  name      = "x"
  subdomain = %q
  plan_id   = rocketchat_plan_tier.test.id
}`, tc.sub),
					PlanOnly:    true,
					ExpectError: errorRE(tc.want),
				}},
			})
		})
	}
	if n := e.Mutations(); n != 0 {
		t.Errorf("emulator saw %d mutating requests; want 0", n)
	}
}

// The initial admin password is write-only: it reaches the API, never the
// state, and is sent again only when its version changes.
func TestAccWorkspace_writeOnlyAdminPassword(t *testing.T) {
	e := acctest.New(t)
	cfg := func(pw string, version int) string {
		return e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat",
			fmt.Sprintf("admin_password_wo = %q\nadmin_password_wo_version = %d", pw, version))
	}
	passwordIs := func(want string, secrets ...string) func(*tfState) error {
		return func(s *tfState) error {
			ws := s.RootModule().Resources["rocketchat_workspace.test"].Primary
			if !e.Emulator.AdminPasswordIs(ws.ID, want) {
				return fmt.Errorf("the API does not hold the password %q", want)
			}
			for k, v := range ws.Attributes {
				for _, secret := range secrets {
					if strings.Contains(v, secret) {
						return fmt.Errorf("state attribute %s holds the write-only password", k)
					}
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg("First-Pass-1", 1),
				Check:  passwordIs("First-Pass-1", "First-Pass-1"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("rocketchat_workspace.test", "admin_password_wo", knownvalue.Null()),
				},
			},
			{
				// A new value under the same version is not sent: no diff, no call.
				Config: cfg("Second-Pass-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionNoop),
				}},
				Check: passwordIs("First-Pass-1", "First-Pass-1", "Second-Pass-2"),
			},
			{
				Config: cfg("Second-Pass-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionUpdate),
				}},
				Check: passwordIs("Second-Pass-2", "First-Pass-1", "Second-Pass-2"),
			},
		},
	})
}
