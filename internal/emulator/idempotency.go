package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// MaxIdempotencyKeyLength bounds the Idempotency-Key header.
const MaxIdempotencyKeyLength = 255

// IdempotencyTTL is how long a key replays its first answer; after it the
// key is free again and the stored answer is swept away.
const IdempotencyTTL = 24 * time.Hour

// Limits of the stored answers. Only a request that changed something (a 2xx
// answer) is stored: one refused by authentication, validation, a missing
// object or a conflict changed nothing, so executing its retry again is as
// safe as replaying it (the way the well-known payment APIs do it).
const (
	// MaxIdempotencyRecordBytes caps one stored answer (record and answer
	// body). The API's answers are far smaller (a workspace is under 1 KiB);
	// a larger one is not stored, so a retry of it executes again.
	MaxIdempotencyRecordBytes = 16 << 10
	// MaxIdempotencyKeysPerOrg caps the stored answers of one organization.
	// At the cap the organization's oldest stored answer is dropped for the
	// new one (its key then acts as an expired one): a client retries within
	// minutes, the oldest of 10,000 answers is not what it retries, and no
	// request is refused for the sake of housekeeping.
	MaxIdempotencyKeysPerOrg = 10_000
	// sweepBatch is how many expired answers every stored answer sweeps
	// (more than the one it adds, so expired answers never pile up); the
	// start-up sweep removes every expired one.
	sweepBatch = 16
)

// idempotencyKeysPerOrg is MaxIdempotencyKeysPerOrg; tests lower it.
var idempotencyKeysPerOrg = MaxIdempotencyKeysPerOrg

// idempotencyRec is the stored first answer to a POST with an Idempotency-Key.
// It lives in the store, so a replay survives a restart. The request is kept
// as a hash of method, path and body; Route (the route pattern, of bounded
// size) names the first request in a 422.
type idempotencyRec struct {
	Org         string    `json:"org"`
	Key         string    `json:"key"`
	Route       string    `json:"route"`
	RequestHash string    `json:"request_hash"`
	Answer      answer    `json:"answer"`
	CreatedAt   time.Time `json:"created_at"`
}

func validateIdempotencyKey(key string) *httpError {
	if len(key) > MaxIdempotencyKeyLength || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return &httpError{status: http.StatusBadRequest,
			detail: "the Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces",
			errs: []api.FieldError{{Field: api.IdempotencyKeyHeader, Rule: "format",
				Message: "must be 1 to 255 printable ASCII characters without spaces"}}}
	}
	return nil
}

// requestHash identifies a request by method, path and body.
func requestHash(method, path, bodyHash string) string {
	sum := sha256.Sum256([]byte(method + "\x00" + path + "\x00" + bodyHash))
	return hex.EncodeToString(sum[:])
}

func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// replay returns the stored answer of (org, key). Reusing a key for another
// request (route, path or body) is a 422; an expired key is free again.
func (s *Server) replay(q *request, key string) (answer, bool, error) {
	rec, err := getRec[idempotencyRec](s, store.KindIdempotency, store.IdempotencyID(q.org, key))
	if err != nil || rec == nil {
		return answer{}, false, err
	}
	if q.now.Sub(rec.CreatedAt) > IdempotencyTTL {
		return answer{}, false, nil
	}
	if rec.Route != "" && rec.Route != q.r.Pattern { // "" in a record migrated from schema version 1
		return answer{}, false, reusedKey(key, "was already used for "+rec.Route+"; use a new key for "+q.r.Pattern)
	}
	if rec.RequestHash != requestHash(q.r.Method, q.r.URL.Path, bodyHash(q.body)) {
		return answer{}, false, reusedKey(key, "was already used with a different request body or path; use a new key for a new request")
	}
	return rec.Answer, true, nil
}

func reusedKey(key, why string) *httpError {
	return &httpError{status: http.StatusUnprocessableEntity,
		detail: "Idempotency-Key \"" + key + "\" " + why,
		errs: []api.FieldError{{Field: api.IdempotencyKeyHeader, Rule: "reused_key",
			Message: "the key " + why}}}
}

// keepsAnswer reports whether a keyed POST's answer is stored for replay:
// only one that changed something (2xx), and not one that carries a secret
// (an admin token), which must not sit in the store; a retry of such a
// request just issues another short-lived token.
func keepsAnswer(q *request, a answer) bool {
	return a.Status >= 200 && a.Status < 300 && q.r.Pattern != "POST "+api.RouteAdminTokens
}

// idempotencyOps are the writes that store a keyed answer: expired answers
// swept (a bounded batch), the organization's oldest dropped at its cap, and
// the record itself, last, so no delete can undo it. A record over
// MaxIdempotencyRecordBytes is not stored.
func (s *Server) idempotencyOps(q *request, key string, a answer) ([]store.Op, error) {
	b, err := json.Marshal(idempotencyRec{Org: q.org, Key: key, Route: q.r.Pattern,
		RequestHash: requestHash(q.r.Method, q.r.URL.Path, bodyHash(q.body)), Answer: a, CreatedAt: q.now})
	if err != nil {
		return nil, err
	}
	if len(b) > MaxIdempotencyRecordBytes {
		return nil, nil
	}
	id := store.IdempotencyID(q.org, key)
	ops := s.expiredIdempotency(q.now, sweepBatch)
	if over := s.store.Count(store.OrgGroup(store.KindIdempotency, q.org)) - idempotencyKeysPerOrg + 1; over > 0 {
		oldest, _ := s.store.Page(store.OrgGroup(store.KindIdempotency, q.org), nil, over)
		for _, k := range oldest {
			if k.ID != id {
				ops = append(ops, store.Op{Kind: store.KindIdempotency, ID: k.ID})
			}
		}
	}
	return append(ops, store.Op{Kind: store.KindIdempotency, ID: id, Value: b}), nil
}

// expiredIdempotency returns deletes of up to limit expired answers (every
// one when limit < 0), oldest first; the index orders them by creation, so
// the work is what is swept, not what is stored.
func (s *Server) expiredIdempotency(now time.Time, limit int) []store.Op {
	var ops []store.Op
	var after *store.PosKey
	for limit < 0 || len(ops) < limit {
		n := sweepBatch
		if limit >= 0 {
			n = limit - len(ops)
		}
		keys, more := s.store.Page(store.IdempotencyAll, after, n)
		for _, k := range keys {
			if now.Sub(time.Unix(0, k.Created)) <= IdempotencyTTL {
				return ops
			}
			ops = append(ops, store.Op{Kind: store.KindIdempotency, ID: k.ID})
		}
		if !more || len(keys) == 0 {
			break
		}
		after = &keys[len(keys)-1]
	}
	return ops
}

// sweepExpiredIdempotency deletes every expired stored answer; New calls
// it, so an emulator that restarts often sweeps as well.
func (s *Server) sweepExpiredIdempotency(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ops := s.expiredIdempotency(now, -1); len(ops) > 0 {
		return s.store.Apply(ops)
	}
	return nil
}
