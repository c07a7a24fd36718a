package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// requestSpan times a rate-limited run from the emulator's own request log:
// accepted and 429 answers counted, the span from the first request to the
// last, and a log too small for the run refused rather than misread.
func TestRequestSpan(t *testing.T) {
	for _, logSize := range []int{100, 3} {
		srv, err := emulator.New(emulator.Config{Tokens: map[string]string{"t-bench": "bench"}, AdminToken: "t-admin", RateLimit: 2, RequestLogSize: logSize})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		start := time.Now()
		for range 5 { // burst 2: two accepted, then 429s
			req, _ := http.NewRequest("GET", ts.URL+"/v1/plans", nil)
			req.Header.Set("Authorization", "Bearer t-bench")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			time.Sleep(20 * time.Millisecond)
		}
		r := Result{Requests: map[string]int{"GET /v1/plans": 5}}
		err = requestSpan(ts.URL, "t-admin", start, &r)
		ts.Close()
		if logSize < 5 {
			if err == nil || !strings.Contains(err.Error(), "-request-log-size") {
				t.Errorf("log of %d for 5 requests: err = %v, want one naming -request-log-size", logSize, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Accepted != 2 || r.Refused != 3 {
			t.Errorf("accepted %d, refused %d; want 2 and 3", r.Accepted, r.Refused)
		}
		if r.RequestSpan < 0.07 || r.RequestSpan > 5 {
			t.Errorf("span %.3f s for 5 requests 20 ms apart", r.RequestSpan)
		}
	}
}
