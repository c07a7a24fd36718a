package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Sessions. The admin token is entered once, on the login page, and never
// leaves the server again: the browser holds a random session ID in an
// HttpOnly, SameSite=Strict cookie, and the table keys sessions by the
// ID's SHA-256, so not even the server's memory holds a usable ID. The table
// is bounded (MaxSessions; a new login evicts the oldest) and every session
// expires (SessionTTL), so nothing a visitor does grows it.

const (
	// MaxSessions bounds the session table.
	MaxSessions = 32
	// SessionTTL is how long a login lasts.
	SessionTTL = 8 * time.Hour

	sessionCookie = "rc_console"
	// loginCookie carries the login form's CSRF token (double submit: the
	// server keeps nothing per visitor before the login succeeds).
	loginCookie = "rc_console_login"
	loginTTL    = 15 * time.Minute
	csrfField   = "csrf"
)

type session struct {
	csrf    string
	expires time.Time
	seq     uint64 // login order: the lowest is evicted first
}

type sessions struct {
	mu    sync.Mutex
	now   func() time.Time
	table map[string]*session // sha256(session ID) -> session
	seq   uint64
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, table: map[string]*session{}}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// create starts a session and returns its ID.
func (s *sessions) create() (string, *session) {
	id := randomToken()
	sess := &session{csrf: randomToken(), expires: s.now().Add(SessionTTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	sess.seq = s.seq
	s.sweepLocked()
	for len(s.table) >= MaxSessions {
		var oldest string
		for k, v := range s.table {
			if oldest == "" || v.seq < s.table[oldest].seq {
				oldest = k
			}
		}
		delete(s.table, oldest)
	}
	s.table[sessionKey(id)] = sess
	return id, sess
}

func (s *sessions) sweepLocked() {
	now := s.now()
	for k, v := range s.table {
		if !now.Before(v.expires) {
			delete(s.table, k)
		}
	}
}

// get returns the live session of a request, or nil.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return nil
	}
	key := sessionKey(c.Value)
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.table[key]
	if sess == nil {
		return nil
	}
	if !s.now().Before(sess.expires) {
		delete(s.table, key)
		return nil
	}
	return sess
}

// end deletes the session of a request.
func (s *sessions) end(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.table, sessionKey(c.Value))
		s.mu.Unlock()
	}
}

func (s *sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.table)
}

// equal compares secrets in constant time (their length aside).
func equal(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil, MaxAge: int(maxAge / time.Second)}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
