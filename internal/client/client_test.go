package client

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

const testToken = "s3cr3t-t0ken-value"

type logEntry struct {
	msg    string
	fields map[string]any
}

type recordingLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{msg: msg, fields: fields})
}

func (l *recordingLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

func newTestClient(t testing.TB, url string, mutate ...func(*Config)) (*Client, *recordingLogger) {
	t.Helper()
	logger := &recordingLogger{}
	cfg := Config{
		Endpoint:     url,
		Token:        testToken,
		UserAgent:    "terraform-provider-rocketchat/test Terraform/1.11.4",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		Logger:       logger,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, logger
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, p api.Problem) {
	w.Header().Set("Content-Type", api.ProblemContentType)
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func TestRetriesServerErrorsThenSucceeds(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) <= 2 {
					writeProblem(w, api.Problem{Title: http.StatusText(status), Status: status})
					return
				}
				writeJSON(w, 200, api.Workspace{ID: "ws-1", Name: "acme"})
			}))
			defer srv.Close()
			c, logger := newTestClient(t, srv.URL)

			ws, err := c.GetWorkspace(context.Background(), "ws-1")
			if err != nil {
				t.Fatalf("GetWorkspace: %v", err)
			}
			if ws.ID != "ws-1" || ws.Name != "acme" {
				t.Fatalf("got %+v", ws)
			}
			if n := calls.Load(); n != 3 {
				t.Fatalf("server saw %d attempts, want 3", n)
			}
			entries := logger.all()
			if len(entries) != 3 {
				t.Fatalf("logged %d lines, want 3", len(entries))
			}
			for i, e := range entries {
				if e.fields["attempt"] != i+1 || e.fields["method"] != "GET" || e.fields["path"] != "/v1/workspaces/ws-1" {
					t.Errorf("line %d: %v", i, e.fields)
				}
				if _, ok := e.fields["duration_ms"]; !ok {
					t.Errorf("line %d lacks duration: %v", i, e.fields)
				}
			}
			if entries[0].fields["status"] != status || entries[2].fields["status"] != 200 {
				t.Errorf("statuses: %v / %v", entries[0].fields["status"], entries[2].fields["status"])
			}
		})
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	cases := []struct {
		status   int
		sentinel error
	}{
		{400, ErrValidation},
		{401, ErrUnauthorized},
		{403, ErrUnauthorized},
		{404, ErrNotFound},
		{409, ErrConflict},
		{422, ErrValidation},
		{501, nil},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeProblem(w, api.Problem{Title: http.StatusText(tc.status), Status: tc.status, Detail: "nope"})
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL)

			_, err := c.CreatePlan(context.Background(), api.PlanInput{Tier: "pro", Region: "us"})
			if err == nil {
				t.Fatal("want an error")
			}
			if n := calls.Load(); n != 1 {
				t.Fatalf("server saw %d attempts, want 1", n)
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Fatalf("want *Error with %d, got %T %v", tc.status, err, err)
			}
			if strings.Contains(err.Error(), "giving up") {
				t.Errorf("single attempt reported as exhausted retries: %v", err)
			}
			for _, s := range []error{ErrNotFound, ErrConflict, ErrValidation, ErrUnauthorized, ErrRateLimited} {
				if got, want := errors.Is(err, s), s == tc.sentinel; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
				}
			}
			if IsNotFound(err) != (tc.status == 404) {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
		})
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeProblem(w, api.Problem{Title: "Service Unavailable", Status: 503, Detail: "maintenance"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })

	err := c.DeleteWorkspace(context.Background(), "ws-1")
	if n := calls.Load(); n != 3 {
		t.Fatalf("server saw %d attempts, want 3", n)
	}
	want := "giving up after 3 attempts: DELETE /v1/workspaces/ws-1: 503 Service Unavailable: maintenance"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("want wrapped *Error, got %T", err)
	}
}

func TestDefaultAndDisabledRetries(t *testing.T) {
	for _, tc := range []struct {
		maxRetries int
		want       int32
	}{{0, 5}, {-1, 1}, {1, 2}} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(500)
		}))
		c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = tc.maxRetries })
		_, err := c.ListPlans(context.Background())
		srv.Close()
		if err == nil {
			t.Fatalf("MaxRetries=%d: want error", tc.maxRetries)
		}
		if n := calls.Load(); n != tc.want {
			t.Errorf("MaxRetries=%d: %d attempts, want %d", tc.maxRetries, n, tc.want)
		}
	}
}

