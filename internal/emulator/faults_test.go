package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// liveServer serves the harness's emulator over loopback HTTP.
func liveServer(t *testing.T, h *harness) (*httptest.Server, *http.Client) {
	t.Helper()
	ts := httptest.NewServer(h.s)
	t.Cleanup(ts.Close)
	// A fresh connection per request: net/http never retries on its own.
	return ts, &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

func liveDo(c *http.Client, method, url, token string, body any, hdr ...string) (*http.Response, []byte, error) {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(res.Body)
	return res, buf.Bytes(), err
}

func TestDropRateCommitsTheWrite(t *testing.T) {
	h := newHarness(t)
	ts, c := liveServer(t, h)
	h.s.SetFaults(FaultConfig{DropRate: 1, Seed: 1})
	body := api.PlanInput{Tier: "standard", Region: "us-east"}
	if _, _, err := liveDo(c, "POST", ts.URL+api.RoutePlans, tokA, body, api.IdempotencyKeyHeader, "drop-1"); err == nil {
		t.Fatal("the connection was not dropped")
	}
	if n := h.s.Counts("org-a")["plans"]; n != 1 {
		t.Fatalf("dropped request not committed: %d plans", n)
	}
	h.s.SetFaults(FaultConfig{})
	res, b, err := liveDo(c, "POST", ts.URL+api.RoutePlans, tokA, body, api.IdempotencyKeyHeader, "drop-1")
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("retry: %v %s", err, b)
	}
	if n := h.s.Counts("org-a")["plans"]; n != 1 {
		t.Fatalf("retry with the same key duplicated the plan: %d", n)
	}
	if st := h.s.Stats(); st.Faulted != 1 {
		t.Fatalf("faulted %d", st.Faulted)
	}
}

func TestErrorRateAndBurst(t *testing.T) {
	h := newHarness(t)
	h.s.SetFaults(FaultConfig{ErrorRate: 1, Seed: 7})
	seen := map[int]bool{}
	for i := 0; i < 60; i++ {
		r := h.do(tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"})
		p := problem(t, r, r.Code)
		if r.Code != 500 && r.Code != 502 && r.Code != 503 || !strings.Contains(p.Detail, "injected") {
			t.Fatalf("%s", r)
		}
		seen[r.Code] = true
	}
	if len(seen) != 3 {
		t.Fatalf("statuses %v, want all of 500/502/503", seen)
	}
	if n := h.s.Counts("org-a")["plans"]; n != 0 {
		t.Fatalf("errored requests were handled: %d", n)
	}
	h.s.SetFaults(FaultConfig{RateLimitBurstRate: 1})
	r := h.do(tokA, "GET", api.RoutePlans, nil)
	problem(t, r, 429)
	if r.Header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Faults never touch the admin API.
	h.must(200, tokAdmin, "GET", api.RouteAdminStats, nil, nil)
	if st := h.s.Stats(); st.Faulted != 61 || st.Mutating != 60 {
		t.Fatalf("stats %+v", st)
	}
	// Partial rates draw deterministically from the seed.
	h.s.SetFaults(FaultConfig{ErrorRate: 0.5, Seed: 42})
	fails := 0
	for i := 0; i < 200; i++ {
		if h.do(tokA, "GET", api.RoutePlans, nil).Code != 200 {
			fails++
		}
	}
	if fails < 60 || fails > 140 {
		t.Fatalf("%d of 200 failed at rate 0.5", fails)
	}
}

func TestLatency(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Faults = FaultConfig{Latency: 50 * time.Millisecond} })
	start := time.Now()
	h.must(200, tokA, "GET", api.RoutePlans, nil, nil)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("took %s", d)
	}
	start = time.Now()
	h.must(200, tokAdmin, "GET", api.RouteAdminFaults, nil, nil)
	if d := time.Since(start); d > 40*time.Millisecond {
		t.Fatalf("admin API delayed %s", d)
	}
}

func TestAdminFaultsAPI(t *testing.T) {
	h := newHarness(t)
	var got map[string]any
	h.must(200, tokAdmin, "PUT", api.RouteAdminFaults, `{"error_rate":0.25,"latency":"150ms","seed":3}`, &got)
	if got["latency"] != "150ms" || got["error_rate"] != 0.25 {
		t.Fatalf("%v", got)
	}
	if f := h.s.faults.get(); f.Latency != 150*time.Millisecond || f.ErrorRate != 0.25 || f.Seed != 3 {
		t.Fatalf("%+v", f)
	}
	h.must(200, tokAdmin, "PUT", api.RouteAdminFaults, `{"latency":20}`, &got)
	if f := h.s.faults.get(); f.Latency != 20*time.Millisecond || f.ErrorRate != 0 {
		t.Fatalf("milliseconds: %+v", f)
	}
	h.must(200, tokAdmin, "GET", api.RouteAdminFaults, nil, &got)
	if got["latency"] != "20ms" {
		t.Fatalf("%v", got)
	}
	problem(t, h.do(tokAdmin, "PUT", api.RouteAdminFaults, `{"drop_rate":1.5}`), 422)
	problem(t, h.do(tokAdmin, "PUT", api.RouteAdminFaults, `{"latency":"soon"}`), 422)
	problem(t, h.do(tokAdmin, "PUT", api.RouteAdminFaults, `{"latncy":"1s"}`), 400)
	h.must(200, tokAdmin, "PUT", api.RouteAdminFaults, `{}`, nil)
}
