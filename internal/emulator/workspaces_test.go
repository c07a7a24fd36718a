package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

func TestWorkspaceCreate(t *testing.T) {
	h := newHarness(t)
	p := h.plan(tokA, api.PlanInput{Tier: "premium", Region: "eu-west"})
	var ws api.Workspace
	r := h.must(201, tokA, "POST", api.RouteWorkspaces,
		api.WorkspaceInput{Name: "Acme", Subdomain: "acme", PlanID: p.ID, AdminPassword: "s3cret-pw"}, &ws)
	if strings.Contains(string(r.Body), "s3cret") || strings.Contains(string(r.Body), "password\":") && !strings.Contains(string(r.Body), "admin_password_set") {
		t.Fatalf("password leaked: %s", r.Body)
	}
	want := api.Workspace{ID: ws.ID, Name: "Acme", Subdomain: "acme", PlanID: p.ID, Tier: "premium", Region: "eu-west",
		HostingProvider: "OVH", DataLocation: "France", BackupProcessor: catalog.BackupProcessor,
		URL: "https://acme.rocket.chat", Status: api.StatusReady, AdminPasswordSet: true, CreatedAt: h.clock.Now()} // immediate provisioning
	if ws != want || !strings.HasPrefix(ws.ID, "ws-") {
		t.Fatalf("got %+v\nwant %+v", ws, want)
	}
	var pl api.Plan
	h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, &pl)
	if pl.WorkspaceID != ws.ID {
		t.Fatalf("plan not attached: %+v", pl)
	}
	// Rules.
	pp := problem(t, h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "", Subdomain: "A_b", PlanID: ""}), 422)
	for _, f := range []string{"name", "subdomain", "plan_id"} {
		if !hasFieldError(pp, f, "") {
			t.Errorf("no error on %s: %+v", f, pp.Errors)
		}
	}
	pp = problem(t, h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "other", PlanID: "pln-nope"}), 422)
	if !hasFieldError(pp, "plan_id", "unknown_plan") {
		t.Fatalf("%+v", pp.Errors)
	}
	pp = problem(t, h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "other", PlanID: p.ID}), 409)
	if !strings.Contains(pp.Detail, ws.ID) {
		t.Fatalf("plan-in-use detail %q", pp.Detail)
	}
	// Subdomain is unique across organizations.
	pb := h.plan(tokB, api.PlanInput{Tier: "standard", Region: "us-east"})
	pp = problem(t, h.do(tokB, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "acme", PlanID: pb.ID}), 409)
	if !strings.Contains(pp.Detail, `"acme"`) {
		t.Fatalf("subdomain detail %q", pp.Detail)
	}
	var list api.List[api.Workspace]
	h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &list)
	if len(list.Items) != 1 || list.Items[0].Status != api.StatusReady {
		t.Fatalf("list %+v", list)
	}
}

func TestProvisioningModes(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{
			catalog.Standard:  {Mode: catalog.ProvisionImmediate},
			catalog.Premium:   {Mode: catalog.ProvisionDelayed, Delay: 10 * time.Second},
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		}
	})
	status := func(id string) string {
		var w api.Workspace
		h.must(200, tokA, "GET", path(api.RouteWorkspace, id), nil, &w)
		return w.Status
	}
	_, std := h.tierWorkspace(tokA, catalog.Standard, "imm")
	_, prem := h.tierWorkspace(tokA, catalog.Premium, "del")
	_, ded := h.tierWorkspace(tokA, catalog.Dedicated, "man")
	// Immediate provisioning is ready in the create answer itself (nothing
	// to wait for); the others are pending.
	if std.Status != api.StatusReady {
		t.Fatalf("immediate: created %s", std.Status)
	}
	for _, ws := range []api.Workspace{prem, ded} {
		if ws.Status != api.StatusPending {
			t.Fatalf("%s created %s", ws.Tier, ws.Status)
		}
	}
	if s := status(std.ID); s != api.StatusReady {
		t.Fatalf("immediate: %s", s)
	}
	if s := status(prem.ID); s != api.StatusPending {
		t.Fatalf("delayed at 0s: %s", s)
	}
	h.clock.Advance(9 * time.Second)
	if s := status(prem.ID); s != api.StatusPending {
		t.Fatalf("delayed at 9s: %s", s)
	}
	h.clock.Advance(time.Second)
	if s := status(prem.ID); s != api.StatusReady {
		t.Fatalf("delayed at 10s: %s", s)
	}
	h.clock.Advance(72 * time.Hour)
	if s := status(ded.ID); s != api.StatusPending {
		t.Fatalf("manual before approval: %s", s)
	}
	problem(t, h.do(tokAdmin, "POST", path(api.RouteAdminApprove, std.ID), nil), 409)
	problem(t, h.do(tokAdmin, "POST", path(api.RouteAdminApprove, "ws-nope"), nil), 404)
	var w api.Workspace
	h.must(200, tokAdmin, "POST", path(api.RouteAdminApprove, ded.ID), nil, &w)
	if w.Status != api.StatusReady || status(ded.ID) != api.StatusReady {
		t.Fatalf("manual after approval: %+v", w)
	}
}

