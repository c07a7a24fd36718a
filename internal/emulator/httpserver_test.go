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

// serveLimited serves the harness's emulator over real TCP with small limits.
func serveLimited(t *testing.T, h *harness, l Limits) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", l)
	if err != nil {
		t.Fatal(err)
	}
	hs := NewHTTPServer(h.s, l)
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	return ln.Addr().String()
}

func smallLimits() Limits {
	l := DefaultLimits()
	l.ReadHeaderTimeout, l.ReadTimeout, l.IdleTimeout = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	return l
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.SetDeadline(time.Now().Add(failsafe)); err != nil {
		t.Fatal(err)
	}
	return c
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

// MaxConns caps the connections served at once: a third connection is
// served only once one of the first two closes.
func TestMaxConns(t *testing.T) {
	h := newHarness(t)
	l := DefaultLimits()
	l.MaxConns = 2
	addr := serveLimited(t, h, l)
	get := func(c net.Conn) *bufio.Reader {
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		return bufio.NewReader(c)
	}
	status := func(br *bufio.Reader) string {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.Status
	}
	c1, c2 := dial(t, addr), dial(t, addr)
	if status(get(c1)) != "200 OK" || status(get(c2)) != "200 OK" {
		t.Fatal("first two connections not served")
	}
	c3 := dial(t, addr)
	br := get(c3)
	_ = c3.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := br.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a third connection was served while two were open: %v", err)
	}
	_ = c1.Close()
	_ = c3.SetReadDeadline(time.Now().Add(failsafe))
	if s := status(br); s != "200 OK" {
		t.Fatal(s)
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
