package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// The real CLI flows of Terraform 1.12-1.14 through terraform-plugin-testing.
// They skip, with a reason `make test` counts, on a CLI without the feature
// (acctest.RequireFeature); CI runs them with Terraform 1.14 and fails on any
// such skip. The protocol tests (*_protocol_test.go) cover the same features
// on every CLI, and cli_workflows_test.go drives what the framework cannot
// (generated configuration, -invoke).

// workflowConfig is a Premium workspace with one child of each kind.
func workflowConfig(e *acctest.Env, extra string) string {
	return childConfig(e, "premium", `
resource "rocketchat_custom_domain" "test" {
  workspace_id = rocketchat_workspace.test.id
  hostname     = "chat.workflows.example"
}

resource "rocketchat_firewall_rule" "test" {
  workspace_id = rocketchat_workspace.test.id
  cidr         = "203.0.113.0/24"
  action       = "allow"
  port_range   = "443"
  priority     = 10
}

resource "rocketchat_static_ip" "test" {
  workspace_id = rocketchat_workspace.test.id
  purpose      = "outbound"
}
`+extra)
}

var workflowResources = []string{
	"rocketchat_plan_tier.test", "rocketchat_workspace.test",
	"rocketchat_custom_domain.test", "rocketchat_firewall_rule.test", "rocketchat_static_ip.test",
}

// Needs Terraform 1.12+: every resource's identity is in state and matches
// its attributes, and `import { identity = {...} }` imports each one with a
// no-op plan.
func TestAccIdentity_importByIdentity(t *testing.T) {
	acctest.RequireFeature(t, acctest.FeatureIdentity)
	e := acctest.New(t)
	cfg := workflowConfig(e, "")
	var checks []statecheck.StateCheck
	for _, addr := range workflowResources {
		checks = append(checks, statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")))
	}
	for _, addr := range workflowResources[2:] {
		checks = append(checks, statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("workspace_id")))
	}
	steps := []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}}
	for _, addr := range workflowResources {
		steps = append(steps, resource.TestStep{
			Config:          cfg,
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
		})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    steps,
	})
}

// Needs Terraform 1.14+: `terraform query` lists an existing estate (made
// outside Terraform, as when adopting one) with identities and filters.
func TestAccQuery_listsWithIdentities(t *testing.T) {
	acctest.RequireFeature(t, acctest.FeatureListResources)
	e := acctest.New(t)
	ctx := context.Background()
	c := e.Client()
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: "us-east"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Adopted", Subdomain: "adopted", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	e.Emulator.ApproveAll()
	for i, action := range []string{"allow", "deny"} {
		if _, err := c.CreateFirewallRule(ctx, ws.ID, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: action, Protocol: "tcp", Priority: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: e.ProviderConfig()},
			{
				// A query step adds its list blocks (a .tfquery.hcl file) to the
				// previous step's configuration, which already holds the
				// provider block: repeating it is "Duplicate provider
				// configuration" under Terraform 1.14. terraform-plugin-testing
				// v1.16 ignores GenerateConfig in query steps:
				// TestAccCLI_queryGenerateConfig runs -generate-config-out.
				Query: true,
				Config: fmt.Sprintf(`
list "rocketchat_plan_tier" "premium" {
  provider         = rocketchat
  include_resource = true
  config {
    tier = "premium"
  }
}

list "rocketchat_workspace" "ready" {
  provider         = rocketchat
  include_resource = true
  config {
    status = "ready"
  }
}

list "rocketchat_firewall_rule" "allowed" {
  provider         = rocketchat
  include_resource = true
  config {
    workspace_id = %q
    action       = "allow"
  }
}
`, ws.ID),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("rocketchat_plan_tier.premium", 1),
					querycheck.ExpectIdentity("rocketchat_plan_tier.premium", map[string]knownvalue.Check{"id": knownvalue.StringExact(plan.ID)}),
					querycheck.ExpectLength("rocketchat_workspace.ready", 1),
					querycheck.ExpectIdentity("rocketchat_workspace.ready", map[string]knownvalue.Check{"id": knownvalue.StringExact(ws.ID)}),
					querycheck.ExpectLength("rocketchat_firewall_rule.allowed", 1),
					querycheck.ExpectIdentity("rocketchat_firewall_rule.allowed", map[string]knownvalue.Check{
						"workspace_id": knownvalue.StringExact(ws.ID), "id": knownvalue.NotNull(),
					}),
				},
			},
		},
	})
}

// Needs Terraform 1.14+: an action triggered by a resource's lifecycle
// reaches the API: creating the workspace requests its first export.
func TestAccAction_exportAfterCreate(t *testing.T) {
	acctest.RequireFeature(t, acctest.FeatureActions)
	e := acctest.New(t)
	cfg := e.ProviderConfig() + `
resource "rocketchat_plan_tier" "test" {
  tier = "standard"
}

resource "rocketchat_workspace" "test" {
  name      = "Acme Chat"
  subdomain = "acme-chat"
  plan_id   = rocketchat_plan_tier.test.id

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.rocketchat_workspace_export.first]
    }
  }
}

action "rocketchat_workspace_export" "first" {
  config {
    workspace_id  = rocketchat_workspace.test.id
    include_files = true
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(*terraform.State) error {
				if n := e.Emulator.Stats().Requests["POST "+api.RouteExports]; n != 1 {
					return fmt.Errorf("the action requested %d exports, want 1", n)
				}
				return nil
			},
		}},
	})
}
