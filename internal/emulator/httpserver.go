package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Limits bound what one client can hold of the emulator's HTTP server. The
// defaults let a slow but honest client on a loaded CI machine through (a
// 64 KiB body has 30 s to arrive) while a connection that trickles bytes or
// idles is closed instead of being kept forever.
type Limits struct {
	// ReadHeaderTimeout is the time to read a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is the time to read a whole request, body included; a body
	// still arriving then is answered 408 and the connection closed.
	ReadTimeout time.Duration
	// WriteTimeout is the time from the end of the request headers to the end
	// of the answer; it must exceed the largest injected fault latency.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that waits this long for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers.
	MaxHeaderBytes int
	// MaxConns caps the connections served at once; one client address
	// holds at most half of them, and a connection that waits on its client
	// yields its place to a new one when the cap is reached (connlimit.go).
	// A new connection waits only when every served one is busy. 0 means no
	// cap.
	MaxConns int
}

// Default limits (see Limits).
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
	// DefaultMaxConns stays well below the common 1024 file descriptor limit,
	// so the emulator can always open its data file and accept a /healthz.
	DefaultMaxConns = 512
)

// DefaultLimits returns the limits the standalone emulator uses.
func DefaultLimits() Limits {
	return Limits{ReadHeaderTimeout: DefaultReadHeaderTimeout, ReadTimeout: DefaultReadTimeout,
		WriteTimeout: DefaultWriteTimeout, IdleTimeout: DefaultIdleTimeout,
		MaxHeaderBytes: DefaultMaxHeaderBytes, MaxConns: DefaultMaxConns}
}

// Validate checks that every limit is set (a zero timeout would mean none).
func (l Limits) Validate() error {
	var errs []error
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read header timeout", l.ReadHeaderTimeout}, {"read timeout", l.ReadTimeout}, {"write timeout", l.WriteTimeout}, {"idle timeout", l.IdleTimeout}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %s", d.name, d.v))
		}
	}
	if l.ReadHeaderTimeout > l.ReadTimeout {
		errs = append(errs, fmt.Errorf("read header timeout %s exceeds the read timeout %s", l.ReadHeaderTimeout, l.ReadTimeout))
	}
	if l.WriteTimeout <= MaxFaultLatency {
		errs = append(errs, fmt.Errorf("write timeout %s must exceed the largest fault latency %s", l.WriteTimeout, MaxFaultLatency))
	}
	if l.MaxHeaderBytes < 4<<10 {
		errs = append(errs, fmt.Errorf("max header bytes must be at least 4096, got %d", l.MaxHeaderBytes))
	}
	if l.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("max connections cannot be negative, got %d", l.MaxConns))
	}
	return errors.Join(errs...)
}

// NewHTTPServer returns the http.Server of the standalone emulator (and of
// tests that need real connections) with the limits applied. Serve it on
// Listen's listener, which applies MaxConns.
func NewHTTPServer(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ConnState:         trackConnState, // the connection limiter's view (connlimit.go)
	}
}

// Listen listens on the TCP address and caps the connections served at once
// at l.MaxConns, each client address at a fair share of them (connlimit.go).
func Listen(addr string, l Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if l.MaxConns > 0 {
		ln = &limitListener{Listener: ln, l: newConnLimiter(l.MaxConns)}
	}
	return ln, nil
}