func TestTransportErrorGivesUpWithAttempts(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more: connection refused

	c, logger := newTestClient(t, url, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetPlan(context.Background(), "p-1")
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if n := len(logger.all()); n != 3 {
		t.Fatalf("logged %d attempts, want 3", n)
	}
	for _, e := range logger.all() {
		if e.fields["status"] != 0 || e.fields["error"] == nil {
			t.Errorf("transport failure logged as %v", e.fields)
		}
	}
}

func TestRateLimitedRetryAfterThenSuccess(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			writeProblem(w, api.Problem{Title: "Too Many Requests", Status: 429})
			return
		}
		writeJSON(w, 200, api.List[api.Plan]{Items: []api.Plan{{ID: "p-1"}}})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	plans, err := c.ListPlans(context.Background())
	if err != nil || len(plans) != 1 || plans[0].ID != "p-1" {
		t.Fatalf("ListPlans = %v, %v", plans, err)
	}
	if calls.Load() != 2 {
		t.Fatalf("attempts = %d", calls.Load())
	}
}

func TestRateLimitedExhausted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		writeProblem(w, api.Problem{Title: "Too Many Requests", Status: 429})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 1 })
	_, err := c.ListWorkspaces(context.Background())
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("want ErrRateLimited, got %v", err)
	}
}

