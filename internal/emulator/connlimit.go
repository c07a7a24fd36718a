package emulator

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Connection limits per client address. netutil.LimitListener capped the
// connections served at once, but one client could take them all (512
// keep-alive connections, a /healthz every few seconds to stay under the idle
// timeout) and every fresh client, /healthz, /readyz and the admin API then
// waited in the kernel's backlog until it left.
//
// connLimiter keeps both promises:
//   - one client address holds at most a fair share of Limits.MaxConns
//     (perAddrShare: half of it, at least 1), so the cap always has room for
//     another address;
//   - a connection that waits on its client (accepted but no request yet, or
//     idle between keep-alive requests) yields: when an address is at its
//     share, its own longest-waiting connection is closed to admit the new
//     one (in CI every client is 127.0.0.1: a fresh client there must be
//     served too); when the whole cap is reached, the longest-waiting
//     connection of the address that holds the most is closed. Only when no
//     connection waits does a new one wait (as before) for one to close.
//
// Closing a waiting connection is what the idle timeout does anyway: HTTP
// clients open another one and replay an idempotent request.

// perAddrShare is the most connections one client address may hold.
func perAddrShare(maxConns int) int { return max(1, maxConns/2) }

type connLimiter struct {
	max, perAddr int

	mu     sync.Mutex
	total  int
	byAddr map[string]map[*trackedConn]struct{}
	freed  *sync.Cond // signalled when a connection closes
}

func newConnLimiter(maxConns int) *connLimiter {
	l := &connLimiter{max: maxConns, perAddr: perAddrShare(maxConns), byAddr: map[string]map[*trackedConn]struct{}{}}
	l.freed = sync.NewCond(&l.mu)
	return l
}

// trackedConn is a served connection; the http.Server reports its state
// (NewHTTPServer's ConnState) so the limiter knows whether it waits on its
// client.
type trackedConn struct {
	net.Conn
	l    *connLimiter
	addr string

	// guarded by l.mu
	waiting bool      // no request in progress (new or idle)
	since   time.Time // when it started waiting
	closed  bool
}

func (c *trackedConn) Close() error {
	c.l.release(c)
	return c.Conn.Close()
}

// setState records an http.ConnState of the connection.
func (c *trackedConn) setState(st http.ConnState) {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	switch st {
	case http.StateNew, http.StateIdle:
		c.waiting, c.since = true, time.Now()
	default:
		c.waiting = false
	}
}

// admit makes room for a connection from addr and registers it; it returns
// nil when the address is at its share with nothing to yield (the caller
// closes the connection). It waits only for the whole cap.
func (l *connLimiter) admit(conn net.Conn, addr string) *trackedConn {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.byAddr[addr]) >= l.perAddr {
		victim := l.longestWaiting(l.byAddr[addr])
		if victim == nil {
			return nil // the address's share is busy: it does not wait in line for others' slots
		}
		l.evictLocked(victim)
	}
	for l.total >= l.max {
		if victim := l.heaviestWaiting(); victim != nil {
			l.evictLocked(victim)
			continue
		}
		l.freed.Wait()
	}
	c := &trackedConn{Conn: conn, l: l, addr: addr, waiting: true, since: time.Now()}
	set := l.byAddr[addr]
	if set == nil {
		set = map[*trackedConn]struct{}{}
		l.byAddr[addr] = set
	}
	set[c] = struct{}{}
	l.total++
	return c
}

func (l *connLimiter) longestWaiting(set map[*trackedConn]struct{}) *trackedConn {
	var best *trackedConn
	for c := range set {
		if c.waiting && (best == nil || c.since.Before(best.since)) {
			best = c
		}
	}
	return best
}

// heaviestWaiting is the longest-waiting connection of the address holding
// the most connections that has one waiting.
func (l *connLimiter) heaviestWaiting() *trackedConn {
	var best *trackedConn
	bestN := 0
	for _, set := range l.byAddr {
		if len(set) < bestN {
			continue
		}
		if c := l.longestWaiting(set); c != nil && (len(set) > bestN || c.since.Before(best.since)) {
			best, bestN = c, len(set)
		}
	}
	return best
}

// evictLocked unregisters a waiting connection and closes it (its server
// goroutine, blocked reading, then ends).
func (l *connLimiter) evictLocked(c *trackedConn) {
	l.forgetLocked(c)
	go func() { _ = c.Conn.Close() }() // not under l.mu: Close may block briefly
}

func (l *connLimiter) release(c *trackedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetLocked(c)
}

func (l *connLimiter) forgetLocked(c *trackedConn) {
	if c.closed {
		return
	}
	c.closed = true
	set := l.byAddr[c.addr]
	delete(set, c)
	if len(set) == 0 {
		delete(l.byAddr, c.addr)
	}
	l.total--
	l.freed.Signal()
}

// held returns how many connections an address holds (tests).
func (l *connLimiter) held(addr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.byAddr[addr])
}

// limitListener admits accepted connections through a connLimiter.
type limitListener struct {
	net.Listener
	l *connLimiter
}

func (ln *limitListener) Accept() (net.Conn, error) {
	for {
		conn, err := ln.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := conn.RemoteAddr().String()
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		if c := ln.l.admit(conn, addr); c != nil {
			return c, nil
		}
		_ = conn.Close()
	}
}

// trackConnState is the http.Server's ConnState hook of NewHTTPServer.
func trackConnState(c net.Conn, st http.ConnState) {
	if tc, ok := c.(*trackedConn); ok {
		tc.setState(st)
	}
}
