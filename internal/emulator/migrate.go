package emulator

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// SchemaVersion is the layout of the data the store holds, kept in the meta
// bucket under schemaVersionKey:
//
//	1  (no version stored) every release before versions: workspaces may lack
//	   their usage counters (files written before the counters read as 0)
//	2  usage counters maintained with every child write; idempotency records
//	   keep a request hash instead of the path and body hash, and only 2xx
//	   answers; indexes (memory only, rebuilt on every open)
//
// On open an older file is migrated in one atomic batch (derived data is
// recomputed from the records, then the version is written), so a crash
// during the migration leaves the old file, migrated again on the next open.
// A file of a newer version is refused: this emulator cannot know its layout.
const SchemaVersion = 2

const schemaVersionKey = "schema_version"

// openStore opens the memory store ("") or the bbolt file, with its index.
func openStore(dataFile string) (*indexedStore, error) {
	raw := NewMemoryStore()
	if dataFile != "" {
		var err error
		if raw, err = OpenBoltStore(dataFile); err != nil {
			return nil, err
		}
	}
	if err := checkSchemaVersion(raw, dataFile); err != nil {
		_ = raw.Close()
		return nil, err
	}
	s, err := newIndexedStore(raw)
	if err != nil {
		_ = raw.Close()
		return nil, fmt.Errorf("emulator data file %s: %w", dataFile, err)
	}
	return s, nil
}

// storedSchemaVersion is the version the store records (1 when none).
func storedSchemaVersion(st Store) (int, error) {
	v, ok, err := st.Get(kindMeta, schemaVersionKey)
	if err != nil || !ok {
		return 1, err
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("unreadable schema version %q", v)
	}
	return n, nil
}

// checkSchemaVersion refuses a data file written by a newer emulator.
func checkSchemaVersion(st Store, dataFile string) error {
	v, err := storedSchemaVersion(st)
	if err != nil {
		return fmt.Errorf("emulator data file %s: %w", dataFile, err)
	}
	if v > SchemaVersion {
		return fmt.Errorf("emulator data file %s has schema version %d, but this emulator reads schema versions up to %d: "+
			"use the emulator release that wrote it, or start with a new data file", dataFile, v, SchemaVersion)
	}
	return nil
}

// migrate brings an older store up to SchemaVersion (the caller has just
// opened it; nothing else runs yet).
func (s *Server) migrate() error {
	v, err := storedSchemaVersion(s.store)
	if err != nil {
		return err
	}
	if v == SchemaVersion {
		return nil
	}
	q := &request{now: s.now()}
	err = s.recomputeUsage(q)
	if err == nil {
		err = s.migrateIdempotency(q)
	}
	if err != nil {
		return fmt.Errorf("migrate emulator data from schema version %d to %d: %w", v, SchemaVersion, err)
	}
	q.ops = append(q.ops, Op{Kind: kindMeta, ID: schemaVersionKey, Value: []byte(strconv.Itoa(SchemaVersion))})
	if err := s.commit(q); err != nil {
		return fmt.Errorf("migrate emulator data from schema version %d to %d: %w", v, SchemaVersion, err)
	}
	return nil
}

// usageKinds maps each usage counter to the kind of child it counts.
var usageKinds = []struct {
	feature catalog.Feature
	kind    string
}{
	{catalog.FeatureCustomDomains, kindDomains},
	{catalog.FeatureFirewallRules, kindFirewallRules},
	{catalog.FeatureStaticIPs, kindStaticIPs},
}

// recomputeUsage sets every workspace's usage counters to the children it
// actually has (counted by the index), queueing a write of each workspace
// whose counters were wrong.
func (s *Server) recomputeUsage(q *request) error {
	raws, err := s.store.List(kindWorkspaces)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		var ws workspaceRec
		if err := json.Unmarshal(raw, &ws); err != nil {
			return err
		}
		changed := false
		for _, u := range usageKinds {
			if d := s.store.count(wsGroup(u.kind, ws.ID)) - ws.Usage.Count(u.feature); d != 0 {
				ws.Usage.Add(u.feature, d)
				changed = true
			}
		}
		if changed {
			if err := q.put(kindWorkspaces, ws.ID, ws); err != nil {
				return err
			}
		}
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
	raws, err := s.store.List(kindIdempotency)
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
		id := idempotencyID(old.Org, old.Key)
		if old.Answer.Status < 200 || old.Answer.Status > 299 {
			q.del(kindIdempotency, id)
			continue
		}
		rec := old.idempotencyRec
		rec.RequestHash = requestHash(old.Method, old.Path, old.BodyHash)
		if err := q.put(kindIdempotency, id, rec); err != nil {
			return err
		}
	}
	return nil
}
