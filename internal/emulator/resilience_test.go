package emulator_test

import (
	"context"
	"fmt"
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
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// Integration of the real client with the real emulator: a POST whose answer
// is lost is retried with the same Idempotency-Key and creates exactly one
// object; under a mix of faults and concurrency nothing is lost or duplicated.

const resilienceToken = "tok-resilience"

func newEmulator(t *testing.T, faults emulator.FaultConfig) *emulator.Server {
	t.Helper()
	s, err := emulator.New(emulator.Config{
		Tokens: map[string]string{resilienceToken: "acme"},
		Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{
			catalog.Standard: {Mode: catalog.ProvisionImmediate},
		},
		Faults: faults,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newClient(t *testing.T, url string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: url, Token: resilienceToken, MaxRetries: 20,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loseFirstAnswers lets the emulator handle (and commit) the first attempt
// of every POST, then closes the connection instead of answering: the client
// sees a connection error for a write that happened.
type loseFirstAnswers struct {
	next http.Handler
	keys sync.Map // Idempotency-Key -> attempts
}

func (l *loseFirstAnswers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		l.next.ServeHTTP(w, r)
		return
	}
	key := r.Header.Get(api.IdempotencyKeyHeader)
	v, _ := l.keys.LoadOrStore(key, new(atomic.Int32))
	if v.(*atomic.Int32).Add(1) > 1 {
		l.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	l.next.ServeHTTP(rec, r) // committed
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close() // the answer is lost
}

func TestLostAnswerRetriedWithSameKeyCreatesOne(t *testing.T) {
	s := newEmulator(t, emulator.FaultConfig{})
	lose := &loseFirstAnswers{next: s}
	ts := httptest.NewServer(lose)
	t.Cleanup(ts.Close)
	c := newClient(t, ts.URL)
	ctx := context.Background()

	p, err := c.CreatePlan(ctx, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	if err != nil {
		t.Fatalf("CreatePlan after a lost answer: %v", err)
	}
	w, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Lost", Subdomain: "lost-answer", PlanID: p.ID})
	if err != nil {
		t.Fatalf("CreateWorkspace after a lost answer: %v", err)
	}
	if got := s.Counts("acme"); got["plans"] != 1 || got["workspaces"] != 1 {
		t.Fatalf("counts %v: a retried POST created a second object", got)
	}
	ws, err := c.ListWorkspaces(ctx)
	if err != nil || len(ws) != 1 || ws[0].ID != w.ID {
		t.Fatalf("the workspace returned (%s) is not the one stored (%v, %v)", w.ID, ws, err)
	}
	// Each logical call used one key, sent twice (lost, then replayed).
	n := 0
	lose.keys.Range(func(k, v any) bool {
		n++
		if k == "" {
			t.Error("a POST without Idempotency-Key")
		}
		if a := v.(*atomic.Int32).Load(); a != 2 {
			t.Errorf("key %v sent %d times, want 2", k, a)
		}
		return true
	})
	if n != 2 {
		t.Fatalf("%d keys for 2 logical calls", n)
	}
}

// TestClientConvergesUnderFaults: 8 goroutines create plans and workspaces
// through the emulator's own fault injection (drops after commit, 5xx, 429
// bursts, ~40 % of requests), then delete half. Every call succeeds and the
// emulator holds exactly the objects the callers were told about.
func TestClientConvergesUnderFaults(t *testing.T) {
	s := newEmulator(t, emulator.FaultConfig{DropRate: 0.2, ErrorRate: 0.15, RateLimitBurstRate: 0.05, Seed: 99})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c := newClient(t, ts.URL)
	ctx := context.Background()

	const workers, each = 8, 5
	var mu sync.Mutex
	var plans, workspaces []string
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p, err := c.CreatePlan(ctx, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
				if err != nil {
					errs <- err
					return
				}
				w, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "W", Subdomain: fmt.Sprintf("chaos-%d-%d", g, i), PlanID: p.ID, DeletionProtection: new(bool)})
				if err != nil {
					errs <- err
					return
				}
				if i%2 == 1 { // delete some again, under faults too
					if err := c.DeleteWorkspace(ctx, w.ID); err != nil && !client.IsNotFound(err) {
						errs <- err
						return
					}
					if err := c.DeletePlan(ctx, p.ID); err != nil && !client.IsNotFound(err) {
						errs <- err
						return
					}
					continue
				}
				mu.Lock()
				plans, workspaces = append(plans, p.ID), append(workspaces, w.ID)
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a call failed despite retries: %v", err)
	}
	if st := s.Stats(); st.Faulted == 0 {
		t.Fatal("no fault injected")
	}
	s.SetFaults(emulator.FaultConfig{})
	gotPlans, err := c.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gotWS, err := c.ListWorkspaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same := func(kind string, want []string, got []string) {
		sort.Strings(want)
		sort.Strings(got)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("%s: callers hold %v, the emulator %v", kind, want, got)
		}
	}
	var pids, wids []string
	for _, p := range gotPlans {
		pids = append(pids, p.ID)
	}
	for _, w := range gotWS {
		wids = append(wids, w.ID)
	}
	same("plans", plans, pids)
	same("workspaces", workspaces, wids)
	t.Logf("%d plans, %d workspaces kept; %d requests faulted", len(pids), len(wids), s.Stats().Faulted)
}
