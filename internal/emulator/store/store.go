// Package store holds the emulator's data: the Store interface and its bbolt
// and memory backends, the stored record types, the in-memory index that
// answers per-tenant questions, and the data file's schema versions and
// migrations. It knows nothing of HTTP (no requests, answers or problem
// documents): the emulator's handlers sit above it and import it.
package store

import "errors"

// Kinds of stored objects. Each kind is one bucket (bbolt) or map (memory).
const (
	KindPlans         = "plans"
	KindWorkspaces    = "workspaces"
	KindDomains       = "domains"
	KindFirewallRules = "firewall_rules"
	KindStaticIPs     = "static_ips"
	KindIdempotency   = "idempotency"
	// KindMeta holds the store's own metadata (the schema version); Reset
	// keeps it and the index ignores it.
	KindMeta = "meta"
)

// KindExports holds the data exports. They are not among the ObjectKinds
// Counts reports: an export is a record of an operation, not a managed object,
// and it outlives its workspace (export, then delete).
const KindExports = "exports"

// ObjectKinds are the kinds Counts reports.
var ObjectKinds = []string{KindPlans, KindWorkspaces, KindDomains, KindFirewallRules, KindStaticIPs}

// allKinds is every bucket of data the store holds (what Reset empties).
var allKinds = append(append([]string{}, ObjectKinds...), KindIdempotency, KindExports)

// storeKinds is every bucket, metadata included.
var storeKinds = append(append([]string{}, allKinds...), KindMeta)

// ErrUnknownKind is returned for a kind the store does not hold.
var ErrUnknownKind = errors.New("emulator store: unknown kind")

// Op is one write of an atomic batch: Value nil deletes the key.
type Op struct {
	Kind  string
	ID    string
	Value []byte
}

// Store persists the emulator's objects as JSON values, keyed by kind and ID.
// Implementations must be safe for concurrent use; the server serialises
// mutations itself, so a Store needs no cross-call transactions beyond Apply.
type Store interface {
	// Get returns the value, or ok=false when absent. The caller owns the slice.
	Get(kind, id string) (value []byte, ok bool, err error)
	// Put stores a value.
	Put(kind, id string, value []byte) error
	// Delete removes a key; deleting an absent key is not an error.
	Delete(kind, id string) error
	// List returns every value of a kind, in key order. The caller owns the slices.
	List(kind string) ([][]byte, error)
	// Apply performs every op atomically (all or nothing, crash-safe).
	Apply(ops []Op) error
	// ListAll returns every value of each kind, in key order, read from one
	// consistent view of the store (no write lands halfway through) without
	// stalling writers for longer than a copy of the references (memory)
	// or at all (bbolt: one read transaction). The caller owns the slices.
	ListAll(kinds []string) (map[string][][]byte, error)
	// Reset deletes every value of every kind but the metadata.
	Reset() error
	// Replace empties every kind but the metadata (as Reset) and applies ops,
	// atomically: a whole-store restore costs what it writes, not what the
	// store held.
	Replace(ops []Op) error
	// Close releases the store.
	Close() error
}

func knownKind(kind string) bool {
	for _, k := range storeKinds {
		if k == kind {
			return true
		}
	}
	return false
}
