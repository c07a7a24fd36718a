package emulator

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// v1Handler runs a /v1 request through: stats, latency, auth, rate limit,
// injected faults, the query check (query.go: only the route's parameters,
// see routeQuery), body reading, the handler (under the data lock, with
// idempotency), and finally an injected dropped connection.
func (s *Server) v1Handler(h handlerFunc, query []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.faults.draw()
		if f.latency > 0 {
			t := time.NewTimer(f.latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		tok, org, herr := s.authenticate(r)
		if herr != nil {
			writeProblem(w, herr)
			return
		}
		noteOrg(w, org)
		if herr := s.limiter.allow(tok); herr != nil {
			s.stats.rateLimited()
			writeProblem(w, herr)
			return
		}
		if herr := f.reject(); herr != nil {
			s.stats.fault()
			writeProblem(w, herr)
			return
		}
		if herr := checkQuery(r.URL.RawQuery, query); herr != nil {
			writeProblem(w, herr)
			return
		}
		q := &request{id: w.Header().Get(api.RequestIDHeader), r: r, org: org, now: s.now()}
		if herr := q.readBody(w); herr != nil {
			writeProblem(w, herr)
			return
		}
		a := s.execute(q, h)
		if f.drop {
			s.stats.fault()
			dropConnection(w)
			return
		}
		if a.ETag != "" {
			w.Header().Set(api.ETagHeader, a.ETag)
		}
		writeRaw(w, a.Status, a.ContentType, a.Body)
	})
}

// lockMode is how much of the data lock (Server.mu) an admin route holds.
type lockMode int

const (
	lockExclusive lockMode = iota // writes: checks and writes are atomic
	lockShared                    // reads of the store or of the server's settings
	lockNone                      // the handler takes what it needs itself
)

// adminLock is the lock an admin route runs under. A whole-store export
// reads one consistent view of the store (store.IndexedStore.ListAll) with
// no data lock at all, so it never stalls another tenant's requests (a held
// shared lock would: a waiting writer blocks every later reader).
func adminLock(method, pattern string) lockMode {
	switch {
	case method == http.MethodGet && pattern == RouteAdminSnapshot:
		return lockNone
	case method == http.MethodGet:
		return lockShared
	}
	return lockExclusive
}

// adminHandler runs an admin request: stats, admin auth, the query check
// (query.go), body, handler (under the route's lock), commit.
func (s *Server) adminHandler(h handlerFunc, query []string, lock lockMode) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if herr := s.authenticateAdmin(r); herr != nil {
			writeProblem(w, herr)
			return
		}
		if herr := checkQuery(r.URL.RawQuery, query); herr != nil {
			writeProblem(w, herr)
			return
		}
		q := &request{id: w.Header().Get(api.RequestIDHeader), r: r, now: s.now()}
		if herr := q.readBody(w); herr != nil {
			writeProblem(w, herr)
			return
		}
		var a answer
		switch lock {
		case lockShared:
			s.mu.RLock()
			a = s.run(q, h)
			s.mu.RUnlock()
		case lockNone:
			a = s.run(q, h)
		default:
			s.mu.Lock()
			a = s.run(q, h)
			if a.Status < 400 {
				if err := s.commit(q); err != nil {
					a = q.errorAnswer(err)
				}
			}
			s.mu.Unlock()
		}
		writeRaw(w, a.Status, a.ContentType, a.Body)
	})
}

// execute runs the handler under the data lock: shared for reads, exclusive
// for writes. A POST with an Idempotency-Key replays the first answer.
func (s *Server) execute(q *request, h handlerFunc) answer {
	if !isMutating(q.r.Method) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.run(q, h)
	}
	key := q.r.Header.Get(api.IdempotencyKeyHeader)
	if key != "" && q.r.Method != http.MethodPost {
		key = "" // only POST creates; other methods are idempotent by nature
	}
	if key != "" {
		if herr := validateIdempotencyKey(key); herr != nil {
			return q.errorAnswer(herr)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		if a, found, err := s.replay(q, key); found || err != nil {
			if err != nil {
				return q.errorAnswer(err)
			}
			return a
		}
	}
	a := s.run(q, h)
	if a.Status >= 400 {
		q.ops = nil // a rejected request changes nothing
	}
	var extra []store.Op
	if key != "" && keepsAnswer(q, a) {
		ops, err := s.idempotencyOps(q, key, a)
		if err != nil {
			return q.errorAnswer(err)
		}
		extra = ops
	}
	if err := s.commit(q, extra...); err != nil {
		return q.errorAnswer(err)
	}
	return a
}

// readBody reads the body of a mutating request (at most api.MaxBodyBytes)
// and checks what every body must be, whatever the route: declared as JSON
// (415 otherwise) and one strict JSON object (see checkJSON). Handlers then
// decode it into their input type, which also checks the field names.
func (q *request) readBody(w http.ResponseWriter) *httpError {
	r := q.r
	if !isMutating(r.Method) || r.Body == nil {
		return nil
	}
	limit := bodyLimit(r)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return errStatus(http.StatusRequestEntityTooLarge, "the request body exceeds the limit of %d bytes", limit)
		case errors.Is(err, os.ErrDeadlineExceeded):
			// The server's read timeout passed while the body trickled in.
			w.Header().Set("Connection", "close")
			return errStatus(http.StatusRequestTimeout, "the request body did not arrive within the server's read timeout")
		}
		return errStatus(http.StatusBadRequest, "cannot read the request body: %v", err)
	}
	q.body = body
	if blank(body) {
		return nil
	}
	if herr := checkMediaType(r); herr != nil {
		return herr
	}
	return checkJSON(body, nil)
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream
}

// bodyLimit is the largest body a route takes: api.MaxBodyBytes, but a
// workspace's whole firewall rule set for its replace (PUT).
func bodyLimit(r *http.Request) int64 {
	if r.Pattern == http.MethodPut+" "+api.RouteFirewallRules {
		return api.MaxFirewallRuleSetBytes
	}
	return api.MaxBodyBytes
}
