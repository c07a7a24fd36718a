package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func fetchRequestLog(t *testing.T, h *harness, query string) []RequestLogEntry {
	t.Helper()
	var out api.List[RequestLogEntry]
	h.must(200, tokAdmin, "GET", RouteAdminRequests+query, nil, &out)
	return out.Items
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t)
	ok := h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil)
	bad := h.do(tokA, "POST", api.RoutePlans, `{"tier":"standard","region":"secret-region-mars"}`)
	h.must(200, tokB, "GET", api.RoutePlans, nil, nil)
	h.do("not-a-token", "GET", api.RoutePlans, nil)
	h.do(tokA, "GET", path(api.RouteWorkspace, "ws-raw-path-id"), nil)
	h.must(200, tokAdmin, "GET", api.RouteAdminStats, nil, nil) // admin requests are not logged

	all := fetchRequestLog(t, h, "")
	if len(all) != 5 {
		t.Fatalf("%d entries: %+v", len(all), all)
	}
	a := fetchRequestLog(t, h, "?org=org-a")
	if len(a) != 3 {
		t.Fatalf("org-a: %+v", a)
	}
	// Oldest first, newest last; the route is the pattern, never the raw path.
	if a[0].Status != 201 || a[0].Method != "POST" || a[0].Route != api.RoutePlans || a[0].Org != "org-a" ||
		a[0].RequestID != ok.Header.Get(api.RequestIDHeader) || a[0].Problem != nil || a[0].Time.IsZero() || a[0].LatencyMS < 0 {
		t.Fatalf("first: %+v", a[0])
	}
	if e := a[1]; e.Status != 422 || e.RequestID != bad.Header.Get(api.RequestIDHeader) || e.Problem == nil ||
		e.Problem.Title != "Unprocessable Entity" || len(e.Problem.Errors) != 1 || e.Problem.Errors[0].Field != "region" {
		t.Fatalf("422: %+v %+v", e, e.Problem)
	}
	if e := a[2]; e.Route != api.RouteWorkspace || e.Status != 404 {
		t.Fatalf("404: %+v", e)
	}
	if e := all[3]; e.Org != "" || e.Status != 401 {
		t.Fatalf("401: %+v", e)
	}
	// Never a token, a body value or a raw path.
	raw := h.do(tokAdmin, "GET", RouteAdminRequests, nil).Body
	for _, secret := range []string{tokA, tokB, "not-a-token", "secret-region-mars", "ws-raw-path-id"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("the request log holds %q: %s", secret, raw)
		}
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc) != 1 || doc["items"] == nil {
		t.Fatalf(`want {"items":[...]}: %s`, raw)
	}
	// limit keeps the newest.
	if last := fetchRequestLog(t, h, "?org=org-a&limit=1"); len(last) != 1 || last[0].Route != api.RouteWorkspace {
		t.Fatalf("limit=1: %+v", last)
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?limit=1000001", "?since=1"} {
		problem(t, h.do(tokAdmin, "GET", RouteAdminRequests+q, nil), 400)
	}
	problem(t, h.do(tokA, "GET", RouteAdminRequests, nil), http.StatusForbidden)
}

// The log is a ring of fixed capacity: memory stays bounded, the newest stay.
func TestRequestLogCapacity(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RequestLogSize = 3 })
	var ids []string
	for i := 0; i < 10; i++ {
		ids = append(ids, h.do(tokA, "GET", api.RoutePlans, nil).Header.Get(api.RequestIDHeader))
	}
	got := fetchRequestLog(t, h, "?limit=100")
	if len(got) != 3 || got[0].RequestID != ids[7] || got[2].RequestID != ids[9] {
		t.Fatalf("%+v", got)
	}
	if len(h.s.reqlog.buf) != 3 {
		t.Fatalf("capacity %d", len(h.s.reqlog.buf))
	}
	off := newHarness(t, func(c *Config) { c.RequestLogSize = -1 })
	off.do(tokA, "GET", api.RoutePlans, nil)
	if got := fetchRequestLog(t, off, ""); len(got) != 0 {
		t.Fatalf("disabled log holds %+v", got)
	}
	if _, err := New(Config{RequestLogSize: MaxRequestLogSize + 1}); err == nil {
		t.Fatal("oversized request log accepted")
	}
}

