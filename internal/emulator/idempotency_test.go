package emulator

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestIdempotencyReplay(t *testing.T) {
	h := newHarness(t)
	body := api.PlanInput{Tier: "premium", Region: "us-east"}
	first := h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "key-1")
	h.clock.Advance(1)
	second := h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "key-1")
	if !bytes.Equal(first.Body, second.Body) {
		t.Fatalf("replay differs:\n%s\n%s", first.Body, second.Body)
	}
	if n := h.s.Counts("org-a")["plans"]; n != 1 {
		t.Fatalf("%d plans, want 1", n)
	}
	// Keys are per organization.
	h.must(201, tokB, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "key-1")
	if n := h.s.Counts("org-b")["plans"]; n != 1 {
		t.Fatalf("org B: %d plans", n)
	}
	// A 4xx answer is replayed too.
	bad := api.PlanInput{Tier: "standard", Region: "us-east", VPN: true}
	r1 := h.do(tokA, "POST", api.RoutePlans, bad, api.IdempotencyKeyHeader, "key-bad")
	r2 := h.do(tokA, "POST", api.RoutePlans, bad, api.IdempotencyKeyHeader, "key-bad")
	if r1.Code != 422 || r2.Code != 422 || !bytes.Equal(r1.Body, r2.Body) {
		t.Fatalf("%s / %s", r1, r2)
	}
	// Reusing a key on another route is a 422.
	pp := problem(t, h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "xyz", PlanID: "p"}, api.IdempotencyKeyHeader, "key-1"), 422)
	if !hasFieldError(pp, api.IdempotencyKeyHeader, "reused_key") || !strings.Contains(pp.Detail, "POST /v1/plans") {
		t.Fatalf("%+v", pp)
	}
	problem(t, h.do(tokA, "POST", api.RoutePlans, body, api.IdempotencyKeyHeader, strings.Repeat("k", 300)), 400)
}

func TestIdempotencyConcurrent(t *testing.T) {
	h := newHarness(t)
	p := h.plan(tokA, api.PlanInput{Tier: "standard", Region: "us-east"})
	var wg sync.WaitGroup
	bodies := make([][]byte, 16)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "c", Subdomain: "concurrent", PlanID: p.ID}, api.IdempotencyKeyHeader, "same")
			bodies[i] = r.Body
		}()
	}
	wg.Wait()
	for _, b := range bodies[1:] {
		if !bytes.Equal(b, bodies[0]) {
			t.Fatalf("answers differ:\n%s\n%s", b, bodies[0])
		}
	}
	if n := h.s.Counts("org-a")["workspaces"]; n != 1 {
		t.Fatalf("%d workspaces", n)
	}
}

func TestIdempotencySurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "idem.db")
	cfg := func(c *Config) { c.DataFile = file }
	h := newHarness(t, cfg)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "idem-restart")
	first := h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, nil, api.IdempotencyKeyHeader, "ip-1")
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, cfg)
	again := h2.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, nil, api.IdempotencyKeyHeader, "ip-1")
	if !bytes.Equal(first.Body, again.Body) || h2.s.Counts("org-a")["static_ips"] != 1 {
		t.Fatalf("replay after restart:\n%s\n%s", first.Body, again.Body)
	}
}
