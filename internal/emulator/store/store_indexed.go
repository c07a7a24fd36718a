package store

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// IndexedStore is the Store the server uses: a memory or bbolt Store plus
// the in-memory index (index.go) kept in step with every Apply and Reset.
type IndexedStore struct {
	Store // the records; Get and List go straight to it

	// Visited counts the index entries that Page, IDs, Count and Holder
	// visit (each position returned, one per group size or unique value
	// looked up): with Decoded, a test hook that proves a request's index
	// work is what its tenant holds, not what other tenants hold.
	Visited atomic.Int64

	mu  sync.RWMutex // guards idx; held across a write and its index update
	idx *index

	// outside answers Holder for values this store does not hold (SetOutside).
	outside func(key string) (string, bool)

	// Decoded counts records decoded by the emulator's getRec, orgRecs and decodeAll: a
	// test hook that proves a request reads what its tenant holds, not the store.
	Decoded atomic.Int64
}

// NewIndexed indexes every record of raw (one decode per record).
func NewIndexed(raw Store) (*IndexedStore, error) {
	idx := newIndex()
	for _, kind := range allKinds {
		vals, err := raw.List(kind)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			e, err := deriveEntry(kind, "", v)
			if err != nil {
				return nil, err
			}
			idx.add(kind, e, true)
		}
	}
	idx.sortAll()
	return &IndexedStore{Store: raw, idx: idx}, nil
}

func (s *IndexedStore) Put(kind, id string, value []byte) error {
	return s.Apply([]Op{{Kind: kind, ID: id, Value: value}})
}

func (s *IndexedStore) Delete(kind, id string) error {
	return s.Apply([]Op{{Kind: kind, ID: id}})
}

// Apply writes the batch, then updates the index. Every written record is
// indexed first, so a value the index cannot read fails the batch before
// anything is written.
func (s *IndexedStore) Apply(ops []Op) error {
	entries := make([]*idxEntry, len(ops))
	for i, op := range ops {
		if op.Value == nil || !indexedKind(op.Kind) {
			continue
		}
		if !knownKind(op.Kind) {
			return ErrUnknownKind
		}
		e, err := deriveEntry(op.Kind, op.ID, op.Value)
		if err != nil {
			return err
		}
		entries[i] = &e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.Store.Apply(ops); err != nil {
		return err
	}
	for i, op := range ops {
		if !indexedKind(op.Kind) {
			continue
		}
		s.idx.remove(op.Kind, op.ID)
		if e := entries[i]; e != nil {
			s.idx.add(op.Kind, *e, false)
		}
	}
	return nil
}

func (s *IndexedStore) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.Store.Reset(); err != nil {
		return err
	}
	s.idx = newIndex()
	return nil
}

// Replace empties the store (as Reset) and writes ops, atomically, with the
// index rebuilt from ops alone: a whole-store restore costs what it writes.
func (s *IndexedStore) Replace(ops []Op) error {
	idx := newIndex()
	for _, op := range ops {
		if !knownKind(op.Kind) {
			return ErrUnknownKind
		}
		if op.Value == nil || !indexedKind(op.Kind) {
			continue
		}
		e, err := deriveEntry(op.Kind, op.ID, op.Value)
		if err != nil {
			return err
		}
		idx.add(op.Kind, e, true)
	}
	idx.sortAll()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.Store.Replace(ops); err != nil {
		return err
	}
	s.idx = idx
	return nil
}

// SetOutside makes Holder answer, for a unique value this store does not
// hold, what f says: a seed's scratch store (an in-memory copy of the
// organizations the seed touches) so sees the subdomains, hostnames and
// addresses of every other organization without copying them, and a seed
// costs what its organizations hold, not what the store holds. Call it
// before the store is shared.
func (s *IndexedStore) SetOutside(f func(key string) (string, bool)) { s.outside = f }

// Page returns up to n record IDs of a group after the position (nil: from
// the start), in creation order, and whether more follow.
func (s *IndexedStore) Page(group string, after *PosKey, n int) ([]PosKey, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.idx.groups[group]
	if set == nil {
		s.Visited.Add(1)
		return nil, false
	}
	keys, more := set.after(after, n)
	s.Visited.Add(int64(max(1, len(keys))))
	return keys, more
}

// IDs returns every record ID of a group, in creation order.
func (s *IndexedStore) IDs(group string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.idx.groups[group]
	if set == nil {
		s.Visited.Add(1)
		return nil
	}
	s.Visited.Add(int64(max(1, len(set.keys))))
	out := make([]string, len(set.keys))
	for i, k := range set.keys {
		out[i] = k.ID
	}
	return out
}

// Count is the number of records in a group.
func (s *IndexedStore) Count(group string) int {
	s.Visited.Add(1)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx.count(group)
}

// Orgs returns the organizations that hold at least one object, sorted.
func (s *IndexedStore) Orgs() []string {
	s.mu.RLock()
	out := slices.Collect(maps.Keys(s.idx.orgs))
	s.mu.RUnlock()
	slices.Sort(out)
	return out
}

// Holder returns the ID of the record holding a unique value (see
// SetOutside for a scratch store's view of the others).
func (s *IndexedStore) Holder(key string) (string, bool) {
	s.Visited.Add(1)
	s.mu.RLock()
	id, ok := s.idx.uniques[key]
	s.mu.RUnlock()
	if !ok && s.outside != nil {
		return s.outside(key)
	}
	return id, ok
}

// HolderKind is the kind of the records that hold a unique key's values
// ("" for a key of no kind).
func HolderKind(key string) string {
	name, _, _ := strings.Cut(key, "|")
	switch name {
	case "subdomain":
		return KindWorkspaces
	case "hostname":
		return KindDomains
	case "priority":
		return KindFirewallRules
	case "address":
		return KindStaticIPs
	}
	return ""
}

// IndexDiff says how got's index differs from want's (nil when both hold the
// same groups, in the same order, and the same unique values): tests compare
// the index kept write by write with one rebuilt from the records.
func IndexDiff(got, want *IndexedStore) error {
	got.mu.RLock()
	defer got.mu.RUnlock()
	want.mu.RLock()
	defer want.mu.RUnlock()
	g, w := got.idx, want.idx
	if !maps.Equal(g.uniques, w.uniques) {
		return fmt.Errorf("unique values differ:\n got %v\nwant %v", g.uniques, w.uniques)
	}
	if !maps.Equal(g.orgs, w.orgs) {
		return fmt.Errorf("organizations differ:\n got %v\nwant %v", g.orgs, w.orgs)
	}
	if len(g.groups) != len(w.groups) {
		return fmt.Errorf("%d groups, want %d", len(g.groups), len(w.groups))
	}
	for name, set := range w.groups {
		if other := g.groups[name]; other == nil || !slices.Equal(other.keys, set.keys) {
			return fmt.Errorf("group %s differs", name)
		}
	}
	return nil
}