func TestProvisioningCatalogDefaultsAndApproveAll(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Provisioning = nil })
	_, std := h.tierWorkspace(tokA, catalog.Standard, "d-std")
	_, prem := h.tierWorkspace(tokA, catalog.Premium, "d-prem")
	_, ded := h.tierWorkspace(tokB, catalog.Dedicated, "d-ded")
	var w api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, std.ID), nil, &w)
	if w.Status != api.StatusReady {
		t.Fatal("standard default is immediate")
	}
	h.must(200, tokA, "GET", path(api.RouteWorkspace, prem.ID), nil, &w)
	if w.Status != api.StatusPending {
		t.Fatal("premium default is delayed")
	}
	if n := h.s.ApproveAll(); n != 2 {
		t.Fatalf("ApproveAll = %d, want 2", n)
	}
	h.must(200, tokB, "GET", path(api.RouteWorkspace, ded.ID), nil, &w)
	if w.Status != api.StatusReady {
		t.Fatal("dedicated not approved")
	}
	var out map[string]int
	h.must(200, tokAdmin, "POST", api.RouteAdminApproveAll, nil, &out)
	if out["approved"] != 0 {
		t.Fatalf("second approve-all: %v", out)
	}
}

func TestWorkspacePatch(t *testing.T) {
	h := newHarness(t)
	p, ws := h.tierWorkspace(tokA, catalog.Standard, "patchme")
	var got api.Workspace
	h.must(200, tokA, "PATCH", path(api.RouteWorkspace, ws.ID), api.WorkspaceInput{Name: "Renamed", Subdomain: "patchme", PlanID: p.ID}, &got)
	if got.Name != "Renamed" || got.AdminPasswordSet {
		t.Fatalf("%+v", got)
	}
	r := h.must(200, tokA, "PATCH", path(api.RouteWorkspace, ws.ID), `{"admin_password":"hunter22"}`, &got)
	if !got.AdminPasswordSet || got.Name != "Renamed" || strings.Contains(string(r.Body), "hunter22") {
		t.Fatalf("%s", r.Body)
	}
	raw, _, _ := h.s.store.Get(store.KindWorkspaces, ws.ID)
	var rec store.WorkspaceRec
	_ = json.Unmarshal(raw, &rec)
	if strings.Contains(string(raw), "hunter22") || rec.PasswordHash != hashPassword("hunter22") {
		t.Fatalf("password not stored as a hash: %s", raw)
	}
	pp := problem(t, h.do(tokA, "PATCH", path(api.RouteWorkspace, ws.ID), api.WorkspaceInput{Name: "x", Subdomain: "newsub", PlanID: p.ID}), 422)
	if !hasFieldError(pp, "subdomain", catalog.RuleImmutable) {
		t.Fatalf("%+v", pp.Errors)
	}
	pp = problem(t, h.do(tokA, "PATCH", path(api.RouteWorkspace, ws.ID), api.WorkspaceInput{Name: "x", PlanID: "pln-other"}), 422)
	if !hasFieldError(pp, "plan_id", catalog.RuleImmutable) {
		t.Fatalf("%+v", pp.Errors)
	}
}

func TestWorkspaceDeleteCascades(t *testing.T) {
	h := newHarness(t)
	p, ws := h.tierWorkspace(tokA, catalog.Dedicated, "cascade")
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.cascade.example"}, nil)
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "0.0.0.0/0", Action: "deny", Protocol: "any", Priority: 1}, nil)
	var ip api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
	h.must(204, tokA, "DELETE", path(api.RouteWorkspace, ws.ID), nil, nil)
	problem(t, h.do(tokA, "GET", path(api.RouteWorkspace, ws.ID), nil), 404)
	problem(t, h.do(tokA, "DELETE", path(api.RouteWorkspace, ws.ID), nil), 404)
	want := map[string]int{"plans": 1, "workspaces": 0, "domains": 0, "firewall_rules": 0, "static_ips": 0}
	for k, v := range want {
		if got := h.s.Counts("org-a")[k]; got != v {
			t.Errorf("%s: %d, want %d", k, got, v)
		}
	}
	// The plan is free again; the hostname and the address are released.
	ws2 := h.workspace(tokA, "cascade", p.ID)
	h.must(201, tokA, "POST", path(api.RouteDomains, ws2.ID), api.DomainInput{Hostname: "chat.cascade.example"}, nil)
	if _, held := h.s.store.Holder(store.UniqueKey("address", ip.Address)); held {
		t.Fatalf("address %s of the deleted workspace is still held", ip.Address)
	}
	if n := h.s.store.Count(store.PoolGroup(string(catalog.StaticIPDedicated), "org-a")); n != 0 {
		t.Fatalf("org A still holds %d dedicated addresses", n)
	}
}

