package store

import (
	"slices"
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

func (s *memoryStore) Apply(ops []Op) error {
	for _, op := range ops {
		if !knownKind(op.Kind) {
			return ErrUnknownKind
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range ops {
		if op.Value == nil {
			delete(s.data[op.Kind], op.ID)
		} else {
			s.data[op.Kind][op.ID] = slices.Clone(op.Value)
		}
	}
	return nil
}

func (s *memoryStore) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	return nil
}

func (s *memoryStore) Close() error { return nil }
