package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// Keyed POSTs that change nothing store nothing: 300 of them with a 16 KiB
// path (an unknown workspace: 404), and refused ones (401, 422, 409).
func TestRefusedKeyedRequestsStoreNothing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "idem.db")
	h := newHarness(t, func(c *Config) { c.DataFile = file })
	huge := path(api.RouteDomains, "ws-"+strings.Repeat("x", 16<<10))
	for i := range 300 {
		problem(t, h.do(tokA, "POST", huge, api.DomainInput{Hostname: "a.example"}, api.IdempotencyKeyHeader, "bogus-"+strconv.Itoa(i)), 404)
	}
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "refused")
	problem(t, h.do(tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "gold"}, api.IdempotencyKeyHeader, "k-422"), 422)
	problem(t, h.do(tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "refused", PlanID: ws.PlanID}, api.IdempotencyKeyHeader, "k-409"), 409)
	problem(t, h.do("wrong-token", "POST", api.RoutePlans, api.PlanInput{Tier: "standard"}, api.IdempotencyKeyHeader, "k-401"), 401)
	if n := storedAnswers(t, h); n != 0 {
		t.Fatalf("%d answers stored for requests that changed nothing", n)
	}
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Size() > 1<<20 {
		t.Fatalf("data file size %v (%v): refused requests grew it", fi.Size(), err)
	}
}

// A stored answer keeps a hash of the request, not its path or body.
func TestStoredAnswerKeepsRequestHashOnly(t *testing.T) {
	h := newHarness(t)
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "hash-only")
	raws, _ := h.s.store.List(store.KindIdempotency)
	if len(raws) != 1 {
		t.Fatalf("%d stored", len(raws))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raws[0], &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"answer", "created_at", "key", "org", "request_hash", "route"}; !slices.Equal(keys, want) {
		t.Fatalf("stored fields %v, want %v", keys, want)
	}
	// The same key on the same route with another path is refused too (the
	// hash covers the path).
	_, ws1 := h.tierWorkspace(tokA, catalog.Dedicated, "hash-one")
	_, ws2 := h.tierWorkspace(tokA, catalog.Dedicated, "hash-two")
	body := api.StaticIPInput{Purpose: "outbound"}
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws1.ID), body, nil, api.IdempotencyKeyHeader, "ip-key")
	p := problem(t, h.do(tokA, "POST", path(api.RouteStaticIPs, ws2.ID), body, api.IdempotencyKeyHeader, "ip-key"), 422)
	if !hasFieldError(p, api.IdempotencyKeyHeader, "reused_key") {
		t.Fatalf("%+v", p)
	}
}

// An answer over MaxIdempotencyRecordBytes is not stored (its retry executes
// again); the API's real answers are far below the cap.
func TestOversizedAnswerNotStored(t *testing.T) {
	h := newHarness(t)
	q := &request{org: "org-a", now: h.clock.Now(), r: newPostRequest(api.RoutePlans)}
	ops, err := h.s.idempotencyOps(q, "big", answer{Status: 201, Body: []byte(strings.Repeat("x", MaxIdempotencyRecordBytes))})
	if err != nil || len(ops) != 0 {
		t.Fatalf("oversized answer: %d ops, %v", len(ops), err)
	}
	ops, err = h.s.idempotencyOps(q, "small", answer{Status: 201, Body: []byte(`{"id":"pln-1"}`)})
	if err != nil || len(ops) != 1 {
		t.Fatalf("small answer: %d ops, %v", len(ops), err)
	}
}

// At the per-organization cap the organization's oldest answer makes room;
// other organizations are untouched.
func TestIdempotencyCapPerOrganization(t *testing.T) {
	idempotencyKeysPerOrg = 5
	t.Cleanup(func() { idempotencyKeysPerOrg = MaxIdempotencyKeysPerOrg })
	h := newHarness(t)
	body := api.PlanInput{Tier: "standard", Region: "us-east"}
	h.must(201, tokB, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "b-0")
	for i := range 8 {
		h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "a-"+strconv.Itoa(i))
		h.clock.Advance(1)
	}
	if n := h.s.store.Count(store.OrgGroup(store.KindIdempotency, "org-a")); n != 5 {
		t.Fatalf("org A holds %d answers, cap 5", n)
	}
	if n := h.s.store.Count(store.OrgGroup(store.KindIdempotency, "org-b")); n != 1 {
		t.Fatalf("org B holds %d answers", n)
	}
	// The newest keys replay; the oldest (a-0..a-2) were dropped.
	plans := h.s.Counts("org-a")["plans"]
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "a-7")
	if h.s.Counts("org-a")["plans"] != plans {
		t.Fatal("newest key did not replay")
	}
	h.must(201, tokA, "POST", api.RoutePlans, body, nil, api.IdempotencyKeyHeader, "a-0")
	if h.s.Counts("org-a")["plans"] != plans+1 {
		t.Fatal("dropped key replayed")
	}
}

// A restarted emulator sweeps expired answers at start-up, before any write.
func TestIdempotencySweptAtStartup(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sweep.db")
	h := newHarness(t, func(c *Config) { c.DataFile = file })
	for i := range 3 {
		h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "s-"+strconv.Itoa(i))
	}
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, func(c *Config) { c.DataFile = file })
	if n := storedAnswers(t, h2); n != 3 {
		t.Fatalf("%d answers after a restart within the TTL", n)
	}
	_ = h2.s.Close()
	h3 := newHarness(t, func(c *Config) {
		c.DataFile = file
		c.Now = func() time.Time { return newClock().Now().Add(IdempotencyTTL + time.Minute) }
	})
	if n := storedAnswers(t, h3); n != 0 {
		t.Fatalf("%d expired answers survive a restart", n)
	}
}

func newPostRequest(route string) *http.Request {
	r := httptest.NewRequest("POST", route, nil)
	r.Pattern = "POST " + route
	return r
}
