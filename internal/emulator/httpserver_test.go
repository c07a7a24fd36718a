package emulator

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// failsafe bounds every read of these tests; the limits under test are far
// shorter, so reaching it means a connection was held.
const failsafe = 20 * time.Second

// serveLimited serves the harness's emulator over real TCP with the limits.
func serveLimited(t *testing.T, h *harness, l Limits) string {
	t.Helper()
	addr, _ := serveReal(t, h, l)
	return addr
}

// serveReal serves the harness's emulator as the standalone command does
// (Listen and NewHTTPServer) and returns its address and connection limiter.
func serveReal(tb testing.TB, h *harness, l Limits) (string, *connLimiter) {
	tb.Helper()
	ln, err := Listen("127.0.0.1:0", l)
	if err != nil {
		tb.Fatal(err)
	}
	hs := NewHTTPServer(h.s, l)
	go func() { _ = hs.Serve(ln) }()
	tb.Cleanup(func() { _ = hs.Close() })
	limiter, _ := ln.(*limitListener)
	if limiter == nil {
		return ln.Addr().String(), nil
	}
	return ln.Addr().String(), limiter.l
}

func smallLimits() Limits {
	l := DefaultLimits()
	l.ReadHeaderTimeout, l.ReadTimeout, l.IdleTimeout = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	return l
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	return dialFrom(t, "127.0.0.1", addr)
}

// readToClose reads answers until the server closes the connection and
// returns what it read; it fails when the failsafe deadline passes first.
func readToClose(t *testing.T, c net.Conn) string {
	t.Helper()
	b, err := io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server kept the connection open past %s; read so far: %q", failsafe, b)
	}
	return string(b)
}

// An idle keep-alive connection was kept forever; it is closed after IdleTimeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	h := newHarness(t)
	c := dial(t, serveLimited(t, h, smallLimits()))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	got := readToClose(t, c)
	if !strings.HasPrefix(got, "HTTP/1.1 200 ") || strings.Count(got, "HTTP/1.1") != 1 {
		t.Fatalf("%q", got)
	}
}

// A body trickled slower than ReadTimeout allows is answered 408 and its
// connection closed; with a bad token the 401 comes at once and the
// connection is closed within the same bound.
func TestTrickledBodyIsCutOff(t *testing.T) {
	h := newHarness(t)
	addr := serveLimited(t, h, smallLimits())
	for tok, want := range map[string]string{tokA: "HTTP/1.1 408 ", "bad-token": "HTTP/1.1 401 "} {
		c := dial(t, addr)
		req := "POST " + api.RoutePlans + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok +
			"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		got := readToClose(t, c)
		if !strings.HasPrefix(got, want) {
			t.Fatalf("token %s: %q", tok, got)
		}
		if want == "HTTP/1.1 408 " && (!strings.Contains(got, "read timeout") || !strings.Contains(got, api.ProblemContentType)) {
			t.Fatalf("408 without a problem naming the timeout: %q", got)
		}
	}
	if n := h.s.Counts("org-a")["plans"]; n != 0 {
		t.Fatalf("%d plans", n)
	}
}

// Headers that never end are cut off by ReadHeaderTimeout.
func TestTrickledHeadersAreCutOff(t *testing.T) {
	h := newHarness(t)
	c := dial(t, serveLimited(t, h, smallLimits()))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	if got := readToClose(t, c); strings.Contains(got, "200 OK") {
		t.Fatalf("%q", got)
	}
}

// dialFrom opens a connection from a loopback source address (127.0.0.x):
// each is another client address to the server.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: failsafe}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.SetDeadline(time.Now().Add(failsafe)); err != nil {
		t.Fatal(err)
	}
	return c
}

