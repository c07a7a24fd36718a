package console

import (
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/reqlog"
)

// Backend is what the console needs of the emulator. The emulator implements
// it by calling the functions its admin API calls (approve, verify, faults,
// DNS, snapshot) and by reading through the same indexes as the API's lists,
// so the console neither duplicates a rule nor costs more than the API.
//
// Every list it answers is bounded by an argument or by a bound of the
// emulator (the request log's capacity, the simulated DNS's names).
type Backend interface {
	// IsAdminToken reports whether a typed token is the admin token (the
	// admin API's own check).
	IsAdminToken(token string) bool
	// Organizations lists every organization with an API token or objects,
	// sorted by name.
	Organizations() []string
	// Counts is an organization's objects by kind and plans by tier (index
	// counts: no record is read).
	Counts(org string) Counts
	// Estate is one page of an organization's plans, at most size, after
	// the cursor of the previous page ("" for the first), each with its
	// workspace and at most children of each kind of child.
	Estate(org, cursor string, size, children int) (*Estate, error)
	// Pending lists at most limit workspaces with pending provisioning or
	// upgrade and at most limit unverified domains, of one organization or
	// of all (org "").
	Pending(org string, limit int) (*Pending, error)
	// Approve completes a workspace's pending provisioning or upgrade.
	Approve(workspaceID string) error
	// Verify marks a custom domain verified.
	Verify(domainID string) error
	// Requests is the request log, newest first, filtered.
	Requests(f LogFilter) []LogEntry
	// Faults is the fault configuration; SetFaults replaces it.
	Faults() Faults
	SetFaults(f Faults) error
	// DNSRecords lists the simulated DNS's TXT records, sorted by name.
	DNSRecords() []DNSRecord
	// PublishDNS sets the TXT values of a name (none removes it).
	PublishDNS(name string, values []string) error
	// Snapshot is one organization's snapshot document (JSON), as the admin
	// API exports it; ResetOrg deletes the organization's objects (its API
	// tokens stay).
	Snapshot(org string) ([]byte, error)
	ResetOrg(org string) error
}

// Object kinds, in the order the console shows them (the store's kind names).
var kinds = []struct{ Name, Label string }{
	{"plans", "plan tiers"},
	{"workspaces", "workspaces"},
	{"domains", "custom domains"},
	{"firewall_rules", "firewall rules"},
	{"static_ips", "static IPs"},
}

// Counts is an organization's objects by kind and plans by tier.
type Counts struct {
	Objects map[string]int
	Tiers   map[string]int
}

// Estate is one page of an organization's estate.
type Estate struct {
	Plans []PlanNode
	// NextCursor is the cursor of the next page, "" on the last.
	NextCursor string
}

// PlanNode is a plan tier and the workspace provisioned on it, if any.
type PlanNode struct {
	Plan      api.Plan
	Workspace *WorkspaceNode
}

// WorkspaceNode is a workspace with the first of its children; the *More
// fields count the children not shown.
type WorkspaceNode struct {
	Workspace     api.Workspace
	Domains       []api.Domain
	DomainsMore   int
	FirewallRules []api.FirewallRule
	RulesMore     int
	StaticIPs     []api.StaticIP
	StaticIPsMore int
}

// Pending is the work that waits for an operator.
type Pending struct {
	Workspaces []PendingWorkspace
	Domains    []PendingDomain
	// More reports that a list was cut at its limit.
	More bool
}

// PendingWorkspace is a workspace whose provisioning or upgrade waits.
type PendingWorkspace struct {
	Org       string
	Workspace api.Workspace
	Mode      string // "manual" or "delayed"
	Upgrade   bool
	Since     time.Time
	// Due is when a delayed provisioning completes by itself (zero: manual).
	Due time.Time
}

// PendingDomain is a custom domain not verified yet.
type PendingDomain struct {
	Org    string
	Domain api.Domain
}

// LogFilter selects request log entries.
type LogFilter struct {
	Org       string
	RequestID string
	// Status: "" any, "error" (400 and above, or dropped), "2xx".."5xx", or one code.
	Status string
	Limit  int
}

// Match reports whether an entry passes the filter.
func (f LogFilter) Match(org, requestID string, status int, dropped bool) bool {
	if f.Org != "" && org != f.Org {
		return false
	}
	if f.RequestID != "" && requestID != f.RequestID {
		return false
	}
	switch {
	case f.Status == "":
		return true
	case f.Status == "error":
		return dropped || status >= 400
	case len(f.Status) == 3 && f.Status[1:] == "xx":
		return !dropped && status/100 == int(f.Status[0]-'0')
	}
	return !dropped && itoa(status) == f.Status
}

// LogEntry is one /v1 request of the request log (no token, header or
// body), as the emulator records it.
type LogEntry = reqlog.Entry

// Faults is the emulator's fault injection on /v1.
type Faults struct {
	ErrorRate          float64
	DropRate           float64
	RateLimitBurstRate float64
	Latency            time.Duration
	Seed               int64
}

// DNSRecord is one name of the simulated DNS and its TXT values.
type DNSRecord struct {
	Name string
	TXT  []string
}
