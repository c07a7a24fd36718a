// Package api holds the wire types of the Rocket.Chat Cloud API, shared by the
// client and the emulator so the two cannot drift apart, and the input
// validation both of them (and the provider's plan checks) apply.
package api

import (
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// IdempotencyKeyHeader makes a POST safe to retry: the same key replays the first answer.
const IdempotencyKeyHeader = "Idempotency-Key"

// RequestIDHeader carries the ID the API gives every request; error answers
// repeat it as request_id, so a user can quote it in a support ticket.
const RequestIDHeader = "X-Request-Id"

// Pagination of list answers: page_size items at most per page (1..MaxPageSize,
// DefaultPageSize when absent); next_cursor, when set, is the cursor of the next page.
const (
	QueryPageSize   = "page_size"
	QueryCursor     = "cursor"
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// MaxBodyBytes is the largest request body the API accepts.
const MaxBodyBytes = 64 << 10

// Statuses.
const (
	StatusPending   = "pending"   // workspace: being provisioned; domain: waiting for DNS
	StatusReady     = "ready"     // workspace: usable
	StatusUpgrading = "upgrading" // workspace or plan: moving to a higher tier
	StatusActive    = "active"    // plan: in force
	StatusVerified  = "verified"  // domain: ownership proven
	StatusIssued    = "issued"    // certificate
)

// FieldError names the field at fault, the rule and the allowed values.
type FieldError = catalog.Violation

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string       `json:"type,omitempty"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
	// RequestID is the X-Request-Id of the request that got this answer.
	RequestID string `json:"request_id,omitempty"`
}

// PlanInput is the body of POST /v1/plans and PATCH /v1/plans/{id}.
type PlanInput struct {
	Tier                         string  `json:"tier"`
	Region                       string  `json:"region"`
	VPN                          bool    `json:"vpn"`
	IPIsolation                  bool    `json:"ip_isolation"`
	AutomatedScaling             bool    `json:"automated_scaling"`
	RoutingRules                 bool    `json:"routing_rules"`
	MatrixAddon                  bool    `json:"matrix_addon"`
	AsteriskAddon                bool    `json:"asterisk_addon"`
	APIRateLimit                 *int64  `json:"api_rate_limit,omitempty"`
	MaxUsers                     *int64  `json:"max_users,omitempty"`
	MaxStorageGB                 *int64  `json:"max_storage_gb,omitempty"`
	OmnichannelConversations     *int64  `json:"omnichannel_conversations_per_month,omitempty"`
	VersionFreeze                *string `json:"version_freeze,omitempty"`
	MajorUpgradePostponementDays *int64  `json:"major_upgrade_postponement_days,omitempty"`
}

// Spec turns the input into the catalog's view of a plan.
func (in PlanInput) Spec() catalog.PlanSpec {
	return catalog.PlanSpec{
		Tier: catalog.Tier(in.Tier), Region: in.Region,
		VPN: &in.VPN, IPIsolation: &in.IPIsolation, AutomatedScaling: &in.AutomatedScaling,
		RoutingRules: &in.RoutingRules, MatrixAddon: &in.MatrixAddon, AsteriskAddon: &in.AsteriskAddon,
		APIRateLimit: in.APIRateLimit, MaxUsers: in.MaxUsers, MaxStorageGB: in.MaxStorageGB,
		OmnichannelConversations: in.OmnichannelConversations, VersionFreeze: in.VersionFreeze,
		MajorUpgradePostponementDays: in.MajorUpgradePostponementDays,
	}
}

// Plan is the contracted plan (the order) a workspace is provisioned on.
type Plan struct {
	ID string `json:"id"`
	PlanInput
	// Status is "active", or "upgrading" while its workspace moves to a higher tier.
	Status string `json:"status"`
	// WorkspaceID is the workspace provisioned on this plan, if any.
	WorkspaceID string    `json:"workspace_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// WorkspaceInput is the body of POST /v1/workspaces and PATCH /v1/workspaces/{id}.
// On PATCH only name and admin_password may change.
type WorkspaceInput struct {
	Name      string `json:"name"`
	Subdomain string `json:"subdomain"`
	PlanID    string `json:"plan_id"`
	// AdminPassword sets the initial admin password; it is never returned.
	AdminPassword string `json:"admin_password,omitempty"`
}

// Workspace is a Rocket.Chat Cloud workspace.
type Workspace struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Subdomain string `json:"subdomain"`
	PlanID    string `json:"plan_id"`
	// Tier and Region come from the plan.
	Tier             string `json:"tier"`
	Region           string `json:"region"`
	HostingProvider  string `json:"hosting_provider"`
	DataLocation     string `json:"data_location"`
	BackupProcessor  string `json:"backup_processor"`
	URL              string `json:"url"`
	Status           string `json:"status"`
	AdminPasswordSet bool   `json:"admin_password_set"`
	// Usage counts the workspace's child objects, so a client can check the
	// tier's quotas with the one read it makes of the workspace.
	Usage WorkspaceUsage `json:"usage"`
	// FirewallRulesExclusive is true while the workspace's firewall rules are
	// owned by a rule set (PUT .../firewall-rules): single-rule creates are
	// refused until the set is released (DELETE .../firewall-rules).
	FirewallRulesExclusive bool `json:"firewall_rules_exclusive"`
	// FirewallRulesVersion is the version of the workspace's firewall rule
	// collection (its ETag, unquoted), raised by every change of its rules.
	FirewallRulesVersion int64     `json:"firewall_rules_version"`
	CreatedAt            time.Time `json:"created_at"`
}

// WorkspaceUsage counts a workspace's child objects governed by tier quotas.
type WorkspaceUsage struct {
	CustomDomains int `json:"custom_domains"`
	FirewallRules int `json:"firewall_rules"`
	StaticIPs     int `json:"static_ips"`
}

func (u *WorkspaceUsage) counter(f catalog.Feature) *int {
	switch f {
	case catalog.FeatureCustomDomains:
		return &u.CustomDomains
	case catalog.FeatureFirewallRules:
		return &u.FirewallRules
	case catalog.FeatureStaticIPs:
		return &u.StaticIPs
	}
	return nil
}

// Count returns how many child objects of the feature the workspace holds.
func (u WorkspaceUsage) Count(f catalog.Feature) int {
	if c := u.counter(f); c != nil {
		return *c
	}
	return 0
}

// Add counts child objects of the feature in (delta > 0) or out.
func (u *WorkspaceUsage) Add(f catalog.Feature, delta int) {
	if c := u.counter(f); c != nil {
		*c += delta
	}
}

// DomainInput is the body of POST /v1/workspaces/{id}/domains.
type DomainInput struct {
	Hostname string `json:"hostname"`
}

// DNSRecord is a record the user must create at their DNS provider.
type DNSRecord struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Domain is a custom domain of a workspace.
type Domain struct {
	ID                 string    `json:"id"`
	WorkspaceID        string    `json:"workspace_id"`
	Hostname           string    `json:"hostname"`
	Status             string    `json:"status"`
	CertificateStatus  string    `json:"certificate_status"`
	VerificationRecord DNSRecord `json:"verification_record"`
	RoutingRecord      DNSRecord `json:"routing_record"`
	CreatedAt          time.Time `json:"created_at"`
}

// FirewallRuleInput is the body of POST and PATCH of a firewall rule.
type FirewallRuleInput struct {
	CIDR        string `json:"cidr"`
	Action      string `json:"action"`
	Protocol    string `json:"protocol"`
	PortRange   string `json:"port_range,omitempty"`
	Priority    int64  `json:"priority"`
	Description string `json:"description,omitempty"`
}

// FirewallRule is an inbound firewall rule of a workspace.
type FirewallRule struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	FirewallRuleInput
	CreatedAt time.Time `json:"created_at"`
}

