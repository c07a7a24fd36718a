package provider_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

func TestProtocolIdentitySchemas(t *testing.T) {
	p := newProto(t)
	want := map[string][]string{
		"rocketchat_plan_tier":      {"id"},
		"rocketchat_workspace":      {"id"},
		"rocketchat_custom_domain":  {"id", "workspace_id"},
		"rocketchat_firewall_rule":  {"id", "workspace_id"},
		"rocketchat_static_ip":      {"id", "workspace_id"},
		"rocketchat_firewall_rules": {"workspace_id"},
	}
	if len(p.identities.IdentitySchemas) != len(want) {
		t.Fatalf("%d identity schemas, want %d", len(p.identities.IdentitySchemas), len(want))
	}
	for name, attrs := range want {
		s := p.identities.IdentitySchemas[name]
		if s == nil {
			t.Fatalf("%s has no identity schema", name)
		}
		var got []string
		for _, a := range s.IdentityAttributes {
			got = append(got, a.Name)
			if !a.RequiredForImport || !a.Type.Is(tftypes.String) || a.Description == "" {
				t.Errorf("%s.%s: %+v", name, a.Name, a)
			}
		}
		if strings.Join(got, ",") != strings.Join(attrs, ",") {
			t.Errorf("%s identity attributes %v, want %v", name, got, attrs)
		}
		if s.Version != 0 {
			t.Errorf("%s identity version %d", name, s.Version)
		}
	}
}

