package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func BenchmarkGetWorkspace(b *testing.B) {
	h := newHarness(b)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "bench")
	req := httptest.NewRequest("GET", path(api.RouteWorkspace, ws.ID), nil)
	req.Header.Set("Authorization", "Bearer "+tokA)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkLoopbackGetParallel measures GET throughput over real loopback HTTP.
func BenchmarkLoopbackGetParallel(b *testing.B) {
	h := newHarness(b)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "bench-live")
	ts := httptest.NewServer(h.s)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	url := ts.URL + path(api.RouteWorkspace, ws.ID)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+tokA)
		for pb.Next() {
			res, err := c.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkTenantIsolation: organization A's list and create cost as
// organization B grows from 0 to 100,000 objects (populated straight into the
// store). Flat numbers across the sizes mean one tenant's size does not slow
// another's. Run: go test -run '^$' -bench TenantIsolation ./internal/emulator/
func BenchmarkTenantIsolation(b *testing.B) {
	for _, n := range []int{0, 1_000, 10_000, 100_000} {
		h := newHarness(b)
		populateOrg(b, h.s, "org-b", n)
		_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "bench-a")
		for i := range 10 {
			h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
			h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: int64(i + 1)}, nil)
		}
		serve := func(b *testing.B, method, target string, body string, want int) {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tokA)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.s.ServeHTTP(rec, req)
			if rec.Code != want {
				b.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
			}
		}
		size := "B=" + strconv.Itoa(n)
		// decodedPerOp reports the records decoded and the index entries
		// visited per iteration: the deterministic twins of ns/op, flat when
		// the index is used.
		decodedPerOp := func(b *testing.B) func() {
			decoded, visited := h.s.store.Decoded.Load(), h.s.store.Visited.Load()
			return func() {
				b.ReportMetric(float64(h.s.store.Decoded.Load()-decoded)/float64(b.N), "decoded/op")
				b.ReportMetric(float64(h.s.store.Visited.Load()-visited)/float64(b.N), "visited/op")
			}
		}
		b.Run("list-plans/"+size, func(b *testing.B) {
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				serve(b, "GET", api.RoutePlans, "", 200)
			}
		})
		b.Run("list-firewall-rules/"+size, func(b *testing.B) {
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				serve(b, "GET", path(api.RouteFirewallRules, ws.ID), "", 200)
			}
		})
		b.Run("create-workspace/"+size, func(b *testing.B) {
			// A plan and a workspace on it (subdomain checked across every
			// organization), per iteration.
			b.ReportAllocs()
			defer decodedPerOp(b)()
			i := 0
			for b.Loop() {
				i++
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("POST", api.RoutePlans, strings.NewReader(`{"tier":"standard","region":"`+catalog.DefaultRegion+`"}`))
				req.Header.Set("Authorization", "Bearer "+tokA)
				req.Header.Set("Content-Type", "application/json")
				h.s.ServeHTTP(rec, req)
				var p api.Plan
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 201 {
					b.Fatalf("plan: %d %s", rec.Code, rec.Body)
				}
				serve(b, "POST", api.RouteWorkspaces, `{"name":"w","subdomain":"bw-`+size[2:]+`-`+strconv.Itoa(i)+`","plan_id":"`+p.ID+`"}`, 201)
			}
		})
		b.Run("create-delete-firewall-rule/"+size, func(b *testing.B) {
			// A rule (priority checked within the workspace) created and deleted.
			b.ReportAllocs()
			defer decodedPerOp(b)()
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("POST", path(api.RouteFirewallRules, ws.ID), strings.NewReader(`{"cidr":"10.0.0.0/8","action":"deny","protocol":"tcp","priority":500}`))
				req.Header.Set("Authorization", "Bearer "+tokA)
				req.Header.Set("Content-Type", "application/json")
				h.s.ServeHTTP(rec, req)
				var r api.FirewallRule
				if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || rec.Code != 201 {
					b.Fatalf("rule: %d %s", rec.Code, rec.Body)
				}
				serve(b, "DELETE", path(api.RouteFirewallRule, ws.ID, r.ID), "", 204)
			}
		})
	}
}
