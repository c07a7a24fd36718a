package emulator

import (
	"strconv"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

func TestRateLimit(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RateLimit = 0.5 }) // burst 1, then one every 2 s
	h.must(200, tokA, "GET", api.RoutePlans, nil, nil)
	r := h.do(tokA, "GET", api.RoutePlans, nil)
	p := problem(t, r, 429)
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 2 {
		t.Fatalf("Retry-After %q (%s)", r.Header.Get("Retry-After"), p.Detail)
	}
	// Buckets are per token.
	h.must(200, tokB, "GET", api.RoutePlans, nil, nil)
	// The admin API is not limited.
	for i := 0; i < 3; i++ {
		h.must(200, tokAdmin, "GET", api.RouteAdminStats, nil, nil)
	}
}

func TestRateLimitBurst(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RateLimit = 5 })
	ok := 0
	for i := 0; i < 10; i++ {
		if h.do(tokA, "GET", api.RoutePlans, nil).Code == 200 {
			ok++
		}
	}
	if ok < 5 || ok > 6 {
		t.Fatalf("%d of 10 allowed with burst 5", ok)
	}
	if got := h.s.Stats().RateLimited; got != 10-ok {
		t.Fatalf("stats count %d rate-limited answers, want %d", got, 10-ok)
	}
}

func TestRateLimitOffByDefault(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 200; i++ {
		h.must(200, tokA, "GET", api.RoutePlans, nil, nil)
	}
}
