package emulator

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

func TestStats(t *testing.T) {
	h := newHarness(t)
	p := h.plan(tokA, api.PlanInput{Tier: "standard", Region: "us-east"})
	h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, nil)
	h.must(200, tokA, "GET", path(api.RoutePlan, p.ID), nil, nil)
	problem(t, h.do("", "POST", api.RoutePlans, `{}`), 401)                         // rejected by auth
	problem(t, h.do(tokA, "POST", api.RoutePlans, `{"tier":"x"}`), 422)             // rejected by validation
	problem(t, h.do(tokA, "DELETE", path(api.RouteWorkspace, "ws-none"), nil), 404) // not found
	problem(t, h.do(tokA, "PUT", api.RoutePlans, `{}`), 405)                        // wrong method
	st := h.s.Stats()
	want := map[string]int{
		"POST /v1/plans":                       3,
		"GET /v1/plans/{plan_id}":              2,
		"DELETE /v1/workspaces/{workspace_id}": 1,
		"PUT /v1/plans":                        1,
	}
	for k, v := range want {
		if st.Requests[k] != v {
			t.Errorf("Requests[%q] = %d, want %d (all: %v)", k, st.Requests[k], v, st.Requests)
		}
	}
	if st.Mutating != 5 || st.Reads != 2 || st.Faulted != 0 {
		t.Fatalf("%+v", st)
	}
	var viaAdmin Stats
	h.must(200, tokAdmin, "GET", api.RouteAdminStats, nil, &viaAdmin)
	if viaAdmin.Mutating != 5 || viaAdmin.Requests["GET /v1/plans/{plan_id}"] != 2 {
		t.Fatalf("%+v", viaAdmin)
	}
	h.s.ResetStats()
	if st := h.s.Stats(); st.Mutating != 0 || st.Reads != 0 || len(st.Requests) != 0 {
		t.Fatalf("after reset %+v", st)
	}
	h.must(204, tokAdmin, "DELETE", api.RouteAdminStats, nil, nil)
	if st := h.s.Stats(); len(st.Requests) != 0 {
		t.Fatalf("after admin reset %+v", st)
	}
}

func TestStatsConcurrent(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				h.do(tokA, "GET", api.RoutePlans, nil)
				_ = h.s.Stats()
			}
		}()
	}
	wg.Wait()
	if st := h.s.Stats(); st.Reads != 400 || st.Requests["GET /v1/plans"] != 400 {
		t.Fatalf("%+v", st)
	}
}

// Made-up methods and paths were counted under their own names: 2,000
// requests with 50 KB methods grew the map by 100 MB. They share one key now.
func TestStatsKeysComeFromAFixedSet(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 200; i++ {
		method := fmt.Sprintf("M%04d%s", i, strings.Repeat("X", 1000))
		h.do("", method, api.RoutePlans, nil)
		h.do("", method, fmt.Sprintf("/v1/nowhere/%d/%s", i, strings.Repeat("p", 1000)), nil)
		h.do(tokA, "GET", fmt.Sprintf("/no-route-%d", i), nil)
	}
	st := h.s.Stats()
	if len(st.Requests) != 1 || st.Requests[OtherRequests] != 600 {
		t.Fatalf("want only %q = 600, got %v", OtherRequests, st.Requests)
	}
	for _, e := range h.s.RequestLog("", 1000) {
		if e.Method != "OTHER" && e.Method != "GET" || len(e.Route) > 100 {
			t.Fatalf("log entry with a client-chosen method or route: %.200v", e)
		}
	}
}

// The abuse of the issue, bounded: 500 requests with made-up 50 KB methods
// (25 MB of methods) leave the heap within 4 MB of where it started, request
// log included.
func TestMadeUpMethodsDoNotGrowTheHeap(t *testing.T) {
	h := newHarness(t)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := 0; i < 500; i++ {
		method := fmt.Sprintf("M%d%s", i, strings.Repeat("X", 50<<10))
		h.do(tokA, method, api.RoutePlans, nil)
		h.do(tokA, method, "/v1/"+method[:100], nil)
	}
	if grown := int64(heap()) - int64(before); grown > 4<<20 {
		t.Fatalf("heap grew by %d bytes", grown)
	}
	if n := len(h.s.RequestLog("", 2000)); n != 1000 {
		t.Fatalf("%d log entries", n)
	}
}
