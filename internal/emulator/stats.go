package emulator

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Stats counts the requests the emulator received.
type Stats struct {
	// Requests counts requests by "METHOD pattern", e.g. "GET /v1/workspaces/{workspace_id}".
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

func (c *statsCounter) route(key string) {
	c.mu.Lock()
	c.requests[key]++
	c.mu.Unlock()
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
