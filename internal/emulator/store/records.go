package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Stored records: the wire object plus the owning organization and the
// emulator's private state. Status fields are computed when read.

// PlanRec is a stored plan tier.
type PlanRec struct {
	Org string `json:"org"`
	api.Plan
}

// WorkspaceRec is a stored workspace.
type WorkspaceRec struct {
	Org string `json:"org"`
	api.Workspace
	PasswordHash string   `json:"password_hash,omitempty"`
	Pending      *Pending `json:"pending,omitempty"`
}

// Pending is a provisioning or an upgrade that has not completed yet.
type Pending struct {
	Upgrade bool                     `json:"upgrade"`
	Mode    catalog.ProvisioningMode `json:"mode"`
	Since   time.Time                `json:"since"`
	Delay   time.Duration            `json:"delay"`
}

// Done reports whether the pending work has completed by now.
func (p *Pending) Done(now time.Time) bool {
	switch p.Mode {
	case catalog.ProvisionImmediate:
		return true
	case catalog.ProvisionDelayed:
		return !now.Before(p.Since.Add(p.Delay))
	}
	return false
}

// IsPending reports whether a provisioning or upgrade is still under way.
func (w *WorkspaceRec) IsPending(now time.Time) bool { return w.Pending != nil && !w.Pending.Done(now) }

// View is the workspace as answered at time now. In immediate mode a
// workspace is ready in the very answer that creates it (a client has nothing
// to wait for, so it needs no second request).
func (w *WorkspaceRec) View(now time.Time) api.Workspace {
	out := w.Workspace
	out.Status = api.StatusReady
	if w.IsPending(now) {
		out.Status = api.StatusPending
		if w.Pending.Upgrade {
			out.Status = api.StatusUpgrading
		}
	}
	return out
}

// DomainRec is a stored custom domain.
type DomainRec struct {
	Org string `json:"org"`
	api.Domain
	Verified bool `json:"verified"`
}

// FirewallRec is a stored firewall rule.
type FirewallRec struct {
	Org string `json:"org"`
	api.FirewallRule
}

// StaticIPRec is a stored static IP.
type StaticIPRec struct {
	Org string `json:"org"`
	api.StaticIP
}

// IdempotencyID is the record ID of the stored answer to an organization's
// Idempotency-Key.
func IdempotencyID(org, key string) string {
	sum := sha256.Sum256([]byte(org + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// NormalHost is a hostname as stored and compared (without a trailing dot).
func NormalHost(h string) string { return strings.TrimSuffix(h, ".") }
