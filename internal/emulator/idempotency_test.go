package emulator

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
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
	// A refused request is not stored: the same key then carries the
	// corrected request.
	bad := api.PlanInput{Tier: "standard", Region: "us-east", VPN: true}
	problem(t, h.do(tokA, "POST", api.RoutePlans, bad, api.IdempotencyKeyHeader, "key-bad"), 422)
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "key-bad")
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

func TestIdempotencyKeyReusedWithAnotherBody(t *testing.T) {
	h := newHarness(t)
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "premium", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "key-1")
	p := problem(t, h.do(tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "dedicated", Region: "us-east"}, api.IdempotencyKeyHeader, "key-1"), 422)
	if !hasFieldError(p, api.IdempotencyKeyHeader, "reused_key") || !strings.Contains(p.Detail, "different request body") {
		t.Fatalf("reuse with another body: %+v", p)
	}
	if n := h.s.Counts("org-a")["plans"]; n != 1 {
		t.Fatalf("%d plans, want 1", n)
	}
}

func TestIdempotencyKeysExpireAndAreSwept(t *testing.T) {
	h := newHarness(t)
	body := api.PlanInput{Tier: "standard", Region: "us-east"}
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "old-key")
	h.clock.Advance(IdempotencyTTL + time.Second)
	// After the TTL the key is free: a new object, not a replay.
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "old-key")
	if n := h.s.Counts("org-a")["plans"]; n != 2 {
		t.Fatalf("%d plans, want 2", n)
	}
	for i := range 3 * sweepBatch {
		h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "k-"+strconv.Itoa(i))
	}
	h.clock.Advance(IdempotencyTTL + time.Second)
	// Every stored answer sweeps up to sweepBatch expired ones.
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "new-1")
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "new-2")
	if n := storedAnswers(t, h); n != 3*sweepBatch+1-2*sweepBatch+2 {
		t.Fatalf("%d stored answers after two sweeps of %d", n, sweepBatch)
	}
}

func storedAnswers(t testing.TB, h *harness) int {
	t.Helper()
	raws, err := h.s.store.List(store.KindIdempotency)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.s.store.Count(store.IdempotencyAll); n != len(raws) {
		t.Fatalf("index holds %d answers, store %d", n, len(raws))
	}
	return len(raws)
}

func TestAdminTokenAnswersAreNotStored(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "acme")
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, nil) // immediate: ready now
	var tok api.AdminToken
	h.must(201, tokA, "POST", path(api.RouteAdminTokens, ws.ID), nil, &tok, api.IdempotencyKeyHeader, "tok-1")
	raws, err := h.s.store.List(store.KindIdempotency)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range raws {
		if bytes.Contains(raw, []byte(tok.Token)) {
			t.Fatalf("an admin token sits in the store: %s", raw)
		}
	}
}
