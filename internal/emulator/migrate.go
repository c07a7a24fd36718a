package emulator

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// The data file's schema versions and the store-level migration steps live
// in package store (store.SchemaVersion, store.Open, RecomputeUsage); the
// idempotency step stays here as a thin hook, as it rewrites stored HTTP
// answers (idempotencyRec) under the request hash the replay handler computes.

// migrate brings an older store up to store.SchemaVersion (the caller has just
// opened it; nothing else runs yet).
func (s *Server) migrate() error {
	v, err := store.StoredSchemaVersion(s.store)
	if err != nil {
		return err
	}
	if v == store.SchemaVersion {
		return nil
	}
	q := &request{now: s.now()}
	err = s.store.RecomputeUsage(q.put)
	if err == nil {
		err = s.migrateIdempotency(q)
	}
	if err != nil {
		return fmt.Errorf("migrate emulator data from schema version %d to %d: %w", v, store.SchemaVersion, err)
	}
	q.ops = append(q.ops, store.Op{Kind: store.KindMeta, ID: store.SchemaVersionKey, Value: []byte(strconv.Itoa(store.SchemaVersion))})
	if err := s.commit(q); err != nil {
		return fmt.Errorf("migrate emulator data from schema version %d to %d: %w", v, store.SchemaVersion, err)
	}
	return nil
}

// legacyIdempotencyRec is a stored answer of schema version 1.
type legacyIdempotencyRec struct {
	idempotencyRec
	Method   string `json:"method"`
	Path     string `json:"path"`
	BodyHash string `json:"body_hash"`
}

// migrateIdempotency rewrites version 1 stored answers: a 2xx keeps
// replaying under its request hash (Route stays empty: replay then compares
// the hash only, which covers method and path too); any other answer is
// dropped, as it would not be stored today.
func (s *Server) migrateIdempotency(q *request) error {
	raws, err := s.store.List(store.KindIdempotency)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		var old legacyIdempotencyRec
		if err := json.Unmarshal(raw, &old); err != nil {
			return err
		}
		if old.RequestHash != "" {
			continue
		}
		id := store.IdempotencyID(old.Org, old.Key)
		if old.Answer.Status < 200 || old.Answer.Status > 299 {
			q.del(store.KindIdempotency, id)
			continue
		}
		rec := old.idempotencyRec
		rec.RequestHash = requestHash(old.Method, old.Path, old.BodyHash)
		if err := q.put(store.KindIdempotency, id, rec); err != nil {
			return err
		}
	}
	return nil
}