// TestRetryAfterWaitsForReal checks end to end that the wait happened; the
// arithmetic itself is covered by the backoff unit tests.
func TestRetryAfterWaitsForReal(t *testing.T) {
	if testing.Short() {
		t.Skip("waits one second")
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	start := time.Now()
	if err := c.DeletePlan(context.Background(), "p-1"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 950*time.Millisecond {
		t.Fatalf("Retry-After: 1 not honoured, retried after %s", d)
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(503)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetWorkspace(ctx, "ws-1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancel did not stop the wait (%s)", d)
	}
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		writeJSON(w, 200, api.Plan{ID: "p-1"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	p, err := c.GetPlan(context.Background(), "p-1")
	if err != nil || p.ID != "p-1" {
		t.Fatalf("GetPlan = %v, %v", p, err)
	}
	if calls.Load() != 2 {
		t.Fatalf("attempts = %d, want 2", calls.Load())
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestPostAfterDroppedConnectionKeepsIdempotencyKey(t *testing.T) {
	var (
		mu   sync.Mutex
		keys []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		keys = append(keys, r.Header.Get(api.IdempotencyKeyHeader))
		n := len(keys)
		mu.Unlock()
		if n <= 2 {
			// The server got the request (and may have acted on it) but the
			// answer is lost: close the connection without a response.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
			return
		}
		var in api.PlanInput
		if err := json.Unmarshal(body, &in); err != nil {
			t.Errorf("retried body unreadable: %v (%q)", err, body)
		}
		writeJSON(w, 201, api.Plan{ID: "p-1", PlanInput: in, Status: api.StatusActive})
	}))
	defer srv.Close()
	c, logger := newTestClient(t, srv.URL)

	plan, err := c.CreatePlan(context.Background(), api.PlanInput{Tier: "pro", Region: "us-east"})
	if err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	if plan.ID != "p-1" || plan.Tier != "pro" || plan.Region != "us-east" {
		t.Fatalf("plan = %+v", plan)
	}
	mu.Lock()
	got := append([]string(nil), keys...)
	mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("server saw %d attempts, want 3", len(got))
	}
	if !uuidRE.MatchString(got[0]) {
		t.Fatalf("key %q is not UUID-like", got[0])
	}
	for i, k := range got {
		if k != got[0] {
			t.Fatalf("attempt %d used key %q, first used %q", i+1, k, got[0])
		}
	}
	if n := len(logger.all()); n != 3 {
		t.Errorf("logged %d attempts, want 3", n)
	}

	// A new logical call gets a new key.
	if _, err := c.CreatePlan(context.Background(), api.PlanInput{Tier: "pro", Region: "us-east"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if keys[len(keys)-1] == got[0] {
		t.Fatal("second call reused the first call's key")
	}
}

func TestTypedErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+api.RoutePlans, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, api.Problem{
			Type: "https://docs.example/validation", Title: "Unprocessable Entity", Status: 422,
			Detail: "invalid plan",
			Errors: []api.FieldError{
				{Field: "tier", Rule: "one_of", Message: "must be one of starter, pro", Allowed: []string{"starter", "pro"}},
				{Field: "max_users", Rule: "range", Message: "must be at most 500"},
			},
		})
	})
	mux.HandleFunc("GET "+api.RoutePlan, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, api.Problem{Title: "Not Found", Status: 404, Detail: "plan " + r.PathValue("plan_id") + " not found"})
	})
	mux.HandleFunc("GET "+api.RouteWorkspace, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(403)
		_, _ = io.WriteString(w, "  <html>forbidden by proxy</html>\n")
	})
	mux.HandleFunc("DELETE "+api.RouteWorkspace, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, api.Problem{Title: "Conflict", Status: 409, Detail: "workspace has domains"})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()

	_, err := c.CreatePlan(ctx, api.PlanInput{Tier: "gold"})
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("want ErrValidation, got %v", err)
	}
	want := "POST /v1/plans: 422 Unprocessable Entity: invalid plan; tier: must be one of starter, pro; max_users: must be at most 500"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
	fe := FieldErrors(fmt.Errorf("provider: %w", err))
	if len(fe) != 2 || fe[0].Field != "tier" || fe[0].Rule != "one_of" || len(fe[0].Allowed) != 2 || fe[1].Field != "max_users" {
		t.Errorf("FieldErrors = %+v", fe)
	}

	_, err = c.GetPlan(ctx, "p-404")
	if !IsNotFound(err) || !IsNotFound(fmt.Errorf("wrapped: %w", err)) {
		t.Fatalf("want not found, got %v", err)
	}
	if err.Error() != "GET /v1/plans/p-404: 404 Not Found: plan p-404 not found" {
		t.Errorf("Error() = %q", err.Error())
	}
	if FieldErrors(err) != nil {
		t.Errorf("404 has no field errors")
	}

	_, err = c.GetWorkspace(ctx, "ws-1")
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("want 403 *Error, got %v", err)
	}
	if apiErr.Problem.Detail != "<html>forbidden by proxy</html>" || apiErr.Problem.Title != "Forbidden" || apiErr.Problem.Status != 403 {
		t.Errorf("fallback problem = %+v", apiErr.Problem)
	}

	if err := c.DeleteWorkspace(ctx, "ws-1"); !errors.Is(err, ErrConflict) {
		t.Fatalf("want ErrConflict, got %v", err)
	}

	if FieldErrors(errors.New("plain")) != nil || IsNotFound(nil) || RequestID(errors.New("plain")) != "" {
		t.Error("helpers on non-API errors")
	}
}

// Typed errors carry the API's request ID, from the X-Request-Id header or,
// when a proxy dropped the header, from the problem document; Error() shows it.
func TestErrorsCarryRequestID(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.RoutePlan, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(api.RequestIDHeader, "req-header1")
		writeProblem(w, api.Problem{Title: "Not Found", Status: 404, Detail: "plan p-1 not found", RequestID: "req-header1"})
	})
	mux.HandleFunc("GET "+api.RouteWorkspace, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, api.Problem{Title: "Conflict", Status: 409, Detail: "busy", RequestID: "req-body2"})
	})
	mux.HandleFunc("DELETE "+api.RouteWorkspace, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError) // no ID at all
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()

	_, err := c.GetPlan(ctx, "p-1")
	if got := RequestID(fmt.Errorf("wrapped: %w", err)); got != "req-header1" {
		t.Errorf("RequestID = %q, want req-header1", got)
	}
	if want := "GET /v1/plans/p-1: 404 Not Found: plan p-1 not found (request ID req-header1)"; err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
	_, err = c.GetWorkspace(ctx, "ws-1")
	if got := RequestID(err); got != "req-body2" || !strings.HasSuffix(err.Error(), "(request ID req-body2)") {
		t.Errorf("from the body: RequestID = %q, Error() = %q", got, err.Error())
	}
	c, _ = newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	err = c.DeleteWorkspace(ctx, "ws-1")
	if RequestID(err) != "" || strings.Contains(err.Error(), "request ID") {
		t.Errorf("no ID sent, yet: %v", err)
	}
}