// The identity is set by create, kept by an upgrade in place and by a
// refresh that records drift, and importing by it reads the same object.
func TestProtocolIdentity_planTierLifecycle(t *testing.T) {
	p := newProto(t)
	const name = "rocketchat_plan_tier"
	typ := p.resourceType(name)

	created := p.apply(name, nil, nil, map[string]tftypes.Value{"tier": str("standard")})
	state := p.attrs(typ, created.NewState)
	id := strAttr(t, state, "id")
	if got := p.identityStrings(name, created.NewIdentity); !maps.Equal(got, map[string]string{"id": id}) {
		t.Fatalf("identity after create %v, state id %s", got, id)
	}

	// Upgrade in place: same ID, same identity.
	upgraded := p.apply(name, created.NewState, created.NewIdentity, map[string]tftypes.Value{"tier": str("premium")})
	if tier := strAttr(t, p.attrs(typ, upgraded.NewState), "tier"); tier != "premium" {
		t.Fatalf("tier %s after upgrade", tier)
	}
	if got := p.identityStrings(name, upgraded.NewIdentity); got["id"] != id {
		t.Fatalf("identity changed by the upgrade: %v, want id %s", got, id)
	}

	// Drift (changed out of band): the refresh records it, identity unchanged.
	c := p.env.Client()
	if _, err := c.UpdatePlan(context.Background(), id, api.PlanInput{Tier: "premium", Region: "us-east", IPIsolation: true}); err != nil {
		t.Fatal(err)
	}
	read := p.read(name, upgraded.NewState, upgraded.NewIdentity, upgraded.Private)
	p.noErrors("ReadResource", read.Diagnostics)
	var iso bool
	_ = p.attrs(typ, read.NewState)["ip_isolation"].As(&iso)
	if !iso {
		t.Fatal("the refresh did not record the drift")
	}
	if got := p.identityStrings(name, read.NewIdentity); got["id"] != id {
		t.Fatalf("identity after drift %v", got)
	}

	// A state written by a provider version without identity gets one on refresh.
	noID := p.read(name, read.NewState, nil, nil)
	p.noErrors("ReadResource without identity", noID.Diagnostics)
	if got := p.identityStrings(name, noID.NewIdentity); got["id"] != id {
		t.Fatalf("identity of a pre-identity state %v", got)
	}

	// An object deleted out of band leaves the state, identity or not (the
	// Terraform 1.11 CLI sends none).
	defer func() {
		if err := c.DeletePlan(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		for _, identity := range []*tfprotov6.ResourceIdentityData{read.NewIdentity, nil} {
			gone := p.read(name, read.NewState, identity, nil)
			p.noErrors("ReadResource of a deleted object", gone.Diagnostics)
			if null, _ := gone.NewState.IsNull(); !null {
				t.Fatal("a deleted object stayed in state")
			}
		}
	}()

	// import { identity = { id = ... } } reads exactly the refreshed object.
	p.env.Emulator.ResetStats()
	imported := p.importByIdentity(name, map[string]string{"id": id})
	p.noErrors("import read", imported.Diagnostics)
	if !equalDV(t, typ, imported.NewState, read.NewState) {
		t.Fatalf("imported state differs from the refreshed state:\n%v\n%v", p.attrs(typ, imported.NewState), p.attrs(typ, read.NewState))
	}
	if got := p.identityStrings(name, imported.NewIdentity); got["id"] != id {
		t.Fatalf("identity after import %v", got)
	}
	// One read: the walk's listing of the plans (readcache.go) answers it.
	if st := p.env.Emulator.Stats(); st.Mutating != 0 || st.Reads != 1 {
		t.Fatalf("import made %v requests (%d mutating), want one read", st.Requests, st.Mutating)
	}
}

func TestProtocolIdentity_workspaceAndChildren(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	_, ws := p.premiumWorkspace(t, "Identity", "identity-ws")
	p.env.Emulator.ApproveAll()
	dom, err := c.CreateDomain(ctx, ws.ID, api.DomainInput{Hostname: "chat.identity.example"})
	if err != nil {
		t.Fatal(err)
	}
	fw, err := c.CreateFirewallRule(ctx, ws.ID, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", PortRange: "443", Priority: 10})
	if err != nil {
		t.Fatal(err)
	}
	ip, err := c.CreateStaticIP(ctx, ws.ID, api.StaticIPInput{Purpose: "outbound"})
	if err != nil {
		t.Fatal(err)
	}

	wsRead := p.importByIdentity("rocketchat_workspace", map[string]string{"id": ws.ID})
	p.noErrors("workspace import", wsRead.Diagnostics)
	if got := strAttr(t, p.attrs(p.resourceType("rocketchat_workspace"), wsRead.NewState), "subdomain"); got != "identity-ws" {
		t.Fatalf("subdomain %q", got)
	}

	for name, id := range map[string]string{"rocketchat_custom_domain": dom.ID, "rocketchat_firewall_rule": fw.ID, "rocketchat_static_ip": ip.ID} {
		t.Run(name, func(t *testing.T) {
			typ := p.resourceType(name)
			ids := map[string]string{"workspace_id": ws.ID, "id": id}
			byIdentity := p.importByIdentity(name, ids)
			p.noErrors("import by identity", byIdentity.Diagnostics)
			st := p.attrs(typ, byIdentity.NewState)
			if strAttr(t, st, "id") != id || strAttr(t, st, "workspace_id") != ws.ID || strAttr(t, st, "created_at") == "" {
				t.Fatalf("state after import %v", st)
			}
			if got := p.identityStrings(name, byIdentity.NewIdentity); !maps.Equal(got, ids) {
				t.Fatalf("identity %v, want %v", got, ids)
			}

			// The string ID import reads the same object and gets the same identity.
			imp, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name, ID: ws.ID + "/" + id})
			if err != nil {
				t.Fatal(err)
			}
			p.noErrors("import by ID", imp.Diagnostics)
			byID := p.read(name, imp.ImportedResources[0].State, imp.ImportedResources[0].Identity, nil)
			if !equalDV(t, typ, byID.NewState, byIdentity.NewState) {
				t.Fatal("import by ID and by identity differ")
			}
			if got := p.identityStrings(name, byID.NewIdentity); !maps.Equal(got, ids) {
				t.Fatalf("identity after import by ID %v", got)
			}

			// An identity with an empty attribute is refused, naming it.
			bad, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name,
				Identity: p.identity(name, map[string]string{"workspace_id": ws.ID, "id": ""})})
			if err != nil {
				t.Fatal(err)
			}
			if e := errorsOf(bad.Diagnostics); !strings.Contains(e, `"id"`) {
				t.Fatalf("empty id accepted or unclear: %q", e)
			}
		})
	}

	// An identity naming an object that does not exist imports nothing:
	// the read after import removes it, as for an ID.
	gone := p.importByIdentity("rocketchat_firewall_rule", map[string]string{"workspace_id": ws.ID, "id": "fw-missing"})
	p.noErrors("import of a missing object", gone.Diagnostics)
	if null, _ := gone.NewState.IsNull(); !null {
		t.Fatal("a missing object was imported")
	}
}

// The identity schemas are at their first version, so Terraform has nothing
// to upgrade; an identity stored by a newer provider version is refused
// clearly rather than misread.
func TestProtocolIdentity_upgradeIdentity(t *testing.T) {
	p := newProto(t)
	resp, err := p.srv.UpgradeResourceIdentity(p.ctx, &tfprotov6.UpgradeResourceIdentityRequest{
		TypeName: "rocketchat_workspace", Version: 1, RawIdentity: &tfprotov6.RawState{JSON: []byte(`{"id":"ws-1"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := errorsOf(resp.Diagnostics); !strings.Contains(e, "Upgrade Resource Identity") {
		t.Fatalf("an identity of an unknown version was accepted: %q", e)
	}
}

// equalDV compares two dynamic values of typ.
func equalDV(t *testing.T, typ tftypes.Type, a, b *tfprotov6.DynamicValue) bool {
	t.Helper()
	va, err := a.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := b.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return va.Equal(vb)
}
