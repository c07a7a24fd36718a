package store

import (
	"slices"
	"strings"
	"sync"
)

// memoryStore is a Store held in memory (Config.DataFile == "").
type memoryStore struct {
	mu   sync.RWMutex
	data map[string]map[string][]byte
}

// NewMemoryStore returns an empty in-memory Store.
func NewMemoryStore() Store {
	s := &memoryStore{data: map[string]map[string][]byte{KindMeta: {}}}
	s.reset()
	return s
}

// reset empties every data kind; the metadata stays.
func (s *memoryStore) reset() {
	for _, k := range allKinds {
		s.data[k] = map[string][]byte{}
	}
}

func (s *memoryStore) Get(kind, id string) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.data[kind]
	if !ok {
		return nil, false, ErrUnknownKind
	}
	v, ok := b[id]
	return v, ok, nil // values are never mutated in place, so sharing is safe
}

func (s *memoryStore) Put(kind, id string, value []byte) error {
	return s.Apply([]Op{{Kind: kind, ID: id, Value: value}})
}

func (s *memoryStore) Delete(kind, id string) error {
	return s.Apply([]Op{{Kind: kind, ID: id}})
}

func (s *memoryStore) List(kind string) ([][]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.data[kind]
	if !ok {
		return nil, ErrUnknownKind
	}
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = b[k]
	}
	return out, nil
}

// ListAll copies the references of each kind's values under one read lock
// (values are never mutated in place), then sorts outside it.
func (s *memoryStore) ListAll(kinds []string) (map[string][][]byte, error) {
	type kv struct {
		k string
		v []byte
	}
	raw := make(map[string][]kv, len(kinds))
	s.mu.RLock()
	for _, kind := range kinds {
		b, ok := s.data[kind]
		if !ok {
			s.mu.RUnlock()
			return nil, ErrUnknownKind
		}
		items := make([]kv, 0, len(b))
		for k, v := range b {
			items = append(items, kv{k, v})
		}
		raw[kind] = items
	}
	s.mu.RUnlock()
	out := make(map[string][][]byte, len(kinds))
	for kind, items := range raw {
		slices.SortFunc(items, func(a, b kv) int { return strings.Compare(a.k, b.k) })
		vals := make([][]byte, len(items))
		for i, it := range items {
			vals[i] = it.v
		}
		out[kind] = vals
	}
	return out, nil
}

func (s *memoryStore) Apply(ops []Op) error {
	if err := checkKinds(ops); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyLocked(ops)
	return nil
}

func (s *memoryStore) Replace(ops []Op) error {
	if err := checkKinds(ops); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	s.applyLocked(ops)
	return nil
}

func (s *memoryStore) applyLocked(ops []Op) {
	for _, op := range ops {
		if op.Value == nil {
			delete(s.data[op.Kind], op.ID)
		} else {
			s.data[op.Kind][op.ID] = slices.Clone(op.Value)
		}
	}
}

func (s *memoryStore) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	return nil
}

func (s *memoryStore) Close() error { return nil }

func checkKinds(ops []Op) error {
	for _, op := range ops {
		if !knownKind(op.Kind) {
			return ErrUnknownKind
		}
	}
	return nil
}
