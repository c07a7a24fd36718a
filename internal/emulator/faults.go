package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultConfig injects failures into /v1 requests.
type FaultConfig struct {
	// ErrorRate is the probability [0,1] of answering 500, 502 or 503 (chosen
	// at random) before handling.
	ErrorRate float64
	// DropRate is the probability that the request is handled and committed,
	// then the connection is closed without an answer.
	DropRate float64
	// Latency is added to every /v1 request.
	Latency time.Duration
	// RateLimitBurstRate is the probability of answering 429 with Retry-After: 1.
	RateLimitBurstRate float64
	// Seed seeds the random draws; 0 picks a random seed.
	Seed int64
}

// MaxFaultLatency bounds FaultConfig.Latency: an answer delayed past the
// server's write timeout (DefaultWriteTimeout) would be lost.
const MaxFaultLatency = 30 * time.Second

// faultsJSON is FaultConfig on the admin API. Latency is a Go duration
// string ("250ms") on output; on input it may also be a number of milliseconds.
type faultsJSON struct {
	ErrorRate          float64         `json:"error_rate"`
	DropRate           float64         `json:"drop_rate"`
	Latency            json.RawMessage `json:"latency,omitempty"`
	RateLimitBurstRate float64         `json:"rate_limit_burst_rate"`
	Seed               int64           `json:"seed"`
}

func (f FaultConfig) toJSON() faultsJSON {
	lat, _ := json.Marshal(f.Latency.String())
	return faultsJSON{ErrorRate: f.ErrorRate, DropRate: f.DropRate, Latency: lat, RateLimitBurstRate: f.RateLimitBurstRate, Seed: f.Seed}
}

func (j faultsJSON) toConfig() (FaultConfig, error) {
	f := FaultConfig{ErrorRate: j.ErrorRate, DropRate: j.DropRate, RateLimitBurstRate: j.RateLimitBurstRate, Seed: j.Seed}
	var err error
	f.Latency, err = parseDurationJSON(j.Latency)
	return f, err
}

// parseDurationJSON accepts a Go duration string or a number of milliseconds.
func parseDurationJSON(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		return time.ParseDuration(str)
	}
	ms, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, fmt.Errorf("a duration is a string like \"250ms\" or a number of milliseconds, got %s", raw)
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

func validateFaults(f FaultConfig) error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"error_rate", f.ErrorRate}, {"drop_rate", f.DropRate}, {"rate_limit_burst_rate", f.RateLimitBurstRate}} {
		if r.v < 0 || r.v > 1 || r.v != r.v {
			return fmt.Errorf("emulator: fault %s must be between 0 and 1, got %v", r.name, r.v)
		}
	}
	if f.Latency < 0 || f.Latency > MaxFaultLatency {
		return fmt.Errorf("emulator: fault latency must be from 0 to %s (below the server's write timeout), got %s", MaxFaultLatency, f.Latency)
	}
	return nil
}

// faultInjector draws the faults of each request.
type faultInjector struct {
	mu  sync.Mutex
	cfg FaultConfig
	rng *rand.Rand
}

func newFaultInjector(cfg FaultConfig) *faultInjector {
	fi := &faultInjector{}
	fi.set(cfg)
	return fi
}

func (fi *faultInjector) set(cfg FaultConfig) {
	seed := uint64(cfg.Seed)
	if seed == 0 {
		seed = rand.Uint64()
	}
	fi.mu.Lock()
	fi.cfg = cfg
	fi.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	fi.mu.Unlock()
}

func (fi *faultInjector) get() FaultConfig {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.cfg
}

// faultDecision is what happens to one request.
type faultDecision struct {
	latency time.Duration
	status  int // 429, 500, 502, 503 or 0
	drop    bool
}

func (fi *faultInjector) draw() faultDecision {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	c := fi.cfg
	d := faultDecision{latency: c.Latency}
	if c.RateLimitBurstRate == 0 && c.ErrorRate == 0 && c.DropRate == 0 {
		return d
	}
	switch {
	case c.RateLimitBurstRate > 0 && fi.rng.Float64() < c.RateLimitBurstRate:
		d.status = http.StatusTooManyRequests
	case c.ErrorRate > 0 && fi.rng.Float64() < c.ErrorRate:
		d.status = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[fi.rng.IntN(3)]
	case c.DropRate > 0 && fi.rng.Float64() < c.DropRate:
		d.drop = true
	}
	return d
}

// reject returns the injected error answer, if any.
func (d faultDecision) reject() *httpError {
	switch d.status {
	case 0:
		return nil
	case http.StatusTooManyRequests:
		return tooManyRequests(time.Second, "injected fault: rate limit burst")
	}
	return errStatus(d.status, "injected fault: the emulator answers %d %s", d.status, http.StatusText(d.status))
}

// SetFaults replaces the fault configuration (it restarts the random sequence).
func (s *Server) SetFaults(f FaultConfig) { s.faults.set(f) }