// busy starts a request whose body never comes: the connection is busy
// (a request in progress) until ReadTimeout.
func busy(t *testing.T, c net.Conn) {
	t.Helper()
	if _, err := io.WriteString(c, "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+tokA+
		"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
}

// healthz sends GET /healthz on a keep-alive connection and reads the answer.
func healthz(t *testing.T, c net.Conn, br *bufio.Reader) string {
	t.Helper()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return res.Status
}

// MaxConns caps the connections served at once: with every served
// connection busy, a new one waits until one closes. One address holds at
// most half the cap: past it, with none of its connections waiting on it, a
// new one of that address is closed at once (the others' room is kept).
func TestMaxConns(t *testing.T) {
	h := newHarness(t)
	l := DefaultLimits()
	l.MaxConns = 4
	addr, limiter := serveReal(t, h, l)
	var held []net.Conn
	for _, src := range []string{"127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2"} {
		c := dialFrom(t, src, addr)
		busy(t, c)
		held = append(held, c)
	}
	// Until the server has accepted the four and read their requests, they
	// count as waiting (and would yield to a fifth).
	for deadline := time.Now().Add(failsafe); limiter.held("127.0.0.1")+limiter.held("127.0.0.2") < 4 || limiter.waiting() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server did not read the four requests")
		}
	}
	c5 := dialFrom(t, "127.0.0.3", addr)
	br := bufio.NewReader(c5)
	if _, err := io.WriteString(c5, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = c5.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := br.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a fifth connection was served while four were busy: %v", err)
	}
	_ = held[0].Close()
	_ = c5.SetReadDeadline(time.Now().Add(failsafe))
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	// 127.0.0.2 holds its share (2 of 4), both busy: a third is closed.
	c6 := dialFrom(t, "127.0.0.2", addr)
	if got := readToClose(t, c6); got != "" {
		t.Fatalf("a connection past its address's share was served: %q", got)
	}
}

// Issue 18 item 7: one client holding every connection (keep-alive, a
// /healthz now and then, under the idle timeout) made every fresh client,
// /healthz, /readyz and the admin API wait until it left. Now it holds at
// most its share, its waiting connections yield to new ones, and fresh
// clients, from its address or another, are served at once.
func TestOneClientCannotHoldEveryConnection(t *testing.T) {
	h := newHarness(t)
	l := DefaultLimits()
	l.MaxConns = 8
	l.IdleTimeout = failsafe + 10*time.Second // the hog stays under it
	addr, limiter := serveReal(t, h, l)

	// The hog opens twice the cap, each keep-alive with a /healthz answered.
	for range 2 * l.MaxConns {
		c := dialFrom(t, "127.0.0.1", addr)
		if s := healthz(t, c, bufio.NewReader(c)); s != "200 OK" {
			t.Fatal(s)
		}
	}
	if n := limiter.held("127.0.0.1"); n > perAddrShare(l.MaxConns) {
		t.Fatalf("one address holds %d connections; its share is %d", n, perAddrShare(l.MaxConns))
	}
	// Fresh clients are served at once, from the hog's address and another.
	for _, src := range []string{"127.0.0.1", "127.0.0.2"} {
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
			DialContext:       (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}).DialContext,
			DisableKeepAlives: true,
		}}
		for path, tok := range map[string]string{"/healthz": "", "/readyz": "", api.RouteAdminStats: tokAdmin, api.RoutePlans: tokA} {
			req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatalf("a fresh client from %s: GET %s while one client holds the connections: %v", src, path, err)
			}
			_ = res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
		}
	}
}

func TestLimitsValidate(t *testing.T) {
	if err := DefaultLimits().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*Limits){
		"no read timeout":     func(l *Limits) { l.ReadTimeout = 0 },
		"no idle timeout":     func(l *Limits) { l.IdleTimeout = 0 },
		"header after body":   func(l *Limits) { l.ReadHeaderTimeout = time.Hour },
		"write below latency": func(l *Limits) { l.WriteTimeout = MaxFaultLatency },
		"negative conns":      func(l *Limits) { l.MaxConns = -1 },
		"tiny headers":        func(l *Limits) { l.MaxHeaderBytes = 10 },
	} {
		l := DefaultLimits()
		mod(&l)
		if l.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if validateFaults(FaultConfig{Latency: MaxFaultLatency + 1}) == nil {
		t.Error("fault latency above the write timeout accepted")
	}
}

// waiting counts the connections that wait on their client.
func (l *connLimiter) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, set := range l.byAddr {
		for c := range set {
			if c.waiting {
				n++
			}
		}
	}
	return n
}
