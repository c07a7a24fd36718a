package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// The index makes every per-tenant question (list an organization's plans,
// a workspace's firewall rules, "is this subdomain taken?") cost what the
// tenant holds, not what the whole store holds.
//
// It is derived data, held in memory only: it is rebuilt from the records
// when the store is opened and updated from every committed batch of writes
// (IndexedStore.Apply), whoever queued them (handlers, admin, seeds and
// snapshot restores that write with q.put / q.del and s.commit). A record is
// indexed from its own fields (org, workspace_id, created_at and its unique
// values), so no caller maintains index entries by hand, and a crash can never
// leave index and records out of step: the index is not on disk.
//
// Groups are ordered sets of records in creation order (created_at, then ID):
//
//	<kind>|org|<org>               every kind, by owning organization
//	<kind>|ws|<workspace>          domains, firewall rules, static IPs, exports
//	static_ips|pool|<kind>|<org>   an organization's shared or dedicated addresses (pool share)
//	idempotency|all                every stored idempotent answer (sweeping)
//	workspaces|pending[|<org>]     workspaces whose record carries pending work (approve-all)
//	plans|tier|<tier>|<org>        an organization's plans of one tier (the console's counts)
//	domains|unverified[|<org>]     domains not verified by an operator or DNS (the console's pending work)
//
// Unique values map to the one record that holds them:
//
//	subdomain|<subdomain>               workspaces (every organization)
//	hostname|<hostname>                 custom domains (every organization)
//	priority|<workspace>|<priority>     firewall rules (per workspace)
//	address|<address>                   static IPs (every organization)

// OrgGroup names the group of an organization's records of a kind.
func OrgGroup(kind, org string) string { return kind + "|org|" + org }

// WsGroup names the group of a workspace's records of a kind.
func WsGroup(kind, wsID string) string { return kind + "|ws|" + wsID }

// PoolGroup names the group of an organization's static IPs of a pool
// (catalog.StaticIPShared or catalog.StaticIPDedicated).
func PoolGroup(pool, org string) string { return KindStaticIPs + "|pool|" + pool + "|" + org }

// UniqueKey names a unique value (name is "subdomain", "hostname" or "address").
func UniqueKey(name, value string) string { return name + "|" + value }

// IdempotencyAll is the group of every stored idempotent answer.
const IdempotencyAll = KindIdempotency + "|all"

// WorkspacesWaiting holds the workspaces whose record still carries delayed
// or manual pending work (a provisioning or upgrade, done by time or not),
// and WaitingGroup one organization's of them: approve-all walks these only,
// whatever the number of workspaces (or of other organizations' ones).
const WorkspacesWaiting = KindWorkspaces + "|pending"

// WaitingGroup names one organization's part of WorkspacesWaiting.
func WaitingGroup(org string) string { return WorkspacesWaiting + "|" + org }

// TierGroup names the group of an organization's plans of a tier.
func TierGroup(tier, org string) string { return KindPlans + "|tier|" + tier + "|" + org }

// DomainsUnverified holds the domains not marked verified (by an operator or
// a DNS check; a DomainVerifyDelay that has passed is only computed when a
// domain is read, so readers still check), and UnverifiedGroup one
// organization's of them.
const DomainsUnverified = KindDomains + "|unverified"

// UnverifiedGroup names one organization's part of DomainsUnverified.
func UnverifiedGroup(org string) string { return DomainsUnverified + "|" + org }

// PriorityKey names a firewall rule priority, unique within its workspace.
func PriorityKey(wsID string, priority int64) string {
	return UniqueKey("priority", wsID+"|"+strconv.FormatInt(priority, 10))
}

// PosKey is a record's place in its groups: creation time, then ID.
type PosKey struct {
	Created int64 // Unix nanoseconds
	ID      string
}

func (a PosKey) less(b PosKey) bool {
	if a.Created != b.Created {
		return a.Created < b.Created
	}
	return a.ID < b.ID
}