func TestTokenNeverLogged(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(500)
		case 2:
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case 3:
			writeJSON(w, 201, api.Workspace{ID: "ws-1"})
		default:
			writeProblem(w, api.Problem{Title: "Bad Request", Status: 400, Detail: "bad"})
		}
	}))
	defer srv.Close()
	c, logger := newTestClient(t, srv.URL)
	ctx := context.Background()
	if _, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "a", Subdomain: "a", PlanID: "p", AdminPassword: "pw"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.UpdateWorkspace(ctx, "ws-1", api.WorkspaceInput{Name: "b"})
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Fatalf("err = %v", err)
	}

	// The dropped connection was a reused keep-alive one, so net/http may
	// replay the POST itself (it carries an Idempotency-Key): 3 or 4 lines.
	entries := logger.all()
	if len(entries) < 3 {
		t.Fatalf("logged %d lines, want at least 3", len(entries))
	}
	for _, e := range entries {
		dump := fmt.Sprintf("%s %#v %v", e.msg, e.fields, e.fields)
		if strings.Contains(dump, testToken) {
			t.Fatalf("token leaked into log: %s", dump)
		}
		h, ok := e.fields["headers"].(map[string]string)
		if !ok || h["Authorization"] != "Bearer ***" {
			t.Errorf("headers not redacted as Bearer ***: %v", e.fields["headers"])
		}
	}
	cfg := Config{Endpoint: srv.URL, Token: testToken}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", *c)} {
		if strings.Contains(s, testToken) {
			t.Errorf("token leaked by formatting: %s", s)
		}
	}
}

