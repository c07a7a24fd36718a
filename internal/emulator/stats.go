package emulator

import (
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Stats counts the requests the emulator received.
type Stats struct {
	// Requests counts requests by "METHOD pattern", e.g. "GET /v1/workspaces/{workspace_id}".
	// Keys come from a fixed set: the registered patterns with a standard
	// method, plus OtherRequests for every request that matched no pattern or
	// used a non-standard method (so made-up methods or paths cannot grow it).
	Requests map[string]int `json:"requests"`
	// Mutating counts POST, PATCH, PUT and DELETE requests under /v1, rejected ones included.
	Mutating int `json:"mutating"`
	// Reads counts the other requests under /v1.
	Reads int `json:"reads"`
	// Faulted counts injected faults (error answers, 429 bursts, dropped connections).
	Faulted int `json:"faulted"`
	// RateLimited counts 429 answers of the per-token rate limit (not injected ones).
	RateLimited int `json:"rate_limited"`
}

// OtherRequests is the Stats.Requests key of requests that matched no route
// (404) or used a method outside the standard set.
const OtherRequests = "other"

type statsCounter struct {
	mu       sync.Mutex
	requests map[string]int
	mutating atomic.Int64
	reads    atomic.Int64
	faulted  atomic.Int64
	limited  atomic.Int64
}

func (c *statsCounter) reset() {
	c.mu.Lock()
	c.requests = map[string]int{}
	c.mu.Unlock()
	c.mutating.Store(0)
	c.reads.Store(0)
	c.faulted.Store(0)
	c.limited.Store(0)
}

// route counts one request under a key of the fixed set (see routeKey).
func (c *statsCounter) route(key string) {
	c.mu.Lock()
	c.requests[key]++
	c.mu.Unlock()
}

// standardMethod returns the method when it is one of the methods of RFC
// 9110 or PATCH, "" otherwise: a client-chosen method (of any length) never
// becomes a map key or a log field.
//
// It returns the package's constant, never m itself: m is a substring of the
// request line, and a request log entry holding it kept the whole line (up to
// the 64 KB header limit) alive for as long as the entry, 1,000 of them.
func standardMethod(m string) string {
	for _, std := range standardMethods {
		if m == std {
			return std
		}
	}
	return ""
}

var standardMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace}

// routePattern returns the path part of a ServeMux pattern ("POST /v1/plans"
// -> "/v1/plans"); the catch-all "/" and no pattern give "".
func routePattern(pattern string) string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	if pattern == "/" {
		return ""
	}
	return pattern
}

// routeKey is the stats key of a request: "METHOD pattern" when the request
// matched a registered pattern with a standard method, OtherRequests otherwise.
func routeKey(method, pattern string) string {
	m, p := standardMethod(method), routePattern(pattern)
	if m == "" || p == "" {
		return OtherRequests
	}
	return m + " " + p
}

func (c *statsCounter) v1(method string) {
	if isMutating(method) {
		c.mutating.Add(1)
	} else {
		c.reads.Add(1)
	}
}

func (c *statsCounter) fault() { c.faulted.Add(1) }

func (c *statsCounter) rateLimited() { c.limited.Add(1) }

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	req := maps.Clone(c.requests)
	c.mu.Unlock()
	return Stats{Requests: req, Mutating: int(c.mutating.Load()), Reads: int(c.reads.Load()), Faulted: int(c.faulted.Load()),
		RateLimited: int(c.limited.Load())}
}

// Stats returns a snapshot of the request counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the request counters.
func (s *Server) ResetStats() { s.stats.reset() }
