package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

func respWith(status int, retryAfter string) *http.Response {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &http.Response{StatusCode: status, Header: h}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	now = func() time.Time { return fixed }
	t.Cleanup(func() { now = time.Now })

	const (
		minW = 200 * time.Millisecond
		maxW = 5 * time.Second
	)
	cases := []struct {
		name       string
		minW, maxW time.Duration
		resp       *http.Response
		want       time.Duration
	}{
		{"429 seconds", minW, maxW, respWith(429, "3"), 3 * time.Second},
		{"503 seconds", minW, maxW, respWith(503, "2"), 2 * time.Second},
		{"above max honoured up to 60s", minW, maxW, respWith(429, "42"), 42 * time.Second},
		{"capped at 60s", minW, maxW, respWith(429, "3600"), 60 * time.Second},
		{"cap follows a larger RetryWaitMax", minW, 2 * time.Minute, respWith(429, "90"), 90 * time.Second},
		{"zero waits min", minW, maxW, respWith(429, "0"), minW},
		{"HTTP date", minW, maxW, respWith(429, fixed.Add(7*time.Second).Format(http.TimeFormat)), 7 * time.Second},
		{"HTTP date in the past", minW, maxW, respWith(429, fixed.Add(-time.Hour).Format(http.TimeFormat)), minW},
		{"HTTP date far away capped", minW, maxW, respWith(429, fixed.Add(24*time.Hour).Format(http.TimeFormat)), 60 * time.Second},
	}
	for _, tc := range cases {
		for attempt := range 3 {
			if got := backoff(tc.minW, tc.maxW, attempt, tc.resp); got != tc.want {
				t.Errorf("%s (attempt %d): backoff = %s, want %s", tc.name, attempt, got, tc.want)
			}
		}
	}
}

func TestBackoffExponentialWithJitter(t *testing.T) {
	const (
		minW = 200 * time.Millisecond
		maxW = 5 * time.Second
	)
	for _, resp := range []*http.Response{nil, respWith(500, ""), respWith(429, "soon")} {
		for attempt := range 10 {
			ceiling := min(maxW, minW<<attempt)
			floor := max(minW, ceiling/2)
			seen := map[time.Duration]bool{}
			for range 200 {
				got := backoff(minW, maxW, attempt, resp)
				if got < floor || got > ceiling {
					t.Fatalf("attempt %d: backoff %s outside [%s, %s]", attempt, got, floor, ceiling)
				}
				seen[got] = true
			}
			if attempt > 0 && len(seen) < 2 {
				t.Errorf("attempt %d: no jitter (%v)", attempt, seen)
			}
		}
	}
	if got := backoff(minW, maxW, 10000, nil); got < maxW/2 || got > maxW {
		t.Errorf("huge attempt: %s", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	for _, v := range []string{"", "soon", "-1", "1.5"} {
		if _, ok := parseRetryAfter(v); ok {
			t.Errorf("%q parsed", v)
		}
	}
	if d, ok := parseRetryAfter(" 5 "); !ok || d != 5*time.Second {
		t.Errorf("5 → %s %v", d, ok)
	}
}

func TestCheckRetry(t *testing.T) {
	ctx := context.Background()
	for status, want := range map[int]bool{
		200: false, 201: false, 204: false, 400: false, 401: false, 403: false, 404: false,
		409: false, 422: false, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true,
	} {
		got, err := checkRetry(ctx, &http.Response{StatusCode: status}, nil)
		if got != want || err != nil {
			t.Errorf("status %d: retry=%v err=%v, want %v", status, got, err, want)
		}
	}
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, errors.New("read: connection reset by peer")} {
		if got, _ := checkRetry(ctx, nil, e); !got {
			t.Errorf("%v not retried", e)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := checkRetry(cancelled, respWith(503, ""), nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: retry=%v err=%v", got, err)
	}
}
