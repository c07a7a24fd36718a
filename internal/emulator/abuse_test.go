package emulator

import (
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// abuseHeapCeiling is the most the emulator's heap may grow while one tenant
// abuses it (on top of what a 100,000-object tenant legitimately holds).
const abuseHeapCeiling = 48 << 20

// TestAbuseStaysBounded is the hostile tenant of issue 10, all at once and
// bounded in count and time: organization B holds 100,000 objects in a bbolt
// file, then sends requests with made-up 50 KB methods, keyed POSTs to huge
// bogus paths, and opens idle connections that never send a request. The
// emulator's heap grows by less than abuseHeapCeiling, the bbolt file keeps
// no trace of the refused requests, the idle connections are closed by the
// server, and organization A's requests still decode only A's records.
func TestAbuseStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: populates 100,000 objects")
	}
	data := filepath.Join(t.TempDir(), "abuse.db")
	h := newHarness(t, func(c *Config) { c.DataFile = data })
	populateOrg(t, h.s, "org-b", 100_000)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "small-tenant")

	limits := DefaultLimits()
	limits.ReadHeaderTimeout, limits.IdleTimeout, limits.MaxConns = 200*time.Millisecond, 200*time.Millisecond, 64
	ln, err := Listen("127.0.0.1:0", limits)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(h.s, limits)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	idemBefore := h.s.store.Count(store.OrgGroup(store.KindIdempotency, "org-b"))
	before := heap()

	// 1. Made-up methods, 50 KB each, with and without a token.
	for i := range 300 {
		method := fmt.Sprintf("M%d%s", i, strings.Repeat("X", 50<<10))
		h.do(tokB, method, api.RoutePlans, nil)
		h.do("", method, "/v1/"+method[:100], nil)
	}
	// 2. Keyed POSTs to 16 KB bogus paths: 404s, never stored.
	for i := range 300 {
		r := h.do(tokB, "POST", "/v1/workspaces/"+strings.Repeat("x", 16<<10)+"/firewall-rules", `{}`,
			api.IdempotencyKeyHeader, fmt.Sprintf("abuse-%d", i))
		if r.Code < 400 {
			t.Fatalf("bogus keyed POST answered %d", r.Code)
		}
	}
	// 3. Idle connections that never send a request: the server closes them.
	conns := make([]net.Conn, 0, 200)
	for range 200 {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range conns {
		_ = c.SetReadDeadline(deadline)
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatal("an idle connection got an answer to no request")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("an idle connection was still open after 20 s")
		}
		_ = c.Close()
	}

	grown := int64(heap()) - int64(before)
	t.Logf("heap: %d MB with B's 100,000 objects, %+d KB after the abuse", before>>20, grown>>10)
	if grown > abuseHeapCeiling {
		t.Errorf("the heap grew by %d MB under abuse; the ceiling is %d MB", grown>>20, abuseHeapCeiling>>20)
	}
	if n := h.s.store.Count(store.OrgGroup(store.KindIdempotency, "org-b")); n != idemBefore {
		t.Errorf("%d idempotency records after the refused keyed POSTs; want %d", n, idemBefore)
	}
	// A fresh connection still gets an answer, and A's requests decode A's
	// records only, with B at 100,000 objects.
	res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz after the abuse: %v %v", res, err)
	}
	_ = res.Body.Close()
	for _, route := range []string{api.RoutePlans, api.RouteWorkspaces, path(api.RouteFirewallRules, ws.ID)} {
		dec := h.s.store.Decoded.Load()
		h.must(200, tokA, "GET", route, nil, nil)
		if n := h.s.store.Decoded.Load() - dec; n > 8 {
			t.Errorf("GET %s decoded %d records with B at 100,000 objects; want at most 8", route, n)
		}
	}
}
