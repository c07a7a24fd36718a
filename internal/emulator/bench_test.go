package emulator

import (
	"io"
	"net/http"
	"net/http/httptest"
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
