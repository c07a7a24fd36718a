package store

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// SchemaVersion is the layout of the data the store holds, kept in the meta
// bucket under SchemaVersionKey:
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
//
// A field added later whose absence (its zero value) means what an older
// file meant needs no new version: a workspace's firewall_rules_version (0)
// and firewall_rules_exclusive (false: no rule set owns its rules) read so
// from every older file (TestFirewallRuleSetOnLegacyFile).
const SchemaVersion = 2

// SchemaVersionKey is the KindMeta key of the stored schema version.
const SchemaVersionKey = "schema_version"

// Open opens the memory store ("") or the bbolt file, with its index.
func Open(dataFile string) (*IndexedStore, error) {
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
	s, err := NewIndexed(raw)
	if err != nil {
		_ = raw.Close()
		return nil, fmt.Errorf("emulator data file %s: %w", dataFile, err)
	}
	return s, nil
}

// StoredSchemaVersion is the version the store records (1 when none).
func StoredSchemaVersion(st Store) (int, error) {
	v, ok, err := st.Get(KindMeta, SchemaVersionKey)
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
	v, err := StoredSchemaVersion(st)
	if err != nil {
		return fmt.Errorf("emulator data file %s: %w", dataFile, err)
	}
	if v > SchemaVersion {
		return fmt.Errorf("emulator data file %s has schema version %d, but this emulator reads schema versions up to %d: "+
			"use the emulator release that wrote it, or start with a new data file", dataFile, v, SchemaVersion)
	}
	return nil
}

// UsageKinds maps each usage counter to the kind of child it counts.
var UsageKinds = []struct {
	Feature catalog.Feature
	Kind    string
}{
	{catalog.FeatureCustomDomains, KindDomains},
	{catalog.FeatureFirewallRules, KindFirewallRules},
	{catalog.FeatureStaticIPs, KindStaticIPs},
}

// RecomputeUsage sets every workspace's usage counters to the children it
// actually has (counted by the index), queueing (put) a write of each
// workspace whose counters were wrong.
func (s *IndexedStore) RecomputeUsage(put func(kind, id string, v any) error) error {
	raws, err := s.List(KindWorkspaces)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		var ws WorkspaceRec
		if err := json.Unmarshal(raw, &ws); err != nil {
			return err
		}
		changed := false
		for _, u := range UsageKinds {
			if d := s.Count(WsGroup(u.Kind, ws.ID)) - ws.Usage.Count(u.Feature); d != 0 {
				ws.Usage.Add(u.Feature, d)
				changed = true
			}
		}
		if changed {
			if err := put(KindWorkspaces, ws.ID, ws); err != nil {
				return err
			}
		}
	}
	return nil
}
