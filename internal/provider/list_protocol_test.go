package provider_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func (p *proto) listConfig(name string, vals map[string]string) *tfprotov6.DynamicValue {
	p.t.Helper()
	s, ok := p.schemas.ListResourceSchemas[name]
	if !ok {
		p.t.Fatalf("no list resource %s", name)
	}
	tv := map[string]tftypes.Value{}
	for k, v := range vals {
		tv[k] = str(v)
	}
	return p.dv(s.ValueType(), tv)
}

// list runs ListResource and consumes the whole stream.
func (p *proto) list(name string, filters map[string]string, include bool, limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	stream, err := p.srv.ListResource(p.ctx, &tfprotov6.ListResourceRequest{
		TypeName: name, Config: p.listConfig(name, filters), IncludeResource: include, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

func (p *proto) validateList(name string, filters map[string]string) string {
	p.t.Helper()
	resp, err := p.srv.ValidateListResourceConfig(p.ctx, &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: name, Config: p.listConfig(name, filters),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return errorsOf(resp.Diagnostics)
}

// resultIDs are the identities' id attributes, in order.
func (p *proto) resultIDs(name string, results []tfprotov6.ListResourceResult) []string {
	p.t.Helper()
	var ids []string
	for _, r := range results {
		p.noErrors("list result", r.Diagnostics)
		ids = append(ids, p.identityStrings(name, r.Identity)["id"])
	}
	return ids
}

func TestProtocolListResourceSchemas(t *testing.T) {
	p := newProto(t)
	for name, want := range map[string][]string{
		"rocketchat_plan_tier":     {"region", "status", "tier"},
		"rocketchat_workspace":     {"region", "status", "tier"},
		"rocketchat_custom_domain": {"status", "workspace_id"},
		"rocketchat_firewall_rule": {"action", "protocol", "workspace_id"},
		"rocketchat_static_ip":     {"purpose", "workspace_id"},
	} {
		s := p.schemas.ListResourceSchemas[name]
		if s == nil {
			t.Fatalf("no list resource %s", name)
		}
		var got []string
		for _, a := range s.Block.Attributes {
			got = append(got, a.Name)
			if a.Description == "" || (a.Name == "workspace_id") != a.Required {
				t.Errorf("%s.%s: %+v", name, a.Name, a)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s filters %v, want %v", name, got, want)
		}
	}
	// Filters are checked before anything is listed, naming the allowed values.
	if e := p.validateList("rocketchat_plan_tier", map[string]string{"tier": "gold"}); !strings.Contains(e, "standard") || !strings.Contains(e, "dedicated") {
		t.Fatalf("an unknown tier was accepted or unclear: %q", e)
	}
	if e := p.validateList("rocketchat_workspace", map[string]string{"region": "moon-1"}); e == "" {
		t.Fatal("an unknown region was accepted")
	}
	if e := p.validateList("rocketchat_firewall_rule", map[string]string{"action": "allow"}); !strings.Contains(e, "workspace_id") {
		t.Fatalf("a child list without workspace_id was accepted: %q", e)
	}
	if e := p.validateList("rocketchat_plan_tier", map[string]string{"tier": "premium", "status": "active"}); e != "" {
		t.Fatal(e)
	}
	if st := p.env.Emulator.Stats(); st.Mutating+st.Reads != 0 {
		t.Fatalf("validation made requests: %v", st.Requests)
	}
}

// Listing returns every object with its identity and, when asked, the object
// a read after import stores: so a generated configuration plans clean.
func TestProtocolList_planTiersAndWorkspaces(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	premiumRegion := catalog.RegionsFor(mustLookup(t, catalog.Premium))[0]
	mk := func(in api.PlanInput) api.Plan {
		pl, err := c.CreatePlan(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return *pl
	}
	std := mk(api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	prem := mk(api.PlanInput{Tier: "premium", Region: premiumRegion, IPIsolation: true, MaxUsers: ptr(int64(1000))})
	ded := mk(api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion, VPN: true})
	for i, pl := range []api.Plan{std, prem} {
		if _, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "WS", Subdomain: []string{"list-std", "list-prem"}[i], PlanID: pl.ID}); err != nil {
			t.Fatal(err)
		}
	}
	p.env.Emulator.ApproveAll()

	const plans = "rocketchat_plan_tier"
	p.env.Emulator.ResetStats()
	all := p.list(plans, nil, true, 0)
	if got := p.resultIDs(plans, all); !slices.Equal(got, []string{std.ID, prem.ID, ded.ID}) {
		t.Fatalf("listed %v", got)
	}
	if st := p.env.Emulator.Stats(); st.Requests["GET "+api.RoutePlans] != 1 || st.Reads != 1 {
		t.Fatalf("listing made %v, want one GET %s", st.Requests, api.RoutePlans)
	}
	typ := p.resourceType(plans)
	for _, r := range all {
		id := p.identityStrings(plans, r.Identity)["id"]
		read := p.importByIdentity(plans, map[string]string{"id": id})
		p.noErrors("read", read.Diagnostics)
		if !equalDV(t, typ, r.Resource, read.NewState) {
			t.Fatalf("the listed object of %s differs from what import reads:\nlist: %v\nread: %v", id, p.attrs(typ, r.Resource), p.attrs(typ, read.NewState))
		}
		if !strings.Contains(r.DisplayName, id) {
			t.Errorf("display name %q does not name %s", r.DisplayName, id)
		}
	}

	// Filters, alone and together; without include_resource no object is sent.
	if got := p.resultIDs(plans, p.list(plans, map[string]string{"tier": "premium"}, false, 0)); !slices.Equal(got, []string{prem.ID}) {
		t.Fatalf("tier filter: %v", got)
	}
	if got := p.resultIDs(plans, p.list(plans, map[string]string{"region": catalog.DefaultRegion, "tier": "dedicated"}, false, 0)); !slices.Equal(got, []string{ded.ID}) {
		t.Fatalf("region+tier filter: %v", got)
	}
	noObj := p.list(plans, map[string]string{"status": "active"}, false, 0)
	if len(noObj) != 3 || noObj[0].Resource != nil {
		t.Fatalf("%d results; resource sent without include_resource: %v", len(noObj), noObj[0].Resource)
	}
	// Terraform's limit stops the listing.
	if got := p.resultIDs(plans, p.list(plans, nil, false, 2)); len(got) != 2 {
		t.Fatalf("limit 2: %v", got)
	}

	const wss = "rocketchat_workspace"
	wsAll := p.list(wss, map[string]string{"status": "ready"}, true, 0)
	if len(wsAll) != 2 {
		t.Fatalf("%d ready workspaces", len(wsAll))
	}
	wsTyp := p.resourceType(wss)
	for _, r := range wsAll {
		id := p.identityStrings(wss, r.Identity)["id"]
		read := p.importByIdentity(wss, map[string]string{"id": id})
		if !equalDV(t, wsTyp, r.Resource, read.NewState) {
			t.Fatalf("workspace %s: listed object differs from the imported one", id)
		}
		if v := p.attrs(wsTyp, r.Resource)["admin_password_wo"]; !v.IsNull() {
			t.Fatal("a write-only password was listed")
		}
	}
	if got := p.list(wss, map[string]string{"tier": "dedicated"}, false, 0); len(got) != 0 {
		t.Fatalf("dedicated filter listed %d workspaces (the dedicated plan has none)", len(got))
	}
}

func TestProtocolList_children(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	plan, _ := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: catalog.DefaultRegion})
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Children", Subdomain: "list-children", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	p.env.Emulator.ApproveAll()
	var rules []string
	for i, action := range []string{"allow", "deny", "deny"} {
		fw, err := c.CreateFirewallRule(ctx, ws.ID, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: action, Protocol: "tcp", Priority: int64(10 + i)})
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, fw.ID)
	}
	dom, err := c.CreateDomain(ctx, ws.ID, api.DomainInput{Hostname: "chat.children.example"})
	if err != nil {
		t.Fatal(err)
	}
	ip, err := c.CreateStaticIP(ctx, ws.ID, api.StaticIPInput{Purpose: "load_balancer", Description: "lb"})
	if err != nil {
		t.Fatal(err)
	}

	const fws = "rocketchat_firewall_rule"
	denied := p.list(fws, map[string]string{"workspace_id": ws.ID, "action": "deny"}, true, 0)
	if got := p.resultIDs(fws, denied); !slices.Equal(got, rules[1:]) {
		t.Fatalf("deny rules %v, want %v", got, rules[1:])
	}
	for name, id := range map[string]string{fws: rules[1], "rocketchat_custom_domain": dom.ID, "rocketchat_static_ip": ip.ID} {
		res := p.list(name, map[string]string{"workspace_id": ws.ID}, true, 0)
		var found *tfprotov6.ListResourceResult
		for i := range res {
			if ids := p.identityStrings(name, res[i].Identity); ids["id"] == id {
				if ids["workspace_id"] != ws.ID {
					t.Fatalf("%s identity %v", name, ids)
				}
				found = &res[i]
			}
		}
		if found == nil {
			t.Fatalf("%s %s not listed", name, id)
		}
		read := p.importByIdentity(name, map[string]string{"workspace_id": ws.ID, "id": id})
		if !equalDV(t, p.resourceType(name), found.Resource, read.NewState) {
			t.Fatalf("%s: listed object differs from the imported one:\n%v\n%v", name,
				p.attrs(p.resourceType(name), found.Resource), p.attrs(p.resourceType(name), read.NewState))
		}
	}
	if got := p.list("rocketchat_custom_domain", map[string]string{"workspace_id": ws.ID, "status": "verified"}, false, 0); len(got) != 0 {
		t.Fatalf("%d verified domains, want 0", len(got))
	}
	if got := p.list("rocketchat_static_ip", map[string]string{"workspace_id": ws.ID, "purpose": "outbound"}, false, 0); len(got) != 0 {
		t.Fatalf("%d outbound IPs, want 0", len(got))
	}

	// An unknown workspace is one error result on workspace_id.
	gone := p.list(fws, map[string]string{"workspace_id": "ws-missing"}, false, 0)
	if len(gone) != 1 || !strings.Contains(errorsOf(gone[0].Diagnostics), "ws-missing") {
		t.Fatalf("%+v", gone)
	}
	if st := p.env.Emulator.Stats(); st.Mutating != 7 {
		t.Fatalf("%d mutating requests, want the 7 of the setup only", st.Mutating)
	}
}

func ptr[T any](v T) *T { return &v }
