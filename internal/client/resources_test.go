package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// routeRecorder answers every route of api with a fixed object and records
// which pattern each call hit, with its decoded body.
type routeRecorder struct {
	mu   sync.Mutex
	hits []string
	body map[string]json.RawMessage
}

func (rr *routeRecorder) handle(mux *http.ServeMux, pattern string, status int, answer any) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var raw json.RawMessage
		if r.ContentLength != 0 {
			_ = json.NewDecoder(r.Body).Decode(&raw)
		}
		rr.mu.Lock()
		rr.hits = append(rr.hits, pattern)
		rr.body[pattern] = raw
		rr.mu.Unlock()
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, answer)
	})
}

func (rr *routeRecorder) last() string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if len(rr.hits) == 0 {
		return ""
	}
	return rr.hits[len(rr.hits)-1]
}

func TestEveryMethodHitsItsRoute(t *testing.T) {
	rr := &routeRecorder{body: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	plan := api.Plan{ID: "p-1", Status: api.StatusActive, PlanInput: api.PlanInput{Tier: "pro", Region: "eu"}}
	ws := api.Workspace{ID: "ws-1", Name: "acme"}
	dom := api.Domain{ID: "d-1", WorkspaceID: "ws-1", Hostname: "chat.example.com"}
	fw := api.FirewallRule{ID: "r-1", WorkspaceID: "ws-1", FirewallRuleInput: api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 10}}
	sip := api.StaticIP{ID: "ip-1", WorkspaceID: "ws-1", Address: "203.0.113.7"}
	tok := api.AdminToken{Token: "adm"}

	for _, r := range []struct {
		pattern string
		status  int
		answer  any
	}{
		{"POST " + api.RoutePlans, 201, plan},
		{"GET " + api.RoutePlans, 200, api.List[api.Plan]{Items: []api.Plan{plan}}},
		{"GET " + api.RoutePlan, 200, plan},
		{"PATCH " + api.RoutePlan, 200, plan},
		{"DELETE " + api.RoutePlan, 204, nil},
		{"POST " + api.RouteWorkspaces, 201, ws},
		{"GET " + api.RouteWorkspaces, 200, api.List[api.Workspace]{}},
		{"GET " + api.RouteWorkspace, 200, ws},
		{"PATCH " + api.RouteWorkspace, 200, ws},
		{"DELETE " + api.RouteWorkspace, 204, nil},
		{"POST " + api.RouteAdminTokens, 201, tok},
		{"POST " + api.RouteDomains, 201, dom},
		{"GET " + api.RouteDomains, 200, api.List[api.Domain]{Items: []api.Domain{dom}}},
		{"GET " + api.RouteDomain, 200, dom},
		{"DELETE " + api.RouteDomain, 204, nil},
		{"POST " + api.RouteFirewallRules, 201, fw},
		{"GET " + api.RouteFirewallRules, 200, api.List[api.FirewallRule]{Items: []api.FirewallRule{fw}}},
		{"GET " + api.RouteFirewallRule, 200, fw},
		{"PATCH " + api.RouteFirewallRule, 200, fw},
		{"DELETE " + api.RouteFirewallRule, 204, nil},
		{"POST " + api.RouteStaticIPs, 201, sip},
		{"GET " + api.RouteStaticIPs, 200, api.List[api.StaticIP]{Items: []api.StaticIP{sip}}},
		{"GET " + api.RouteStaticIP, 200, sip},
		{"PATCH " + api.RouteStaticIP, 200, sip},
		{"DELETE " + api.RouteStaticIP, 204, nil},
	} {
		rr.handle(mux, r.pattern, r.status, r.answer)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	ctx := context.Background()

	check := func(pattern string, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", pattern, err)
		}
		if rr.last() != pattern {
			t.Fatalf("call meant for %q hit %q", pattern, rr.last())
		}
		if want != nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %+v, want %+v", pattern, got, want)
		}
	}

	pin := api.PlanInput{Tier: "pro", Region: "eu", VPN: true}
	p, err := c.CreatePlan(ctx, pin)
	check("POST "+api.RoutePlans, *p, plan, err)
	ps, err := c.ListPlans(ctx)
	check("GET "+api.RoutePlans, ps, []api.Plan{plan}, err)
	p, err = c.GetPlan(ctx, "p-1")
	check("GET "+api.RoutePlan, *p, plan, err)
	p, err = c.UpdatePlan(ctx, "p-1", pin)
	check("PATCH "+api.RoutePlan, *p, plan, err)
	var sent api.PlanInput
	if err := json.Unmarshal(rr.body["PATCH "+api.RoutePlan], &sent); err != nil || !reflect.DeepEqual(sent, pin) {
		t.Errorf("PATCH plan body %s", rr.body["PATCH "+api.RoutePlan])
	}
	check("DELETE "+api.RoutePlan, nil, nil, c.DeletePlan(ctx, "p-1"))

	w, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "acme", Subdomain: "acme", PlanID: "p-1"})
	check("POST "+api.RouteWorkspaces, *w, ws, err)
	wss, err := c.ListWorkspaces(ctx)
	check("GET "+api.RouteWorkspaces, wss, []api.Workspace{}, err)
	w, err = c.GetWorkspace(ctx, "ws-1")
	check("GET "+api.RouteWorkspace, *w, ws, err)
	w, err = c.UpdateWorkspace(ctx, "ws-1", api.WorkspaceInput{Name: "acme2"})
	check("PATCH "+api.RouteWorkspace, *w, ws, err)
	check("DELETE "+api.RouteWorkspace, nil, nil, c.DeleteWorkspace(ctx, "ws-1"))
	at, err := c.CreateAdminToken(ctx, "ws-1")
	check("POST "+api.RouteAdminTokens, *at, tok, err)

	d, err := c.CreateDomain(ctx, "ws-1", api.DomainInput{Hostname: "chat.example.com"})
	check("POST "+api.RouteDomains, *d, dom, err)
	ds, err := c.ListDomains(ctx, "ws-1")
	check("GET "+api.RouteDomains, ds, []api.Domain{dom}, err)
	d, err = c.GetDomain(ctx, "ws-1", "d-1")
	check("GET "+api.RouteDomain, *d, dom, err)
	check("DELETE "+api.RouteDomain, nil, nil, c.DeleteDomain(ctx, "ws-1", "d-1"))

	f, err := c.CreateFirewallRule(ctx, "ws-1", fw.FirewallRuleInput)
	check("POST "+api.RouteFirewallRules, *f, fw, err)
	fs, err := c.ListFirewallRules(ctx, "ws-1")
	check("GET "+api.RouteFirewallRules, fs, []api.FirewallRule{fw}, err)
	f, err = c.GetFirewallRule(ctx, "ws-1", "r-1")
	check("GET "+api.RouteFirewallRule, *f, fw, err)
	f, err = c.UpdateFirewallRule(ctx, "ws-1", "r-1", fw.FirewallRuleInput)
	check("PATCH "+api.RouteFirewallRule, *f, fw, err)
	check("DELETE "+api.RouteFirewallRule, nil, nil, c.DeleteFirewallRule(ctx, "ws-1", "r-1"))

	s, err := c.CreateStaticIP(ctx, "ws-1", api.StaticIPInput{Purpose: "egress"})
	check("POST "+api.RouteStaticIPs, *s, sip, err)
	ss, err := c.ListStaticIPs(ctx, "ws-1")
	check("GET "+api.RouteStaticIPs, ss, []api.StaticIP{sip}, err)
	s, err = c.GetStaticIP(ctx, "ws-1", "ip-1")
	check("GET "+api.RouteStaticIP, *s, sip, err)
	s, err = c.UpdateStaticIP(ctx, "ws-1", "ip-1", api.StaticIPInput{Description: "x"})
	check("PATCH "+api.RouteStaticIP, *s, sip, err)
	check("DELETE "+api.RouteStaticIP, nil, nil, c.DeleteStaticIP(ctx, "ws-1", "ip-1"))
}

func TestBadSuccessBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/plans/empty":
			w.WriteHeader(200)
		case "/v1/plans/garbage":
			_, _ = w.Write([]byte("<html>"))
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	for _, id := range []string{"empty", "garbage"} {
		if p, err := c.GetPlan(context.Background(), id); err == nil {
			t.Errorf("%s: decoded %+v", id, p)
		}
	}
}
