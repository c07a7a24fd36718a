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

// idempotencyRec is the stored first answer to a POST with an Idempotency-Key.
// It lives in the store, so a replay survives a restart.
type idempotencyRec struct {
	Org       string    `json:"org"`
	Key       string    `json:"key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
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

// replay returns the stored answer of (org, key). Reusing a key on another
// route is a 422.
func (s *Server) replay(q *request, key string) (answer, bool, error) {
	raw, ok, err := s.store.Get(kindIdempotency, idempotencyID(q.org, key))
	if err != nil || !ok {
		return answer{}, false, err
	}
	var rec idempotencyRec
	if err := json.Unmarshal(raw, &rec); err != nil {
		return answer{}, false, err
	}
	if rec.Method != q.r.Method || rec.Path != q.r.URL.Path {
		return answer{}, false, &httpError{status: http.StatusUnprocessableEntity,
			detail: "Idempotency-Key \"" + key + "\" was already used for " + rec.Method + " " + rec.Path + "; use a new key for " + q.r.Method + " " + q.r.URL.Path,
			errs: []api.FieldError{{Field: api.IdempotencyKeyHeader, Rule: "reused_key",
				Message: "the key was already used for another request"}}}
	}
	return rec.Answer, true, nil
}

func (s *Server) idempotencyRecord(q *request, key string, a answer) (Op, error) {
	b, err := json.Marshal(idempotencyRec{Org: q.org, Key: key, Method: q.r.Method, Path: q.r.URL.Path, Answer: a, CreatedAt: q.now})
	if err != nil {
		return Op{}, err
	}
	return Op{Kind: kindIdempotency, ID: idempotencyID(q.org, key), Value: b}, nil
}
