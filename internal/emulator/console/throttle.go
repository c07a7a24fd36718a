package console

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Login throttle. The login form compares a guess with the admin token; an
// admin token chosen by a person may be guessable, so each client address
// gets MaxLoginFailures wrong tokens per LoginWindow, after which its logins
// are refused (429, with Retry-After) until the window ends, whatever token
// they carry. A correct login clears the address's count. The table is
// bounded (loginAddresses; when full, ended windows go first, then the one
// that ends soonest), so a visitor rotating addresses cannot grow it, and one
// address's failures never lock out another.

const (
	// MaxLoginFailures is how many wrong tokens an address may send per window.
	MaxLoginFailures = 5
	// LoginWindow is how long an address's failures count.
	LoginWindow = time.Minute

	loginAddresses = 1024
)

type loginFailures struct {
	count int
	until time.Time // the end of the window of the first failure counted
}

type loginThrottle struct {
	mu    sync.Mutex
	now   func() time.Time
	addrs map[string]*loginFailures
}

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, addrs: map[string]*loginFailures{}}
}

// clientAddress is the request's peer address without its port (the
// emulator is reached directly, never through a proxy it would trust).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// wait says how long the address must wait before its next login (0: it
// may try now).
func (t *loginThrottle) wait(addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.addrs[addr]
	now := t.now()
	switch {
	case !ok:
		return 0
	case !now.Before(f.until):
		delete(t.addrs, addr)
		return 0
	case f.count >= MaxLoginFailures:
		return f.until.Sub(now)
	}
	return 0
}

// failed counts a wrong token from the address.
func (t *loginThrottle) failed(addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	f, ok := t.addrs[addr]
	if ok && !now.Before(f.until) {
		delete(t.addrs, addr)
		ok = false
	}
	if !ok {
		t.makeRoomLocked(now)
		f = &loginFailures{until: now.Add(LoginWindow)}
		t.addrs[addr] = f
	}
	f.count++
}

// succeeded clears the address's failures.
func (t *loginThrottle) succeeded(addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.addrs, addr)
}

// makeRoomLocked drops ended windows and, if the table is still full, the
// entry whose window ends first.
func (t *loginThrottle) makeRoomLocked(now time.Time) {
	if len(t.addrs) < loginAddresses {
		return
	}
	var first string
	for a, f := range t.addrs {
		if !now.Before(f.until) {
			delete(t.addrs, a)
			continue
		}
		if first == "" || f.until.Before(t.addrs[first].until) {
			first = a
		}
	}
	if len(t.addrs) >= loginAddresses {
		delete(t.addrs, first)
	}
}