// A dropped connection is logged as such.
func TestRequestLogDropped(t *testing.T) {
	h := newHarness(t)
	ts, c := liveServer(t, h)
	h.s.SetFaults(FaultConfig{DropRate: 1, Seed: 1})
	if _, _, err := liveDo(c, "GET", ts.URL+api.RoutePlans, tokA, nil); err == nil {
		t.Fatal("not dropped")
	}
	// The entry is written when the handler returns, which may be just after
	// the client saw its connection close: wait for it, boundedly.
	got := h.s.RequestLog("org-a", 10)
	for i := 0; i < 200 && len(got) == 0; i++ {
		time.Sleep(10 * time.Millisecond)
		got = h.s.RequestLog("org-a", 10)
	}
	if len(got) != 1 || !got[0].Dropped || got[0].Status != 0 {
		t.Fatalf("%+v", got)
	}
}

func TestReadyz(t *testing.T) {
	h := newHarness(t)
	if r := h.do("", "GET", "/readyz", nil); r.Code != 200 || string(r.Body) != `{"status":"ready"}` {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	r := h.do("", "GET", "/readyz", nil)
	p := problem(t, r, http.StatusServiceUnavailable)
	if !strings.Contains(p.Detail, "closed") || r.Header.Get("Retry-After") == "" {
		t.Fatalf("%+v", p)
	}
	// Alive all the same.
	h.must(200, "", "GET", "/healthz", nil, nil)
}

// format=text is a table a person reads in a failed CI job: one request a
// line, with the route pattern, status, request ID and the problem's field:rule.
func TestRequestLogTextForm(t *testing.T) {
	h := newHarness(t)
	empty := h.do(tokAdmin, "GET", RouteAdminRequests+"?format=text", nil)
	if empty.Code != 200 || !strings.Contains(string(empty.Body), "(no requests logged)") {
		t.Fatalf("empty log: %d %s", empty.Code, empty.Body)
	}
	ok := h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard"}, nil)
	bad := h.do(tokA, "POST", api.RoutePlans, `{"tier":"premium","region":"us-east","vpn":true,"max_users":999999}`)
	h.do(tokB, "GET", path(api.RouteWorkspace, "ws-raw-path-id"), nil)

	r := h.do(tokAdmin, "GET", RouteAdminRequests+"?org=org-a&format=text", nil)
	if r.Code != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("%d %s: %s", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	lines := strings.Split(strings.TrimRight(string(r.Body), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and org-a's 2 requests:\n%s", r.Body)
	}
	for _, w := range []string{"TIME", "ORG", "METHOD", "ROUTE", "STATUS", "REQUEST ID", "PROBLEM"} {
		if !strings.Contains(lines[0], w) {
			t.Errorf("header %q misses %s", lines[0], w)
		}
	}
	first, second := strings.Fields(lines[1]), strings.Fields(lines[2])
	if len(first) != 8 || first[1] != "org-a" || first[2] != "POST" || first[3] != api.RoutePlans || first[4] != "201" ||
		first[6] != ok.Header.Get(api.RequestIDHeader) || first[7] != "-" {
		t.Errorf("the created plan's line: %q", lines[1])
	}
	if second[4] != "422" || second[6] != bad.Header.Get(api.RequestIDHeader) || second[7] != "Unprocessable_Entity" ||
		!strings.Contains(lines[2], "vpn:"+catalog.RuleTierFeature) || !strings.Contains(lines[2], "max_users:"+catalog.RuleUsageCap) {
		t.Errorf("the refused plan's line: %q", lines[2])
	}
	all := string(h.do(tokAdmin, "GET", RouteAdminRequests+"?format=text", nil).Body)
	if !strings.Contains(all, api.RouteWorkspace) || strings.Contains(all, "ws-raw-path-id") || strings.Contains(all, tokA) {
		t.Errorf("the whole log, as text, shows a raw path or a token, or misses a route:\n%s", all)
	}
	p := problem(t, h.do(tokAdmin, "GET", RouteAdminRequests+"?format=xml", nil), 400)
	if !hasFieldError(p, "format", catalog.RuleOneOf) {
		t.Errorf("format=xml: %+v", p.Errors)
	}
}

// A field name that came from a request body cannot break the table's lines.
func TestRequestLogTextCells(t *testing.T) {
	got := requestLogText([]RequestLogEntry{{Time: time.Unix(0, 0), Org: "o", Method: "POST", Route: api.RoutePlans, Status: 400,
		RequestID: "r", Problem: &RequestLogProblem{Title: "Bad Request", Errors: []RequestLogFieldRule{{Field: "a\nb\tc", Rule: "unknown_field"}}}}})
	if lines := strings.Split(strings.TrimRight(got, "\n"), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "a?b?c:unknown_field") {
		t.Fatalf("%q", got)
	}
}
