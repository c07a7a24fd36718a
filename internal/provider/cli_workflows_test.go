package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// The flows terraform-plugin-testing v1.16 cannot drive (it ignores
// GenerateConfig in query steps and has no `apply -invoke`), run with the
// real CLI (TF_ACC_TERRAFORM_PATH or terraform on PATH) in working
// directories of their own, offline, with the provider built into a
// filesystem mirror and the emulator in-process. Each skips, with a reason
// `make test` counts, on a CLI without the feature; CI runs them with
// Terraform 1.14 and fails on any such skip.

// estate is a Premium workspace with one object of each child type, made
// through the API (outside Terraform), as an estate a team adopts.
type estate struct {
	plan, workspace, domain, rule, ip string // IDs
	txtName, txtValue                 string // the domain's verification record
}

func (s estate) ids() []string { return []string{s.plan, s.workspace, s.domain, s.rule, s.ip} }

func adoptEstate(t *testing.T, e *acctest.Env) estate {
	t.Helper()
	ctx := context.Background()
	c := e.Client()
	var s estate
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: "us-east"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Adopted", Subdomain: "adopted", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	e.Emulator.ApproveAll()
	d, err := c.CreateDomain(ctx, ws.ID, api.DomainInput{Hostname: "chat.adopted.example"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateFirewallRule(ctx, ws.ID, api.FirewallRuleInput{CIDR: "203.0.113.0/24", Action: "allow", Protocol: "tcp", PortRange: "443", Priority: 10})
	if err != nil {
		t.Fatal(err)
	}
	ip, err := c.CreateStaticIP(ctx, ws.ID, api.StaticIPInput{Purpose: "outbound"})
	if err != nil {
		t.Fatal(err)
	}
	s.plan, s.workspace, s.domain, s.rule, s.ip = plan.ID, ws.ID, d.ID, r.ID, ip.ID
	s.txtName, s.txtValue = d.VerificationRecord.Name, d.VerificationRecord.Value
	return s
}

// expectImportPlan checks a saved plan imports exactly the objects with
// these IDs and proposes nothing else (N to import, 0 to add, change or
// destroy).
func expectImportPlan(t *testing.T, p *tfjson.Plan, human string, ids []string) {
	t.Helper()
	var imported []string
	for _, rc := range p.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if !rc.Change.Actions.NoOp() {
			t.Errorf("%s: %v, want no-op (an import that plans a change would alter the adopted object)", rc.Address, rc.Change.Actions)
		}
		if rc.Change.Importing == nil {
			t.Errorf("%s is not imported", rc.Address)
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		id, _ := after["id"].(string)
		imported = append(imported, id)
	}
	slices.Sort(imported)
	want := slices.Sorted(slices.Values(ids))
	if !slices.Equal(imported, want) {
		t.Errorf("imported %v, want %v", imported, want)
	}
	summary := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", len(ids))
	if !strings.Contains(human, summary) {
		t.Errorf("the plan does not say %q:\n%s", summary, human)
	}
}

// importThenPlanEmpty is the second half of every adoption: in dir (which
// holds the import blocks and resource blocks), plan the import of exactly
// ids, apply it without a single mutating request to the API, and plan again:
// empty.
func importThenPlanEmpty(t *testing.T, e *acctest.Env, dir *acctest.WorkDir, ids []string) {
	t.Helper()
	dir.Init()
	p, human := dir.Plan("import.tfplan")
	expectImportPlan(t, p, human, ids)
	if t.Failed() {
		t.FailNow()
	}
	e.Emulator.ResetStats()
	dir.Run("apply", "-input=false", "-no-color", "import.tfplan")
	if n := e.Mutations(); n != 0 {
		t.Errorf("importing sent %d mutating request(s) to the API, want 0 (%v)", n, e.Emulator.Stats().Requests)
	}
	var inState []string
	for _, r := range dir.State().Values.RootModule.Resources {
		inState = append(inState, r.AttributeValues["id"].(string))
	}
	slices.Sort(inState)
	if want := slices.Sorted(slices.Values(ids)); !slices.Equal(inState, want) {
		t.Errorf("state holds %v, want %v", inState, want)
	}
	dir.ExpectEmptyPlan()
}

// `terraform query -generate-config-out` over every list resource writes a
// configuration that, in a fresh working directory, imports each listed
// object (N to import, nothing else), applies without touching the API, and
// then plans empty.
func TestAccCLI_queryGenerateConfig(t *testing.T) {
	cli := acctest.RequireFeature(t, acctest.FeatureListResources)
	e := acctest.New(t)
	s := adoptEstate(t, e)
	q := e.WorkDir(t, cli, map[string]string{
		"main.tf": acctest.RequiredProviders,
		"adopt.tfquery.hcl": fmt.Sprintf(`
list "rocketchat_plan_tier" "all" {
  provider         = rocketchat
  include_resource = true
}

list "rocketchat_workspace" "all" {
  provider         = rocketchat
  include_resource = true
}

list "rocketchat_custom_domain" "all" {
  provider         = rocketchat
  include_resource = true
  config {
    workspace_id = %[1]q
  }
}

list "rocketchat_firewall_rule" "all" {
  provider         = rocketchat
  include_resource = true
  config {
    workspace_id = %[1]q
  }
}

list "rocketchat_static_ip" "all" {
  provider         = rocketchat
  include_resource = true
  config {
    workspace_id = %[1]q
  }
}
`, s.workspace),
	})
	q.Init()
	out := q.Run("query", "-no-color", "-generate-config-out=generated.tf")
	// Each object is listed under its display name.
	for _, want := range []string{"premium in us-east (" + s.plan, "Adopted (", "chat.adopted.example (pending)",
		"#10 allow tcp from 203.0.113.0/24 port 443", "(outbound)"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query does not list %q:\n%s", want, out)
		}
	}
	generated := q.Read("generated.tf")
	if n := strings.Count(generated, "import {"); n != len(s.ids()) {
		t.Fatalf("generated.tf has %d import blocks, want %d:\n%s", n, len(s.ids()), generated)
	}
	if n := strings.Count(generated, "identity = {"); n != len(s.ids()) {
		t.Errorf("generated.tf has %d imports by identity, want %d:\n%s", n, len(s.ids()), generated)
	}
	// The write-only admin password is never listed: Terraform writes it as null.
	if m := regexp.MustCompile(`admin_password_wo\s*=\s*(\S+)`).FindStringSubmatch(generated); m == nil || m[1] != "null" {
		t.Errorf("generated.tf does not set the write-only admin password to null:\n%s", generated)
	}

	a := e.WorkDir(t, cli, map[string]string{"main.tf": acctest.RequiredProviders, "generated.tf": generated})
	importThenPlanEmpty(t, e, a, s.ids())
}

// Every resource type imports by identity (`import { identity = {...} }`)
// into a configuration written by hand: N to import and nothing else, no
// request that changes anything, then an empty plan.
func TestAccCLI_importByIdentity(t *testing.T) {
	cli := acctest.RequireFeature(t, acctest.FeatureIdentity)
	e := acctest.New(t)
	s := adoptEstate(t, e)
	a := e.WorkDir(t, cli, map[string]string{
		"main.tf": acctest.RequiredProviders + `
resource "rocketchat_plan_tier" "team" {
  tier   = "premium"
  region = "us-east"
}

resource "rocketchat_workspace" "team" {
  name      = "Adopted"
  subdomain = "adopted"
  plan_id   = rocketchat_plan_tier.team.id
}

resource "rocketchat_custom_domain" "chat" {
  workspace_id = rocketchat_workspace.team.id
  hostname     = "chat.adopted.example"
}

resource "rocketchat_firewall_rule" "https" {
  workspace_id = rocketchat_workspace.team.id
  cidr         = "203.0.113.0/24"
  action       = "allow"
  protocol     = "tcp"
  port_range   = "443"
  priority     = 10
}

resource "rocketchat_static_ip" "egress" {
  workspace_id = rocketchat_workspace.team.id
  purpose      = "outbound"
}
`,
		"imports.tf": fmt.Sprintf(`
import {
  to       = rocketchat_plan_tier.team
  identity = { id = %[1]q }
}

import {
  to       = rocketchat_workspace.team
  identity = { id = %[2]q }
}

import {
  to       = rocketchat_custom_domain.chat
  identity = { workspace_id = %[2]q, id = %[3]q }
}

import {
  to       = rocketchat_firewall_rule.https
  identity = { workspace_id = %[2]q, id = %[4]q }
}

import {
  to       = rocketchat_static_ip.egress
  identity = { workspace_id = %[2]q, id = %[5]q }
}
`, s.plan, s.workspace, s.domain, s.rule, s.ip),
	})
	importThenPlanEmpty(t, e, a, s.ids())
}

// actionsConfig is a Premium workspace with a custom domain, and one action
// of each type on them; extra is appended.
const actionsConfig = acctest.RequiredProviders + `
resource "rocketchat_plan_tier" "team" {
  tier = "premium"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
%s}

resource "rocketchat_custom_domain" "chat" {
  workspace_id = rocketchat_workspace.team.id
  hostname     = "chat.actions.example"
}

action "rocketchat_workspace_export" "team" {
  config {
    workspace_id  = rocketchat_workspace.team.id
    include_files = true
  }
}

action "rocketchat_custom_domain_verify" "chat" {
  config {
    workspace_id     = rocketchat_custom_domain.chat.workspace_id
    custom_domain_id = rocketchat_custom_domain.chat.id
  }
}
%s`

// publishTXT creates the custom domain's verification record in the
// emulator's DNS, as the user would at their DNS provider.
func publishTXT(t *testing.T, e *acctest.Env, dir *acctest.WorkDir) {
	t.Helper()
	for _, r := range dir.State().Values.RootModule.Resources {
		if r.Address == "rocketchat_custom_domain.chat" {
			rec := r.AttributeValues["verification_record"].(map[string]any)
			e.Emulator.PublishTXT(rec["name"].(string), rec["value"].(string))
			return
		}
	}
	t.Fatal("rocketchat_custom_domain.chat is not in state")
}

// domainStatus is the custom domain's verification status, as the API has it.
func domainStatus(t *testing.T, e *acctest.Env, dir *acctest.WorkDir) string {
	t.Helper()
	for _, r := range dir.State().Values.RootModule.Resources {
		if r.Address == "rocketchat_custom_domain.chat" {
			d, err := e.Client().GetDomain(context.Background(), r.AttributeValues["workspace_id"].(string), r.AttributeValues["id"].(string))
			if err != nil {
				t.Fatal(err)
			}
			return d.Status
		}
	}
	t.Fatal("rocketchat_custom_domain.chat is not in state")
	return ""
}

func exportRequests(e *acctest.Env) int { return e.Emulator.Stats().Requests["POST "+api.RouteExports] }

// Both actions run on request with `terraform apply -invoke`, report their
// progress, and reach the API once each; a verification without the TXT
// record fails with the record to create and changes nothing.
func TestAccCLI_actionsByInvoke(t *testing.T) {
	cli := acctest.RequireFeature(t, acctest.FeatureActions)
	e := acctest.New(t)
	e.ApproveWhilePending()
	dir := e.WorkDir(t, cli, map[string]string{"main.tf": fmt.Sprintf(actionsConfig, "", "")})
	dir.Init()
	dir.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if n := exportRequests(e); n != 0 {
		t.Fatalf("apply without -invoke requested %d export(s)", n)
	}

	out := dir.Run("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.rocketchat_workspace_export.team")
	if n := exportRequests(e); n != 1 {
		t.Errorf("-invoke requested %d export(s), want 1", n)
	}
	if !regexp.MustCompile(`Export \S+ is complete; download it from the Rocket.Chat Cloud console until`).MatchString(out) {
		t.Errorf("no progress message of the export:\n%s", out)
	}

	out, code := dir.Exec("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.rocketchat_custom_domain_verify.chat")
	if code == 0 || !strings.Contains(out, "_rocketchat-challenge.chat.actions.example") {
		t.Errorf("verification without the TXT record: exit %d, want an error naming the record:\n%s", code, out)
	}
	if st := domainStatus(t, e, dir); st != api.StatusPending {
		t.Errorf("after a failed verification the domain is %q, want %q", st, api.StatusPending)
	}

	publishTXT(t, e, dir)
	out = dir.Run("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.rocketchat_custom_domain_verify.chat")
	if !strings.Contains(out, "chat.actions.example is verified") {
		t.Errorf("no progress message of the verification:\n%s", out)
	}
	if st := domainStatus(t, e, dir); st != api.StatusVerified {
		t.Errorf("after -invoke the domain is %q, want %q", st, api.StatusVerified)
	}
	if n := exportRequests(e); n != 1 {
		t.Errorf("%d export(s) requested in all, want 1", n)
	}
	dir.ExpectEmptyPlan()
}

// Both actions run from resources' lifecycles (`action_trigger`): creating
// the workspace requests its first export; creating the DNS record (here a
// terraform_data standing in for the user's DNS provider) verifies the
// domain. Neither runs again on a later apply.
func TestAccCLI_actionsByTrigger(t *testing.T) {
	cli := acctest.RequireFeature(t, acctest.FeatureActions)
	e := acctest.New(t)
	e.ApproveWhilePending()
	exportTrigger := `
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.rocketchat_workspace_export.team]
    }
  }
`
	dir := e.WorkDir(t, cli, map[string]string{"main.tf": fmt.Sprintf(actionsConfig, exportTrigger, "")})
	dir.Init()
	dir.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if n := exportRequests(e); n != 1 {
		t.Errorf("creating the workspace requested %d export(s), want 1", n)
	}
	if st := domainStatus(t, e, dir); st != api.StatusPending {
		t.Fatalf("the domain is %q before its record exists, want %q", st, api.StatusPending)
	}

	publishTXT(t, e, dir)
	dir.Write("main.tf", fmt.Sprintf(actionsConfig, exportTrigger, `
resource "terraform_data" "txt_record" {
  input = rocketchat_custom_domain.chat.verification_record

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.rocketchat_custom_domain_verify.chat]
    }
  }
}
`))
	dir.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if st := domainStatus(t, e, dir); st != api.StatusVerified {
		t.Errorf("after the record was created the domain is %q, want %q", st, api.StatusVerified)
	}
	if n := exportRequests(e); n != 1 {
		t.Errorf("%d export(s) requested in all, want 1 (the trigger ran again)", n)
	}
	dir.ExpectEmptyPlan()
}
