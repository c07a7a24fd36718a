package emulator

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// rateLimiter keeps one token bucket per API token.
type rateLimiter struct {
	rps   float64
	burst int
	mu    sync.Mutex
	byTok map[string]*rate.Limiter
}

// Bounds of Config.RateLimit (0 turns it off): below MinRateLimit a 429's
// Retry-After would be absurd (1e-300 once answered 9223372037 s).
const (
	MinRateLimit = 0.01
	MaxRateLimit = 1_000_000
)

// ValidateRateLimit checks a rate limit: 0 (off) or MinRateLimit to
// MaxRateLimit requests per second (NaN, infinities and negatives refused).
func ValidateRateLimit(rps float64) error {
	if rps == 0 || (rps >= MinRateLimit && rps <= MaxRateLimit) {
		return nil
	}
	return fmt.Errorf("rate limit %v: want 0 (off) or %v to %v requests per second", rps, MinRateLimit, float64(MaxRateLimit))
}

func newRateLimiter(rps float64) *rateLimiter {
	return &rateLimiter{rps: rps, burst: max(1, int(rps)), byTok: map[string]*rate.Limiter{}}
}

// allow takes one token from the bucket, or answers 429 with Retry-After.
func (l *rateLimiter) allow(tok string) *httpError {
	if l.rps <= 0 {
		return nil
	}
	l.mu.Lock()
	lim, ok := l.byTok[tok]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.rps), l.burst)
		l.byTok[tok] = lim
	}
	l.mu.Unlock()
	now := time.Now()
	if lim.AllowN(now, 1) {
		return nil
	}
	res := lim.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	res.CancelAt(now)
	return tooManyRequests(wait, "rate limit of "+strconv.FormatFloat(l.rps, 'g', -1, 64)+" requests per second per token exceeded")
}

// tooManyRequests is a 429 whose Retry-After is the wait in whole seconds, rounded up.
func tooManyRequests(wait time.Duration, why string) *httpError {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	e := errStatus(http.StatusTooManyRequests, "%s; retry after %d s", why, secs)
	e.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	return e
}
