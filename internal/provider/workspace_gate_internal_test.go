package provider

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// gateServer answers GET /v1/workspaces/{id} with a premium workspace after
// release is closed, counting the reads.
func gateServer(t *testing.T, release <-chan struct{}) (*client.Client, *atomic.Int32) {
	t.Helper()
	var reads atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.RouteWorkspace, func(w http.ResponseWriter, r *http.Request) {
		reads.Add(1)
		<-release
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(api.Workspace{ID: r.PathValue("workspace_id"), Tier: string(catalog.Premium), Status: api.StatusReady})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &reads
}

// Concurrent gates of one walk read a workspace once (the others wait for
// that read), and each planned create gets its own count.
func TestGateCacheReadsOnceAndCountsEachCreate(t *testing.T) {
	release := make(chan struct{})
	c, reads := gateServer(t, release)
	g := newGateCache(c, nil)
	const n = 20
	counts := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, counts[i], _ = g.reserve(context.Background(), "ws-1", catalog.FeatureStaticIPs)
		}()
	}
	// Let every goroutine reach the cache before the one read answers
	// (bounded: the read is counted as soon as it arrives).
	for i := 0; reads.Load() == 0 && i < 1000; i++ {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if got := reads.Load(); got != 1 {
		t.Errorf("%d reads of the workspace for %d gates; want 1", got, n)
	}
	sort.Ints(counts)
	for i, c := range counts {
		if c != i+1 {
			t.Fatalf("counts %v; want 1..%d, one per create", counts, n)
		}
	}
	// Another kind of child has its own count; another workspace its own read.
	if _, k, _ := g.reserve(context.Background(), "ws-1", catalog.FeatureFirewallRules); k != 1 {
		t.Errorf("first firewall rule counted as %d", k)
	}
	if _, _, err := g.reserve(context.Background(), "ws-2", catalog.FeatureFirewallRules); err != nil || reads.Load() != 2 {
		t.Errorf("second workspace: err %v, %d reads", err, reads.Load())
	}
}

// A workspace answer of the same walk (create, update, refresh) seeds the
// gates: no read at all. A seed never replaces a snapshot gates already use.
func TestGateCacheSeed(t *testing.T) {
	release := make(chan struct{})
	close(release)
	c, reads := gateServer(t, release)
	g := newGateCache(c, nil)
	g.seed(&api.Workspace{ID: "ws-1", Tier: string(catalog.Standard)})
	ws, k, err := g.reserve(context.Background(), "ws-1", catalog.FeatureCustomDomains)
	if err != nil || ws.Tier != string(catalog.Standard) || k != 1 || reads.Load() != 0 {
		t.Fatalf("seeded: tier %v, count %d, err %v, %d reads", ws, k, err, reads.Load())
	}
	g.seed(&api.Workspace{ID: "ws-1", Tier: string(catalog.Premium)})
	if ws, k, _ = g.reserve(context.Background(), "ws-1", catalog.FeatureCustomDomains); ws.Tier != string(catalog.Standard) || k != 2 {
		t.Errorf("a second seed replaced the snapshot (tier %s) or reset the count (%d)", ws.Tier, k)
	}
	var nilCache *gateCache
	nilCache.seed(&api.Workspace{ID: "ws-1"}) // resources configured without gates: no-op
}

// An interrupt (the caller's context cancelled) is not a timeout.
func TestWaitForTellsInterruptFromTimeout(t *testing.T) {
	never := func(context.Context) (bool, error) { return false, nil }
	if err := waitFor(context.Background(), 50*time.Millisecond, never); !errors.Is(err, errWaitTimeout) || errors.Is(err, errWaitInterrupted) {
		t.Errorf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := waitFor(ctx, time.Hour, never); !errors.Is(err, errWaitInterrupted) || errors.Is(err, errWaitTimeout) {
		t.Errorf("interrupt: %v", err)
	}
	failing := func(ctx context.Context) (bool, error) { return false, ctx.Err() }
	if err := waitFor(ctx, time.Hour, failing); !errors.Is(err, errWaitInterrupted) {
		t.Errorf("interrupt seen by the check: %v", err)
	}
}