// orderedSet is a sorted slice of positions. Records are mostly created in
// clock order, so inserts are appends; a delete moves only this group's tail.
type orderedSet struct {
	name string // the group
	keys []PosKey
}

func (s *orderedSet) search(k PosKey) (int, bool) {
	i, _ := slices.BinarySearchFunc(s.keys, k, func(e, t PosKey) int {
		switch {
		case e.less(t):
			return -1
		case t.less(e):
			return 1
		}
		return 0
	})
	return i, i < len(s.keys) && s.keys[i] == k
}

func (s *orderedSet) insert(k PosKey) {
	if n := len(s.keys); n == 0 || s.keys[n-1].less(k) {
		s.keys = append(s.keys, k)
		return
	}
	if i, found := s.search(k); !found {
		s.keys = slices.Insert(s.keys, i, k)
	}
}

func (s *orderedSet) remove(k PosKey) {
	if i, found := s.search(k); found {
		s.keys = slices.Delete(s.keys, i, i+1)
	}
}

// after returns up to n positions strictly after k (from the start when k is
// nil) and whether more follow.
func (s *orderedSet) after(k *PosKey, n int) ([]PosKey, bool) {
	i := 0
	if k != nil {
		j, found := s.search(*k)
		if found {
			j++
		}
		i = j
	}
	end := min(i+n, len(s.keys))
	return slices.Clone(s.keys[i:end]), end < len(s.keys)
}

// idxEntry is what one record contributes to the index.
type idxEntry struct {
	pos     PosKey
	org     string
	groups  []string
	uniques []string
}

// indexFields are the record fields the index reads; every record kind is
// decoded into it (absent fields stay zero).
type indexFields struct {
	ID          string    `json:"id"`
	Key         string    `json:"key"` // idempotency records
	Org         string    `json:"org"`
	WorkspaceID string    `json:"workspace_id"`
	CreatedAt   time.Time `json:"created_at"`
	RequestedAt time.Time `json:"requested_at"` // exports
	Subdomain   string    `json:"subdomain"`
	Hostname    string    `json:"hostname"`
	Priority    int64     `json:"priority"`
	Address     string    `json:"address"`
	Dedicated   bool      `json:"dedicated"`
	Tier        string    `json:"tier"`     // plans
	Verified    bool      `json:"verified"` // domains
	// Pending is a workspace's pending work (absent when none).
	Pending *struct {
		Mode catalog.ProvisioningMode `json:"mode"`
	} `json:"pending"`
}

// indexedKind reports whether records of the kind are indexed.
func indexedKind(kind string) bool { return kind != KindMeta }

// deriveEntry computes a record's index entry from its stored value; an
// empty id is read from the record (a rebuild lists values only): "id", or
// for an idempotency record the ID derived from its organization and key.
func deriveEntry(kind, id string, value []byte) (idxEntry, error) {
	var f indexFields
	if err := json.Unmarshal(value, &f); err != nil {
		return idxEntry{}, fmt.Errorf("index %s %q: %w", kind, id, err)
	}
	if id == "" {
		id = f.ID
		if kind == KindIdempotency {
			id = IdempotencyID(f.Org, f.Key)
		}
		if id == "" {
			return idxEntry{}, fmt.Errorf("index %s record without an id: %.80s", kind, value)
		}
	}
	created := f.CreatedAt
	if kind == KindExports {
		created = f.RequestedAt
	}
	e := idxEntry{pos: PosKey{Created: created.UnixNano(), ID: id}, org: f.Org, groups: []string{OrgGroup(kind, f.Org)}}
	switch kind {
	case KindPlans:
		e.groups = append(e.groups, TierGroup(f.Tier, f.Org))
	case KindWorkspaces:
		e.uniques = []string{UniqueKey("subdomain", f.Subdomain)}
		if f.Pending != nil && f.Pending.Mode != catalog.ProvisionImmediate {
			e.groups = append(e.groups, WorkspacesWaiting, WaitingGroup(f.Org))
		}
	case KindDomains:
		e.groups = append(e.groups, WsGroup(kind, f.WorkspaceID))
		e.uniques = []string{UniqueKey("hostname", NormalHost(f.Hostname))}
		if !f.Verified {
			e.groups = append(e.groups, DomainsUnverified, UnverifiedGroup(f.Org))
		}
	case KindFirewallRules:
		e.groups = append(e.groups, WsGroup(kind, f.WorkspaceID))
		e.uniques = []string{PriorityKey(f.WorkspaceID, f.Priority)}
	case KindStaticIPs:
		pool := string(catalog.StaticIPShared)
		if f.Dedicated {
			pool = string(catalog.StaticIPDedicated)
		}
		e.groups = append(e.groups, WsGroup(kind, f.WorkspaceID), PoolGroup(pool, f.Org))
		e.uniques = []string{UniqueKey("address", f.Address)}
	case KindIdempotency:
		e.groups = append(e.groups, IdempotencyAll)
	case KindExports:
		e.groups = append(e.groups, WsGroup(kind, f.WorkspaceID))
	}
	return e, nil
}

