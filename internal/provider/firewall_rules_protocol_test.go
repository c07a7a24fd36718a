package provider_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// What the 1.11 CLI cannot drive: import by identity (Terraform 1.12+),
// and the identity the set keeps through create, refresh and drift.
func TestProtocolFirewallRules_identity(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	_, ws := p.premiumWorkspace(t, "Rules", "rules-identity")
	const name = "rocketchat_firewall_rules"
	typ := p.resourceType(name)
	rulesType := typ.(tftypes.Object).AttributeTypes["rules"]
	ruleType := rulesType.(tftypes.Map).ElementType
	rule := func(cidr string) tftypes.Value {
		return obj(ruleType, map[string]tftypes.Value{"cidr": str(cidr), "action": str("allow")})
	}
	cfg := map[string]tftypes.Value{
		"workspace_id": str(ws.ID),
		"rules":        tftypes.NewValue(rulesType, map[string]tftypes.Value{"100": rule("10.0.0.0/8"), "200": rule("192.0.2.0/24")}),
	}
	created := p.apply(name, nil, nil, cfg)
	if got := p.identityStrings(name, created.NewIdentity); got["workspace_id"] != ws.ID || len(got) != 1 {
		t.Fatalf("identity after create %v", got)
	}
	state := p.attrs(typ, created.NewState)
	if strAttr(t, state, "id") != ws.ID || strAttr(t, state, "version") != "1" {
		t.Fatalf("state after create %v", state)
	}

	// Drift recorded by a refresh keeps the identity.
	set, err := c.ListFirewallRuleSet(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := []api.FirewallRuleInput{set.Items[0].FirewallRuleInput}
	if _, err := c.ReplaceFirewallRules(ctx, ws.ID, set.Version, in); err != nil {
		t.Fatal(err)
	}
	read := p.read(name, created.NewState, created.NewIdentity, created.Private)
	p.noErrors("ReadResource", read.Diagnostics)
	var rules map[string]tftypes.Value
	if err := p.attrs(typ, read.NewState)["rules"].As(&rules); err != nil || len(rules) != 1 {
		t.Fatalf("refreshed rules %v %v", rules, err)
	}
	if got := p.identityStrings(name, read.NewIdentity); got["workspace_id"] != ws.ID {
		t.Fatalf("identity after drift %v", got)
	}

	// import { identity = { workspace_id = ... } } reads the same set, with
	// one listing and one read of the workspace (is the set the owner?),
	// and changes nothing.
	p.env.Emulator.ResetStats()
	imported := p.importByIdentity(name, map[string]string{"workspace_id": ws.ID})
	p.noErrors("import read", imported.Diagnostics)
	if !equalDV(t, typ, imported.NewState, read.NewState) {
		t.Fatalf("imported state differs from the refreshed state:\n%v\n%v", p.attrs(typ, imported.NewState), p.attrs(typ, read.NewState))
	}
	st := p.env.Emulator.Stats()
	if st.Mutating != 0 || st.Requests["GET "+api.RouteFirewallRules] != 1 || st.Reads != 2 {
		t.Fatalf("import made %v (%d mutating); want one listing and one workspace read", st.Requests, st.Mutating)
	}
	// The workspace's rules are owned already: nothing to claim, so the
	// import leaves no mark for the next plan.
	if strings.Contains(string(imported.Private), "claim") {
		t.Fatalf("private state after importing an owned set: %s", imported.Private)
	}

	// A malformed identity is an error on the attribute.
	p.configure()
	bad, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name, Identity: p.identity(name, map[string]string{"workspace_id": ""})})
	if err != nil {
		t.Fatal(err)
	}
	if msg := errorsOf(bad.Diagnostics); !strings.Contains(msg, `identity attribute "workspace_id" must be set`) {
		t.Fatalf("import of an empty identity: %q", msg)
	}
}

// A PUT whose answer is lost (applied, connection closed) is retried with
// the same If-Match and answered 412: the rules already are the plan's, so
// the apply succeeds after one listing, not a false "changed out of band".
func TestProtocolFirewallRules_lostAnswerRetried(t *testing.T) {
	p := newProto(t)
	_, ws := p.premiumWorkspace(t, "Rules", "rules-lost")
	var dropped atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && dropped.Add(1) == 2 { // the update's PUT (the create's is the first)
			p.env.Emulator.ServeHTTP(httptest.NewRecorder(), r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		p.env.Emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	p.env.URL = proxy.URL
	p.configure()

	const name = "rocketchat_firewall_rules"
	typ := p.resourceType(name)
	rulesType := typ.(tftypes.Object).AttributeTypes["rules"]
	ruleType := rulesType.(tftypes.Map).ElementType
	cfg := func(cidr string) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"workspace_id": str(ws.ID),
			"rules": tftypes.NewValue(rulesType, map[string]tftypes.Value{
				"100": obj(ruleType, map[string]tftypes.Value{"cidr": str(cidr), "action": str("allow")}),
			}),
		}
	}
	created := p.apply(name, nil, nil, cfg("10.0.0.0/8"))
	p.env.Emulator.ResetStats()
	updated := p.apply(name, created.NewState, created.NewIdentity, cfg("10.0.0.0/9"))
	state := p.attrs(typ, updated.NewState)
	if strAttr(t, state, "version") != "2" {
		t.Fatalf("version after the retried update: %v", state["version"])
	}
	st := p.env.Emulator.Stats()
	if st.Requests["PUT "+api.RouteFirewallRules] != 2 || st.Requests["GET "+api.RouteFirewallRules] != 1 {
		t.Fatalf("requests %v; want the PUT, its retry (412) and one listing", st.Requests)
	}
}
