package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// boltStore is a crash-safe Store in one bbolt file: every Apply is one
// fsynced transaction, so a crash never leaves half a batch behind.
type boltStore struct {
	db *bolt.DB
}

// OpenBoltStore opens (creating if needed) the bbolt file at path.
func OpenBoltStore(path string) (Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open emulator data file %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, k := range storeKinds {
			if _, err := tx.CreateBucketIfNotExists([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("initialise emulator data file %s: %w", path, err)
	}
	return &boltStore{db: db}, nil
}

func (s *boltStore) Get(kind, id string) (value []byte, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return ErrUnknownKind
		}
		if v := b.Get([]byte(id)); v != nil {
			value, ok = slices.Clone(v), true // v is valid only inside the transaction
		}
		return nil
	})
	return value, ok, err
}

func (s *boltStore) Put(kind, id string, value []byte) error {
	return s.Apply([]Op{{Kind: kind, ID: id, Value: value}})
}

func (s *boltStore) Delete(kind, id string) error {
	return s.Apply([]Op{{Kind: kind, ID: id}})
}

func (s *boltStore) List(kind string) (out [][]byte, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(kind))
		if b == nil {
			return ErrUnknownKind
		}
		return b.ForEach(func(_, v []byte) error {
			out = append(out, slices.Clone(v))
			return nil
		})
	})
	return out, err
}

func (s *boltStore) ListAll(kinds []string) (map[string][][]byte, error) {
	out := make(map[string][][]byte, len(kinds))
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, kind := range kinds {
			b := tx.Bucket([]byte(kind))
			if b == nil {
				return ErrUnknownKind
			}
			var vals [][]byte
			if err := b.ForEach(func(_, v []byte) error {
				vals = append(vals, slices.Clone(v))
				return nil
			}); err != nil {
				return err
			}
			out[kind] = vals
		}
		return nil
	})
	return out, err
}

func (s *boltStore) Apply(ops []Op) error {
	return s.db.Update(func(tx *bolt.Tx) error { return applyTx(tx, ops) })
}

func applyTx(tx *bolt.Tx, ops []Op) error {
	for _, op := range ops {
		b := tx.Bucket([]byte(op.Kind))
		if b == nil {
			return ErrUnknownKind
		}
		var err error
		if op.Value == nil {
			err = b.Delete([]byte(op.ID))
		} else {
			err = b.Put([]byte(op.ID), op.Value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *boltStore) Reset() error {
	return s.db.Update(resetTx)
}

func resetTx(tx *bolt.Tx) error {
	for _, k := range allKinds {
		if err := tx.DeleteBucket([]byte(k)); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

func (s *boltStore) Replace(ops []Op) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := resetTx(tx); err != nil {
			return err
		}
		return applyTx(tx, ops)
	})
}

func (s *boltStore) Close() error { return s.db.Close() }
