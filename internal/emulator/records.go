package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Stored records: the wire object plus the owning organization and the
// emulator's private state. Status fields are computed when read.

type planRec struct {
	Org string `json:"org"`
	api.Plan
}

type workspaceRec struct {
	Org string `json:"org"`
	api.Workspace
	PasswordHash string   `json:"password_hash,omitempty"`
	Pending      *pending `json:"pending,omitempty"`
}

// pending is a provisioning or an upgrade that has not completed yet.
type pending struct {
	Upgrade bool                     `json:"upgrade"`
	Mode    catalog.ProvisioningMode `json:"mode"`
	Since   time.Time                `json:"since"`
	Delay   time.Duration            `json:"delay"`
}

// done reports whether the pending work has completed by now.
func (p *pending) done(now time.Time) bool {
	switch p.Mode {
	case catalog.ProvisionImmediate:
		return true
	case catalog.ProvisionDelayed:
		return !now.Before(p.Since.Add(p.Delay))
	}
	return false
}

// isPending reports whether a provisioning or upgrade is still under way.
func (w *workspaceRec) isPending(now time.Time) bool { return w.Pending != nil && !w.Pending.done(now) }

// view is the workspace as answered at time now. In immediate mode a
// workspace is ready in the very answer that creates it (a client has nothing
// to wait for, so it needs no second request).
func (w *workspaceRec) view(now time.Time) api.Workspace {
	out := w.Workspace
	out.Status = api.StatusReady
	if w.isPending(now) {
		out.Status = api.StatusPending
		if w.Pending.Upgrade {
			out.Status = api.StatusUpgrading
		}
	}
	return out
}

type domainRec struct {
	Org string `json:"org"`
	api.Domain
	Verified bool `json:"verified"`
}

type firewallRec struct {
	Org string `json:"org"`
	api.FirewallRule
}

type staticIPRec struct {
	Org string `json:"org"`
	api.StaticIP
}

// marshal encodes v as compact JSON without HTML escaping and without the
// trailing newline of json.Encoder.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// newID returns prefix + "-" + 16 random hex digits.
func newID(prefix string) string {
	return prefix + "-" + randomHex(8)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// getRec reads one record; nil when absent.
func getRec[T any](s *Server, kind, id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	raw, ok, err := s.store.Get(kind, id)
	if err != nil || !ok {
		return nil, err
	}
	s.store.decoded.Add(1)
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

// listRecs reads every record of a kind that keep accepts (nil keeps all).
// It decodes the whole kind, every organization's: requests use the index
// (groupRecs, page) instead; this is for admin work across organizations.
func listRecs[T any](s *Server, kind string, keep func(*T) bool) ([]*T, error) {
	raws, err := s.store.List(kind)
	if err != nil {
		return nil, err
	}
	s.store.decoded.Add(int64(len(raws)))
	out := make([]*T, 0, len(raws))
	for _, raw := range raws {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return nil, err
		}
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	return out, nil
}
