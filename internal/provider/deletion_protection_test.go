package provider_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
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
				// Any other client: a raw DELETE is a 409 naming the field.
				Check: func(s *tfState) error {
					err := e.Client().DeleteWorkspace(context.Background(), s.RootModule().Resources[addr].Primary.ID)
					if !errors.Is(err, client.ErrConflict) || !slices.ContainsFunc(client.FieldErrors(err), func(f api.FieldError) bool {
						return f.Field == "deletion_protection" && f.Rule == api.RuleDeletionProtected
					}) {
						return fmt.Errorf("a raw DELETE of the protected workspace answered %v; want a 409 naming deletion_protection", err)
					}
					return apiProtection(e, addr, true)(s)
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

// destroy plans and applies the destroy of one object, as Terraform does:
// a null proposed state and configuration, then a null planned state.
func (p *proto) destroy(name string, prior *tfprotov6.DynamicValue) (*tfprotov6.PlanResourceChangeResponse, *tfprotov6.ApplyResourceChangeResponse) {
	p.t.Helper()
	typ := p.resourceType(name)
	null := p.dvOf(typ, tftypes.NewValue(typ, nil))
	plan, err := p.srv.PlanResourceChange(p.ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: name, PriorState: prior, ProposedNewState: null, Config: null,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	if errorsOf(plan.Diagnostics) != "" {
		return plan, nil
	}
	resp, err := p.srv.ApplyResourceChange(p.ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: name, PriorState: prior, PlannedState: plan.PlannedState, Config: null, PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return plan, resp
}

// The final export at the protocol level: the destroy of an imported,
// unprotected workspace first takes an export; one the API refuses stops the
// delete with the workspace untouched; one that completes is reported in a
// warning with its download link and expiry, and stays readable after the
// workspace is gone.
func TestProtocolWorkspaceFinalExport(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: "standard", Region: "us-east"})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Final", Subdomain: "final-ws", PlanID: plan.ID, DeletionProtection: &off})
	if err != nil {
		t.Fatal(err)
	}
	const name = "rocketchat_workspace"
	imported := p.importByIdentity(name, map[string]string{"id": ws.ID})
	p.noErrors("import", imported.Diagnostics)
	st := p.attrs(p.resourceType(name), imported.NewState)
	var protected, skip bool
	if err := st["deletion_protection"].As(&protected); err != nil || protected {
		t.Fatalf("imported deletion_protection %v (%v), want the API's false", st["deletion_protection"], err)
	}
	if err := st["skip_final_export"].As(&skip); err != nil || skip {
		t.Fatalf("imported skip_final_export %v (%v), want false", st["skip_final_export"], err)
	}

	// A gateway in front of the API refuses the export: no delete.
	gw := p.env.Proxy()
	gw.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/exports") {
				w.Header().Set("Content-Type", api.ProblemContentType)
				w.WriteHeader(http.StatusConflict)
				_, _ = w.Write([]byte(`{"title":"Conflict","status":409,"detail":"exports are paused"}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})()
	p.configureAt(gw.URL)
	p.env.Emulator.ResetStats()
	if _, resp := p.destroy(name, imported.NewState); !strings.Contains(errorsOf(resp.Diagnostics), "Workspace not deleted: its final export failed") ||
		!strings.Contains(errorsOf(resp.Diagnostics), "exports are paused") {
		t.Fatalf("a refused export did not stop the delete: %q", errorsOf(resp.Diagnostics))
	}
	if n := p.env.Mutations(); n != 0 {
		t.Fatalf("the emulator saw %d mutating request(s) after the export was refused: %v", n, p.env.Emulator.Stats().Requests)
	}
	if _, err := c.GetWorkspace(ctx, ws.ID); err != nil {
		t.Fatalf("the workspace is gone after a refused export: %v", err)
	}

	p.configure()
	_, resp := p.destroy(name, imported.NewState)
	p.noErrors("destroy", resp.Diagnostics)
	exports := p.env.Emulator.Exports("acme", ws.ID)
	if len(exports) != 1 || exports[0].Status != api.ExportCompleted || exports[0].DownloadURL == "" || exports[0].ExpiresAt == nil {
		t.Fatalf("the deleted workspace's exports: %+v", exports)
	}
	var warning string
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.HasPrefix(d.Summary, "Final export of workspace "+ws.ID) {
			warning = d.Detail
		}
	}
	for _, want := range []string{exports[0].ID, exports[0].DownloadURL, exports[0].ExpiresAt.UTC().Format(time.RFC3339)} {
		if !strings.Contains(warning, want) {
			t.Fatalf("the final export's warning does not name %q:\n%s", want, warning)
		}
	}
	if _, err := c.GetWorkspace(ctx, ws.ID); !client.IsNotFound(err) {
		t.Fatalf("the workspace is not deleted: %v", err)
	}
	// The export outlives the workspace: a client reads it by its ID.
	got, err := c.GetExport(ctx, ws.ID, exports[0].ID)
	if err != nil || got.DownloadURL != exports[0].DownloadURL {
		t.Fatalf("the final export after the delete: %+v %v", got, err)
	}
}

// A plan tier under a protected workspace (one this configuration does not
// manage) is not planned away: its destroy or replacement fails at plan
// time, with no mutating request, naming the workspace and the ways out.
func TestAccPlanTier_underProtectedWorkspace(t *testing.T) {
	e := acctest.New(t)
	cfg := func(region string) string {
		return e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  tier   = "premium"
  region = %q
}
`, region)
	}
	var wsID string
	refused := errorRE(`Plan tier is under a protected workspace .* runs workspace ws-[0-9a-f]+ \(elsewhere\), which has deletion_protection = true, and this plan (destroys|replaces) it`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: cfg("us-east"),
				Check: func(s *tfState) error {
					w, err := e.Client().CreateWorkspace(context.Background(), api.WorkspaceInput{
						Name: "Elsewhere", Subdomain: "elsewhere", PlanID: s.RootModule().Resources["rocketchat_plan_tier.test"].Primary.ID})
					if err == nil {
						wsID = w.ID
					}
					return err
				},
			},
			{PreConfig: e.Reset(), Config: cfg("us-east"), Destroy: true, ExpectError: refused},
			{PreConfig: e.CheckNoMutations(), Config: cfg("eu-west"), ExpectError: refused},
			{
				PreConfig: func() {
					e.CheckNoMutations()()
					off := false
					ctx := context.Background()
					if _, err := e.Client().UpdateWorkspace(ctx, wsID, api.WorkspaceInput{DeletionProtection: &off}); err != nil {
						t.Fatal(err)
					}
					if err := e.Client().DeleteWorkspace(ctx, wsID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("us-east"),
			},
		},
	})
}

// A replacement that ModifyPlan cannot see (a tainted workspace, or
// -replace) reaches the apply: the delete refuses a workspace protected in
// state before any request, and nothing is exported or deleted.
func TestAccWorkspace_deletionProtectionTainted(t *testing.T) {
	e := acctest.New(t)
	const addr = "rocketchat_workspace.test"
	cfg := protectedConfig(e, "acme-chat", "rocketchat_plan_tier.test.id", "", "")
	var id string
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
				PreConfig:   e.Reset(),
				Config:      cfg,
				Taint:       []string{addr},
				ExpectError: errorRE(`Workspace is protected from deletion .* this apply deletes it \(a replacement .*tainted workspace, or .-replace.\)`),
			},
			{
				// Lifted outside Terraform: the tainted workspace is replaced.
				PreConfig: func() {
					e.CheckNoMutations()()
					off := false
					if _, err := e.Client().UpdateWorkspace(context.Background(), id, api.WorkspaceInput{DeletionProtection: &off}); err != nil {
						t.Fatal(err)
					}
				},
				Config: acctest.Unprotected(cfg),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}