// index is the in-memory index; IndexedStore guards it.
type index struct {
	groups  map[string]*orderedSet
	uniques map[string]string        // unique key -> record ID
	entries map[entryKey]storedEntry // to undo a record's entry on delete or update
	orgs    map[string]int           // organization -> its objects (ObjectKinds), for listing organizations
}

// entryKey names a record; kind is one of the kind constants, so the key
// shares its strings with the record's position.
type entryKey struct{ kind, id string }

// storedEntry is an idxEntry as held: its groups point at the shared sets
// (a group's name is stored once, not once per record).
type storedEntry struct {
	pos     PosKey
	org     string
	groups  []*orderedSet
	uniques []string
}

func newIndex() *index {
	return &index{groups: map[string]*orderedSet{}, uniques: map[string]string{}, entries: map[entryKey]storedEntry{}, orgs: map[string]int{}}
}

// add indexes a record. With bulk set, group inserts append unsorted and
// the caller sorts once (sortAll): a rebuild reads records in key order,
// which is not creation order.
func (x *index) add(kind string, e idxEntry, bulk bool) {
	se := storedEntry{pos: e.pos, org: e.org, groups: make([]*orderedSet, len(e.groups)), uniques: e.uniques}
	for i, g := range e.groups {
		set := x.groups[g]
		if set == nil {
			set = &orderedSet{name: g}
			x.groups[g] = set
		}
		se.groups[i] = set
		if bulk {
			set.keys = append(set.keys, e.pos)
		} else {
			set.insert(e.pos)
		}
	}
	for _, u := range e.uniques {
		x.uniques[u] = e.pos.ID
	}
	x.entries[entryKey{kind, e.pos.ID}] = se
	if slices.Contains(ObjectKinds, kind) {
		x.orgs[e.org]++
	}
}

func (x *index) remove(kind, id string) {
	k := entryKey{kind, id}
	e, ok := x.entries[k]
	if !ok {
		return
	}
	delete(x.entries, k)
	if slices.Contains(ObjectKinds, kind) {
		if x.orgs[e.org]--; x.orgs[e.org] <= 0 {
			delete(x.orgs, e.org)
		}
	}
	for _, set := range e.groups {
		set.remove(e.pos)
		if len(set.keys) == 0 && x.groups[set.name] == set {
			delete(x.groups, set.name)
		}
	}
	for _, u := range e.uniques {
		if x.uniques[u] == id { // a damaged file may hold a duplicate: keep the other holder
			delete(x.uniques, u)
		}
	}
}

func (x *index) sortAll() {
	for _, set := range x.groups {
		slices.SortFunc(set.keys, func(a, b PosKey) int {
			switch {
			case a.less(b):
				return -1
			case b.less(a):
				return 1
			}
			return 0
		})
		set.keys = slices.Compact(set.keys)
	}
}

func (x *index) count(group string) int {
	if set := x.groups[group]; set != nil {
		return len(set.keys)
	}
	return 0
}
