package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// consoleSession logs in to the console in process and returns a function
// that serves a GET of a console page with the session's cookie.
func consoleSession(tb testing.TB, s *Server) func(target string) *httptest.ResponseRecorder {
	tb.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/console/login", nil))
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || m == nil {
		tb.Fatalf("login page: %d", rec.Code)
	}
	req := httptest.NewRequest("POST", "/console/login", strings.NewReader(url.Values{"csrf": {m[1]}, "token": {tokAdmin}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "rc_console" {
			session = c
		}
	}
	if rec.Code != http.StatusSeeOther || session == nil {
		tb.Fatalf("login: %d", rec.Code)
	}
	return func(target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", target, nil)
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			tb.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
		return rec
	}
}

// smallEstate gives organization A n plans, each with a workspace and a
// firewall rule.
func smallEstate(h *harness, n int) {
	for i := range n {
		_, ws := h.tierWorkspace(tokA, catalog.Premium, "small-"+strconv.Itoa(i))
		h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}, nil)
	}
}

// The console's pages read what the organization shown holds, through the
// API's index, whatever another organization holds: with B at 4,000
// objects, A's estate page decodes A's records only, and the organizations
// page decodes none.
func TestConsoleReadsThroughTheIndex(t *testing.T) {
	h := newHarness(t)
	populateOrg(t, h.s, "org-b", 4000)
	smallEstate(h, 3)
	get := consoleSession(t, h.s)
	for _, c := range []struct {
		target string
		most   int64
	}{
		{"/console/", 0},
		{"/console/orgs/org-a", 3 * 3}, // each plan, its workspace, its rule
		{"/console/pending?org=org-a", 0},
		{"/console/requests?org=org-a", 0},
		{"/console/tiers", 0},
	} {
		before := h.s.store.Decoded.Load()
		body := get(c.target).Body.String()
		if n := h.s.store.Decoded.Load() - before; n > c.most {
			t.Errorf("GET %s decoded %d records with B holding 4000 objects; want at most %d", c.target, n, c.most)
		}
		if strings.Contains(body, "ws-org-b-") && c.target != "/console/" {
			t.Errorf("GET %s shows B's objects", c.target)
		}
	}
	// The organizations page counts from the index: B's 1000 plans by tier.
	if body := get("/console/").Body.String(); !strings.Contains(body, ">1000<") {
		t.Errorf("B's 1000 dedicated plans are not counted: %s", body)
	}
	// The pending page of every organization is bounded by its limit, not B's size.
	before := h.s.store.Decoded.Load()
	body := get("/console/pending").Body.String()
	if n := h.s.store.Decoded.Load() - before; n > 200 {
		t.Errorf("the pending page decoded %d records", n)
	}
	if !strings.Contains(body, "Only the first 100") {
		t.Error("the pending page does not say that it shows the first 100 of B's 1000 unverified domains")
	}
}

// BenchmarkConsoleEstatePage: organization A's first estate page on the
// console, beside A's API lists, as organization B grows from 0 to 100,000
// objects. Flat numbers across B's sizes mean the console reads A's index
// groups only; the ratio to the API's lists is what the page adds (each
// plan's workspace and its children).
// Run: go test -run '^$' -bench ConsoleEstatePage ./internal/emulator/
func BenchmarkConsoleEstatePage(b *testing.B) {
	for _, n := range []int{0, 100_000} {
		h := newHarness(b)
		populateOrg(b, h.s, "org-b", n)
		smallEstate(h, 20)
		get := consoleSession(b, h.s)
		api := func(target string) {
			req := httptest.NewRequest("GET", target, nil)
			req.Header.Set("Authorization", "Bearer "+tokA)
			rec := httptest.NewRecorder()
			h.s.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("GET %s: %d", target, rec.Code)
			}
		}
		size := "B=" + strconv.Itoa(n)
		decodedPerOp := func(b *testing.B) func() {
			start := h.s.store.Decoded.Load()
			return func() { b.ReportMetric(float64(h.s.store.Decoded.Load()-start)/float64(b.N), "decoded/op") }
		}
		b.Run("api-list-plans/"+size, func(b *testing.B) {
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				api("/v1/plans?page_size=20")
			}
		})
		b.Run("api-list-workspaces/"+size, func(b *testing.B) {
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				api("/v1/workspaces?page_size=20")
			}
		})
		b.Run("console-estate-page/"+size, func(b *testing.B) {
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				get("/console/orgs/org-a?page_size=20")
			}
		})
	}
}
