package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// MaxIdempotencyKeyLength bounds the Idempotency-Key header.
const MaxIdempotencyKeyLength = 255

// IdempotencyTTL is how long a key replays its first answer; after it the
// key is free again and the stored answer is swept away.
const IdempotencyTTL = 24 * time.Hour

// sweepEvery is how many stored answers pass between sweeps of expired ones.
const sweepEvery = 1000

// idempotencyRec is the stored first answer to a POST with an Idempotency-Key.
// It lives in the store, so a replay survives a restart.
type idempotencyRec struct {
	Org       string    `json:"org"`
	Key       string    `json:"key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	BodyHash  string    `json:"body_hash"`
	Answer    answer    `json:"answer"`
	CreatedAt time.Time `json:"created_at"`
}

func idempotencyID(org, key string) string {
	sum := sha256.Sum256([]byte(org + "\x00" + key))
	return hex.EncodeToString(sum[:])
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

func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// replay returns the stored answer of (org, key). Reusing a key for another
// request (route or body) is a 422; an expired key is free again.
func (s *Server) replay(q *request, key string) (answer, bool, error) {
	raw, ok, err := s.store.Get(kindIdempotency, idempotencyID(q.org, key))
	if err != nil || !ok {
		return answer{}, false, err
	}
	var rec idempotencyRec
	if err := json.Unmarshal(raw, &rec); err != nil {
		return answer{}, false, err
	}
	if q.now.Sub(rec.CreatedAt) > IdempotencyTTL {
		return answer{}, false, nil
	}
	if rec.Method != q.r.Method || rec.Path != q.r.URL.Path {
		return answer{}, false, reusedKey(key, "was already used for "+rec.Method+" "+rec.Path+"; use a new key for "+q.r.Method+" "+q.r.URL.Path)
	}
	if rec.BodyHash != bodyHash(q.body) {
		return answer{}, false, reusedKey(key, "was already used with a different request body; use a new key for a new request")
	}
	return rec.Answer, true, nil
}

func reusedKey(key, why string) *httpError {
	return &httpError{status: http.StatusUnprocessableEntity,
		detail: "Idempotency-Key \"" + key + "\" " + why,
		errs: []api.FieldError{{Field: api.IdempotencyKeyHeader, Rule: "reused_key",
			Message: "the key " + why}}}
}

// keepsAnswer reports whether a POST's answer may be stored for replay:
// not one that carries a secret (an admin token), which must not sit in the
// store; a retry of such a request just issues another short-lived token.
func keepsAnswer(q *request) bool { return q.r.Pattern != "POST "+api.RouteAdminTokens }

// sweepIdempotency deletes expired stored answers, every sweepEvery writes,
// so the store does not grow without bound.
func (s *Server) sweepIdempotency(now time.Time) []Op {
	s.idemWrites++
	if s.idemWrites%sweepEvery != 0 {
		return nil
	}
	raws, err := s.store.List(kindIdempotency)
	if err != nil {
		return nil // a sweep is housekeeping: try again later
	}
	var ops []Op
	for _, raw := range raws {
		var rec idempotencyRec
		if json.Unmarshal(raw, &rec) == nil && now.Sub(rec.CreatedAt) > IdempotencyTTL {
			ops = append(ops, Op{Kind: kindIdempotency, ID: idempotencyID(rec.Org, rec.Key)})
		}
	}
	return ops
}

func (s *Server) idempotencyRecord(q *request, key string, a answer) (Op, error) {
	b, err := json.Marshal(idempotencyRec{Org: q.org, Key: key, Method: q.r.Method, Path: q.r.URL.Path,
		BodyHash: bodyHash(q.body), Answer: a, CreatedAt: q.now})
	if err != nil {
		return Op{}, err
	}
	return Op{Kind: kindIdempotency, ID: idempotencyID(q.org, key), Value: b}, nil
}
