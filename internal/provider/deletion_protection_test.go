package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// protectedConfig is a workspace on its plan tier, with extra attributes
// (deletion_protection is left to its default, true, unless extra sets it)
// and extra top-level blocks after it.
func protectedConfig(e *acctest.Env, subdomain, planRef, attrs, blocks string) string {
	return e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  tier = "standard"
}

resource "rocketchat_workspace" "test" {
  name      = "Acme Chat"
  subdomain = %q
  plan_id   = %s
  %s
}
%s`, subdomain, planRef, attrs, blocks)
}

// Every plan that would delete a protected workspace fails at plan time,
// naming why and the two ways out, and the emulator sees no mutating
// request: a destroy, a removed resource block, a removed block, a subdomain
// change, a plan_id change, and turning protection off in the same plan as
// any of them. Lifting it on its own works; then the workspace can go.
func TestAccWorkspace_deletionProtectionAtPlan(t *testing.T) {
	e := acctest.New(t)
	const addr = "rocketchat_workspace.test"
	base := protectedConfig(e, "acme-chat", "rocketchat_plan_tier.test.id", "", "")
	refused := func(cfg, why, undo string, destroy bool) resource.TestStep {
		return resource.TestStep{
			PreConfig:   e.Reset(),
			Config:      cfg,
			Destroy:     destroy,
			ExpectError: errorRE(`Workspace is protected from deletion .* has deletion_protection = true, and ` + why + `.* Nothing was changed. .*set deletion_protection = false and apply that change on its own first.*to keep it: ` + undo),
		}
	}
	noMutations := resource.TestStep{PreConfig: e.CheckNoMutations(), Config: base, PlanOnly: true}
	otherPlan := `resource "rocketchat_plan_tier" "other" {
  tier = "standard"
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: base,
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(addr, "deletion_protection", knownvalue.Bool(true)),
					expectAttr(addr, "skip_final_export", knownvalue.Bool(false)),
				},
			},
			refused(base, `this plan destroys it`, `do not destroy it`, true),
			noMutations,
			refused(e.ProviderConfig()+`resource "rocketchat_plan_tier" "test" { tier = "standard" }`, `this plan destroys it`, `do not destroy it`, false),
			noMutations,
			refused(e.ProviderConfig()+`
resource "rocketchat_plan_tier" "test" { tier = "standard" }
removed {
  from = rocketchat_workspace.test
  lifecycle { destroy = true }
}`, `this plan destroys it`, `.*removed. block with .lifecycle { destroy = false }`, false),
			noMutations,
			refused(protectedConfig(e, "acme-chat-2", "rocketchat_plan_tier.test.id", "", ""),
				`this plan replaces it .*subdomain changes from "acme-chat" to "acme-chat-2"`, `set subdomain back to "acme-chat"`, false),
			noMutations,
			refused(protectedConfig(e, "acme-chat", "rocketchat_plan_tier.other.id", "", otherPlan),
				`this plan replaces it .*plan_id changes from "pln-[0-9a-f]+" to a value known only after apply`, `set plan_id back to "pln-`, false),
			noMutations,
			// Lifting protection and deleting in one plan: refused too.
			refused(protectedConfig(e, "acme-chat-2", "rocketchat_plan_tier.test.id", "deletion_protection = false", ""),
				`this plan replaces it`, `set subdomain back`, false),
			noMutations,
			{
				// Lifting it is an apply of its own: an in-place update.
				Config: protectedConfig(e, "acme-chat", "rocketchat_plan_tier.test.id", "deletion_protection = false", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: apiProtection(e, addr, false),
			},
			{
				// Now the replacement goes ahead.
				Config: protectedConfig(e, "acme-chat-2", "rocketchat_plan_tier.test.id", "deletion_protection = false", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
	if n := e.Emulator.Counts("acme")["workspaces"]; n != 0 {
		t.Errorf("after destroy the emulator still holds %d workspace(s)", n)
	}
}

// apiProtection checks the API's flag of the workspace at addr.
func apiProtection(e *acctest.Env, addr string, want bool) resource.TestCheckFunc {
	return func(s *tfState) error {
		id := s.RootModule().Resources[addr].Primary.ID
		w, err := e.Client().GetWorkspace(context.Background(), id)
		if err != nil {
			return err
		}
		if w.DeletionProtection != want {
			return fmt.Errorf("the API's deletion_protection of %s is %v, want %v", id, w.DeletionProtection, want)
		}
		return nil
	}
}

// Protection turned off outside Terraform shows in the next plan and is
// put back; an import reads the real flag.
func TestAccWorkspace_deletionProtectionDriftAndImport(t *testing.T) {
	e := acctest.New(t)
	const addr = "rocketchat_workspace.test"
	cfg := protectedConfig(e, "acme-chat", "rocketchat_plan_tier.test.id", "", "")
	var id string
	off := false
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *tfState) error {
					id = s.RootModule().Resources[addr].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() {
					if _, err := e.Client().UpdateWorkspace(context.Background(), id, api.WorkspaceInput{DeletionProtection: &off}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				}},
				Check: apiProtection(e, addr, true),
			},
			{
				// Import reads the API's flag (true) and skip_final_export's default.
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// An unprotected workspace imports as unprotected: its
				// configuration must say so, or the next plan turns it on.
				PreConfig: func() {
					if _, err := e.Client().UpdateWorkspace(context.Background(), id, api.WorkspaceInput{DeletionProtection: &off}); err != nil {
						t.Fatal(err)
					}
				},
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "", // the state's ID
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["deletion_protection"]; got != "false" {
						return fmt.Errorf("imported deletion_protection = %q, want false (the API's)", got)
					}
					return nil
				},
			},
			{Config: acctest.Unprotected(cfg)},
		},
	})
}

// The final export before a delete: lifting protection then destroying
// leaves a completed export of the deleted workspace; skip_final_export
// deletes without one.
func TestAccWorkspace_finalExport(t *testing.T) {
	for _, skip := range []bool{false, true} {
		t.Run(fmt.Sprintf("skip_final_export=%v", skip), func(t *testing.T) {
			e := acctest.New(t)
			attrs := fmt.Sprintf("deletion_protection = false\n  skip_final_export = %v", skip)
			cfg := protectedConfig(e, "acme-chat", "rocketchat_plan_tier.test.id", attrs, "")
			var id string
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config: cfg,
					Check: func(s *tfState) error {
						id = s.RootModule().Resources["rocketchat_workspace.test"].Primary.ID
						return nil
					},
				}},
				CheckDestroy: func(*tfState) error {
					exports := e.Emulator.Stats().Requests["POST "+api.RouteExports]
					if skip && exports != 0 {
						return fmt.Errorf("skip_final_export = true, yet %d export(s) were requested", exports)
					}
					if !skip && exports != 1 {
						return fmt.Errorf("%d final export(s) requested, want 1", exports)
					}
					return nil
				},
			})
			if n := e.Emulator.Counts("acme")["workspaces"]; n != 0 {
				t.Fatalf("the workspace was not deleted (%d left)", n)
			}
			if !skip {
				got := e.Emulator.Exports("acme", id)
				if len(got) != 1 || got[0].Status != api.ExportCompleted || !got[0].IncludeFiles || !strings.Contains(got[0].DownloadURL, id) {
					t.Fatalf("the deleted workspace's exports: %+v", got)
				}
			}
		})
	}
}