// StaticIPInput is the body of POST and PATCH of a static IP (PATCH: description only).
type StaticIPInput struct {
	Purpose     string `json:"purpose"`
	Description string `json:"description,omitempty"`
}

// StaticIP is a static address held by a workspace.
type StaticIP struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	StaticIPInput
	Address string `json:"address"`
	// Dedicated is true when the address is the workspace's alone (Dedicated tier),
	// false when it comes from the shared pool (Premium tier).
	Dedicated bool      `json:"dedicated"`
	CreatedAt time.Time `json:"created_at"`
}

// AdminToken is a short-lived workspace admin login token.
type AdminToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// List wraps every list answer.
type List[T any] struct {
	Items []T `json:"items"`
	// NextCursor is the cursor of the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// FirewallRuleSetInput is the body of PUT /v1/workspaces/{id}/firewall-rules:
// the workspace's whole rule set, replacing every rule it holds. Rules are
// matched to the stored ones by priority (unique per workspace): a rule whose
// priority stays keeps its ID and creation time.
type FirewallRuleSetInput struct {
	Rules []FirewallRuleInput `json:"rules"`
}

// FirewallRuleSet is the answer to a replace (PUT) of a workspace's rules:
// every rule, by ascending priority, and the collection's version (also the
// ETag header).
type FirewallRuleSet struct {
	Items []FirewallRule `json:"items"`
	// Version is the rule collection's version after the change, the value
	// of the ETag header without its quotes.
	Version string `json:"version"`
	// Exclusive is true while the rules are owned by a set: single-rule
	// creates are refused (409) until the set is released (DELETE).
	Exclusive bool `json:"exclusive"`
}

// Headers of versioned collections (a workspace's firewall rules).
const (
	ETagHeader    = "ETag"
	IfMatchHeader = "If-Match"
)

// MaxFirewallRuleSetBytes is the largest body of a rule set replace: the
// largest tier quota of rules, each at its longest (an IPv6 prefix and a
// description of 255 characters escaped as \uXXXX).
const MaxFirewallRuleSetBytes = 2 << 20

// MaxFirewallRulesPageSize is the page_size limit of a workspace's firewall
// rule listing: the largest tier's rule quota, so one page holds a whole
// rule set under one version.
const MaxFirewallRulesPageSize = 1000
