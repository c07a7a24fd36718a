package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

const (
	tokA     = "token-a"
	tokB     = "token-b"
	tokAdmin = "admin-secret"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t     testing.TB
	s     *Server
	clock *fakeClock
}

// newHarness starts an in-memory emulator with orgs A and B, an admin token,
// a fake clock, and every tier provisioning immediately unless changed.
func newHarness(t testing.TB, mods ...func(*Config)) *harness {
	t.Helper()
	clock := newClock()
	cfg := Config{
		Tokens:     map[string]string{tokA: "org-a", tokB: "org-b"},
		AdminToken: tokAdmin,
		Provisioning: map[catalog.Tier]ProvisioningConfig{
			catalog.Standard:  {Mode: catalog.ProvisionImmediate},
			catalog.Premium:   {Mode: catalog.ProvisionImmediate},
			catalog.Dedicated: {Mode: catalog.ProvisionImmediate},
		},
		Now: clock.Now,
	}
	for _, m := range mods {
		m(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return &harness{t: t, s: s, clock: clock}
}

type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func (r *resp) String() string { return http.StatusText(r.Code) + ": " + string(r.Body) }

// do sends a request; body may be nil, a string (sent raw) or a value (JSON).
func (h *harness) do(token, method, path string, body any, headers ...string) *resp {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.s.ServeHTTP(rec, req)
	return &resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// must sends a request and fails unless the status matches; it decodes into out.
func (h *harness) must(want int, token, method, path string, body, out any, headers ...string) *resp {
	h.t.Helper()
	r := h.do(token, method, path, body, headers...)
	if r.Code != want {
		h.t.Fatalf("%s %s: got %d, want %d: %s", method, path, r.Code, want, r.Body)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			h.t.Fatalf("%s %s: decode %s: %v", method, path, r.Body, err)
		}
	}
	return r
}

// problem checks that r is a problem+json answer with the status and returns it.
func problem(t testing.TB, r *resp, status int) api.Problem {
	t.Helper()
	if r.Code != status {
		t.Fatalf("got %d, want %d: %s", r.Code, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != api.ProblemContentType {
		t.Fatalf("Content-Type %q, want %q (%s)", ct, api.ProblemContentType, r.Body)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	var p api.Problem
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body %s: %v", r.Body, err)
	}
	if p.Status != status || p.Title == "" || p.Detail == "" {
		t.Fatalf("incomplete problem %+v", p)
	}
	return p
}

// hasFieldError reports whether p names the field with the rule.
func hasFieldError(p api.Problem, field, rule string) bool {
	for _, e := range p.Errors {
		if e.Field == field && (rule == "" || e.Rule == rule) {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

func (h *harness) plan(token string, in api.PlanInput) api.Plan {
	h.t.Helper()
	var p api.Plan
	h.must(http.StatusCreated, token, "POST", api.RoutePlans, in, &p)
	return p
}

func (h *harness) workspace(token, sub string, planID string) api.Workspace {
	h.t.Helper()
	var w api.Workspace
	h.must(http.StatusCreated, token, "POST", api.RouteWorkspaces,
		api.WorkspaceInput{Name: "WS " + sub, Subdomain: sub, PlanID: planID}, &w)
	return w
}

// unprotect turns the workspace's deletion protection off, so it can be deleted.
func (h *harness) unprotect(token, wsID string) {
	h.t.Helper()
	off := false
	h.must(http.StatusOK, token, "PATCH", path(api.RouteWorkspace, wsID), api.WorkspaceInput{DeletionProtection: &off}, nil)
}

// tierWorkspace creates a plan of the tier and a workspace on it.
func (h *harness) tierWorkspace(token string, tier catalog.Tier, sub string) (api.Plan, api.Workspace) {
	h.t.Helper()
	p := h.plan(token, api.PlanInput{Tier: string(tier), Region: catalog.DefaultRegion})
	return p, h.workspace(token, sub, p.ID)
}

// path fills a route pattern's {name} wildcards in order.
func path(pattern string, ids ...string) string {
	for _, id := range ids {
		i := strings.Index(pattern, "{")
		j := strings.Index(pattern, "}")
		pattern = pattern[:i] + id + pattern[j+1:]
	}
	return pattern
}