func TestRequestHeaders(t *testing.T) {
	type seen struct {
		method, ua, accept, ctype, key string
	}
	var (
		mu  sync.Mutex
		got []seen
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Method, r.Header.Get("User-Agent"), r.Header.Get("Accept"), r.Header.Get("Content-Type"), r.Header.Get(api.IdempotencyKeyHeader)})
		mu.Unlock()
		switch r.Method {
		case http.MethodDelete:
			w.WriteHeader(204)
		case http.MethodPost:
			writeJSON(w, 201, map[string]any{"id": "ip", "workspace_id": "ws"})
		default:
			writeJSON(w, 200, map[string]any{"id": "ip", "workspace_id": "ws"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	if _, err := c.CreateStaticIP(ctx, "ws", api.StaticIPInput{Purpose: "egress"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateStaticIP(ctx, "ws", "ip", api.StaticIPInput{Description: "d"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStaticIP(ctx, "ws", "ip"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteStaticIP(ctx, "ws", "ip"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range got {
		if s.ua != "terraform-provider-rocketchat/test Terraform/1.11.4" || s.accept != "application/json" {
			t.Errorf("%s: UA %q Accept %q", s.method, s.ua, s.accept)
		}
		hasBody := s.method == http.MethodPost || s.method == http.MethodPatch
		if (s.ctype == "application/json") != hasBody {
			t.Errorf("%s: Content-Type %q", s.method, s.ctype)
		}
		if (s.key != "") != (s.method == http.MethodPost) {
			t.Errorf("%s: Idempotency-Key %q", s.method, s.key)
		}
	}
}

func TestPathEscaping(t *testing.T) {
	const (
		wsID   = "ws/../admin"
		ruleID = "r 1/?#%2F.."
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.RouteFirewallRule, func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("workspace_id") != wsID || r.PathValue("rule_id") != ruleID {
			t.Errorf("path values %q %q (raw %s)", r.PathValue("workspace_id"), r.PathValue("rule_id"), r.URL.EscapedPath())
		}
		if r.URL.RawQuery != "" {
			t.Errorf("ID leaked into the query: %q", r.URL.RawQuery)
		}
		writeJSON(w, 200, api.FirewallRule{ID: ruleID, WorkspaceID: wsID})
	})
	var stray atomic.Int32
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		stray.Add(1)
		t.Errorf("request reached %s %s", r.Method, r.URL.EscapedPath())
		w.WriteHeader(404)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, logger := newTestClient(t, srv.URL)

	rule, err := c.GetFirewallRule(context.Background(), wsID, ruleID)
	if err != nil || rule.ID != ruleID {
		t.Fatalf("GetFirewallRule = %+v, %v", rule, err)
	}
	if p := logger.all()[0].fields["path"]; p != "/v1/workspaces/ws%2F..%2Fadmin/firewall-rules/r%201%2F%3F%23%252F.." {
		t.Errorf("logged path %v", p)
	}

	for _, bad := range []string{"", ".", ".."} {
		if _, err := c.GetFirewallRule(context.Background(), "ws", bad); err == nil {
			t.Errorf("ID %q accepted", bad)
		}
		if err := c.DeleteWorkspace(context.Background(), bad); err == nil || IsNotFound(err) {
			t.Errorf("workspace ID %q: %v", bad, err)
		}
	}
	if stray.Load() != 0 {
		t.Fatal("invalid IDs reached the server")
	}
}

func TestCABundle(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, api.Workspace{ID: "ws-1"})
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failing handshake is expected
	srv.StartTLS()
	defer srv.Close()
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})

	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.CACertPEM = certPEM })
	if ws, err := c.GetWorkspace(context.Background(), "ws-1"); err != nil || ws.ID != "ws-1" {
		t.Fatalf("with CA bundle: %v, %v", ws, err)
	}

	c, logger := newTestClient(t, srv.URL)
	_, err := c.GetWorkspace(context.Background(), "ws-1")
	if err == nil {
		t.Fatal("untrusted certificate accepted")
	}
	if n := len(logger.all()); n != 1 {
		t.Errorf("certificate failure retried: %d attempts (%v)", n, err)
	}

	if _, err := New(Config{Endpoint: srv.URL, Token: "t", CACertPEM: []byte("not a pem")}); err == nil {
		t.Error("bad PEM accepted")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := map[string]Config{
		"empty endpoint":   {Token: "t"},
		"no scheme":        {Endpoint: "127.0.0.1:8080", Token: "t"},
		"ftp scheme":       {Endpoint: "ftp://example.com", Token: "t"},
		"no host":          {Endpoint: "http://", Token: "t"},
		"unparsable":       {Endpoint: "http://[::1", Token: "t"},
		"query":            {Endpoint: "http://example.com/?a=b", Token: "t"},
		"empty token":      {Endpoint: "http://example.com"},
		"blank token":      {Endpoint: "http://example.com", Token: "  "},
		"token newline":    {Endpoint: "http://example.com", Token: "a\nb"},
		"bad CA":           {Endpoint: "https://example.com", Token: "t", CACertPEM: []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")},
		"wait max < min":   {Endpoint: "http://example.com", Token: "t", RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond},
		"negative timeout": {Endpoint: "http://example.com", Token: "t", RequestTimeout: -time.Second},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
	c, err := New(Config{Endpoint: "https://api.example.com/", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if c.base != "https://api.example.com" || c.http.RetryMax != DefaultMaxRetries ||
		c.http.RetryWaitMin != DefaultRetryWaitMin || c.http.RetryWaitMax != DefaultRetryWaitMax ||
		c.http.HTTPClient.Timeout != DefaultRequestTimeout || c.http.Logger != nil {
		t.Errorf("defaults not applied: base %q retries %d", c.base, c.http.RetryMax)
	}
}

func BenchmarkGetWorkspace(b *testing.B) {
	payload, _ := json.Marshal(api.Workspace{ID: "ws-1", Name: "acme", Subdomain: "acme", Status: api.StatusReady, CreatedAt: time.Now()})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(payload)
	}))
	defer srv.Close()
	c, _ := newTestClient(b, srv.URL, func(cfg *Config) { cfg.Logger = nil })
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetWorkspace(ctx, "ws-1"); err != nil {
			b.Fatal(err)
		}
	}
}

// Terraform's parallel walk keeps about ten requests in flight: the client
// must reuse its connections rather than open one for most requests.
func TestParallelRequestsReuseConnections(t *testing.T) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"ws-1"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	const parallel, rounds = 10, 20
	for range rounds {
		var wg sync.WaitGroup
		for range parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.GetWorkspace(context.Background(), "ws-1"); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	if n := opened.Load(); n > 2*parallel {
		t.Fatalf("%d connections opened for %d requests, %d at a time; want them reused", n, parallel*rounds, parallel)
	}
}
