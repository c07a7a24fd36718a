package emulator

import (
	"sync"
	"sync/atomic"
)

// indexedStore is the Store the server uses: a memory or bbolt Store plus
// the in-memory index (index.go) kept in step with every Apply and Reset.
type indexedStore struct {
	Store // the records; Get and List go straight to it

	mu  sync.RWMutex // guards idx; held across a write and its index update
	idx *index

	// decoded counts records decoded by getRec and listRecs: a test hook
	// that proves a request reads what its tenant holds, not the store.
	decoded atomic.Int64
}

// newIndexedStore indexes every record of raw (one decode per record).
func newIndexedStore(raw Store) (*indexedStore, error) {
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
	return &indexedStore{Store: raw, idx: idx}, nil
}

func (s *indexedStore) Put(kind, id string, value []byte) error {
	return s.Apply([]Op{{Kind: kind, ID: id, Value: value}})
}

func (s *indexedStore) Delete(kind, id string) error {
	return s.Apply([]Op{{Kind: kind, ID: id}})
}

// Apply writes the batch, then updates the index. Every written record is
// indexed first, so a value the index cannot read fails the batch before
// anything is written.
func (s *indexedStore) Apply(ops []Op) error {
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

func (s *indexedStore) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.Store.Reset(); err != nil {
		return err
	}
	s.idx = newIndex()
	return nil
}

// page returns up to n record IDs of a group after the position (nil: from
// the start), in creation order, and whether more follow.
func (s *indexedStore) page(group string, after *posKey, n int) ([]posKey, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.idx.groups[group]
	if set == nil {
		return nil, false
	}
	return set.after(after, n)
}

// ids returns every record ID of a group, in creation order.
func (s *indexedStore) ids(group string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.idx.groups[group]
	if set == nil {
		return nil
	}
	out := make([]string, len(set.keys))
	for i, k := range set.keys {
		out[i] = k.id
	}
	return out
}

// count is the number of records in a group.
func (s *indexedStore) count(group string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx.count(group)
}

// holder returns the ID of the record holding a unique value.
func (s *indexedStore) holder(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.idx.uniques[key]
	return id, ok
}