func TestAdminTokens(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{catalog.Dedicated: {Mode: catalog.ProvisionManual}}
	})
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "tokens")
	pp := problem(t, h.do(tokA, "POST", path(api.RouteAdminTokens, ws.ID), nil), 409)
	if !strings.Contains(pp.Detail, "pending") {
		t.Fatalf("detail %q", pp.Detail)
	}
	h.s.ApproveAll()
	var tok api.AdminToken
	h.must(201, tokA, "POST", path(api.RouteAdminTokens, ws.ID), nil, &tok)
	if len(tok.Token) != 64 || !tok.ExpiresAt.Equal(h.clock.Now().Add(15*time.Minute)) {
		t.Fatalf("%+v", tok)
	}
	var tok2 api.AdminToken
	h.must(201, tokA, "POST", path(api.RouteAdminTokens, ws.ID), nil, &tok2)
	if tok2.Token == tok.Token {
		t.Fatal("tokens repeat")
	}
}

// approve-all walks only the workspaces that carry pending work, can be
// limited to one organization (so one tenant's CI does not complete another
// tenant's provisioning), and refuses unknown parameters.
func TestApproveAllByOrganization(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{
			catalog.Premium:   {Mode: catalog.ProvisionDelayed, Delay: time.Minute},
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		}
	})
	for i := range 20 { // ready workspaces: not in the set approve-all walks
		h.tierWorkspace(tokA, catalog.Standard, fmt.Sprintf("ready-%d", i))
	}
	_, a := h.tierWorkspace(tokA, catalog.Dedicated, "wait-a")
	_, b := h.tierWorkspace(tokB, catalog.Dedicated, "wait-b")
	_, done := h.tierWorkspace(tokA, catalog.Premium, "done-a")
	h.clock.Advance(time.Hour) // done-a's delayed provisioning completes by time
	if n := h.s.store.Count(store.WorkspacesWaiting); n != 3 {
		t.Fatalf("%d workspaces in the waiting set, want 3 (the two manual ones and the delayed one)", n)
	}
	p := problem(t, h.do(tokAdmin, "POST", api.RouteAdminApproveAll+"?orgg=org-a", nil), http.StatusBadRequest)
	if !hasFieldError(p, "orgg", "unknown_parameter") {
		t.Fatalf("unknown parameter: %+v", p)
	}
	var out map[string]int
	h.must(200, tokAdmin, "POST", api.RouteAdminApproveAll+"?org=org-a", nil, &out)
	if out["approved"] != 1 {
		t.Fatalf("approve-all of org-a: %v, want 1 (done-a was already ready)", out)
	}
	status := func(tok, id string) string {
		var w api.Workspace
		h.must(200, tok, "GET", path(api.RouteWorkspace, id), nil, &w)
		return w.Status
	}
	if status(tokA, a.ID) != api.StatusReady || status(tokA, done.ID) != api.StatusReady || status(tokB, b.ID) != api.StatusPending {
		t.Fatalf("after approve-all of org-a: a %s, done %s, b %s", status(tokA, a.ID), status(tokA, done.ID), status(tokB, b.ID))
	}
	if n, b := h.s.store.Count(store.WorkspacesWaiting), h.s.store.Count(store.WaitingGroup("org-b")); n != 1 || b != 1 || h.s.store.Count(store.WaitingGroup("org-a")) != 0 {
		t.Fatalf("%d workspaces still in the waiting set (%d of org-b), want 1 (org-b's)", n, b)
	}
	h.must(200, tokAdmin, "POST", api.RouteAdminApproveAll, nil, &out)
	if out["approved"] != 1 || status(tokB, b.ID) != api.StatusReady || h.s.store.Count(store.WorkspacesWaiting) != 0 {
		t.Fatalf("approve-all: %v, b %s, waiting %d", out, status(tokB, b.ID), h.s.store.Count(store.WorkspacesWaiting))
	}
}
