// Package catalog is the single source of truth for Rocket.Chat Cloud's plan
// tiers: their order, caps, regions, feature gates and quotas. The provider's
// plan-time checks, the emulator's request validation, the data sources and
// the generated docs all read this package, so a rule is written exactly once.
//
// The facts come from the Rocket.Chat Cloud Services Terms (plan comparison
// table). Where the terms are vague (the region list, Dedicated caps,
// provisioning delays, quotas) the values below are this project's choice.
package catalog

import (
	"slices"
	"time"
)

// Tier names a plan tier. The zero value means "not known yet".
type Tier string

const (
	Standard  Tier = "standard"
	Premium   Tier = "premium"
	Dedicated Tier = "dedicated"
)

// Feature names a tier-gated capability. Each name is also the attribute
// name in Terraform and the field name in the API, so an error can point at
// the field at fault in either place.
type Feature string

const (
	FeatureVPN                 Feature = "vpn"
	FeatureIPIsolation         Feature = "ip_isolation"
	FeatureAutomatedScaling    Feature = "automated_scaling"
	FeatureRoutingRules        Feature = "routing_rules"
	FeatureMatrixAddon         Feature = "matrix_addon"
	FeatureAsteriskAddon       Feature = "asterisk_addon"
	FeatureAPIRateLimit        Feature = "api_rate_limit"
	FeatureVersionFreeze       Feature = "version_freeze"
	FeatureUpgradePostponement Feature = "major_upgrade_postponement_days"
	FeatureFirewallRules       Feature = "firewall_rules"
	FeatureStaticIPs           Feature = "static_ips"
	FeatureCustomDomains       Feature = "custom_domains"
)

// FeatureInfo describes a feature for docs and error messages.
type FeatureInfo struct {
	Name        Feature
	Description string
}

// Features lists every gated feature in the order the docs show them.
var Features = []FeatureInfo{
	{FeatureCustomDomains, "Custom domains"},
	{FeatureAutomatedScaling, "Automated scaling"},
	{FeatureRoutingRules, "Custom network configuration and routing rules"},
	{FeatureFirewallRules, "Custom firewall rules"},
	{FeatureStaticIPs, "Static outbound and load-balancer IPs"},
	{FeatureIPIsolation, "IP isolation"},
	{FeatureVPN, "VPN access"},
	{FeatureMatrixAddon, "Matrix homeserver add-on"},
	{FeatureAsteriskAddon, "Asterisk (voice) server add-on"},
	{FeatureAPIRateLimit, "Configurable API rate limit"},
	{FeatureUpgradePostponement, "Postpone a major upgrade (at most 30 days)"},
	{FeatureVersionFreeze, "Freeze the software version inside the supported window"},
}

// ProvisioningMode says how a tier's workspaces become ready.
type ProvisioningMode string

const (
	// ProvisionImmediate: ready on the next poll ("on demand").
	ProvisionImmediate ProvisioningMode = "immediate"
	// ProvisionDelayed: ready after a delay (the terms say up to 3 business days).
	ProvisionDelayed ProvisioningMode = "delayed"
	// ProvisionManual: ready only after an operator approves ("quoted delivery").
	ProvisionManual ProvisioningMode = "manual"
)

// StaticIPKind says what kind of static address a tier gets.
type StaticIPKind string

const (
	StaticIPNone      StaticIPKind = "none"
	StaticIPShared    StaticIPKind = "shared"
	StaticIPDedicated StaticIPKind = "dedicated"
)

// NoCap marks a usage limit that has no fixed cap (the terms say "quoted to size").
const NoCap int64 = 0

// MaxUpgradePostponementDays is the longest a major upgrade may be postponed.
const MaxUpgradePostponementDays = 30

// API rate limit bounds (requests per minute) when a tier makes it configurable.
const (
	DefaultAPIRateLimit int64 = 600
	MinAPIRateLimit     int64 = 60
	MaxAPIRateLimit     int64 = 60000
)

// SupportedVersions is the supported version window a Dedicated workspace may freeze to.
var SupportedVersions = []string{"7.9", "7.10", "7.11", "7.12"}

// TierSpec is one row of the plan comparison table.
type TierSpec struct {
	Name        Tier
	DisplayName string
	// Rank orders tiers: a move to a lower rank is a downgrade.
	Rank           int
	Infrastructure string
	RegionPolicy   string
	VersionPolicy  string
	Availability   string
	Support        string

	// Usage caps; NoCap means quoted to size.
	MaxUsers                         int64
	MaxStorageGB                     int64
	MaxOmnichannelConversationsMonth int64

	Provisioning ProvisioningMode
	// ProvisioningDelay is the emulator's default stand-in for the real delay.
	ProvisioningDelay time.Duration

	StaticIPKind StaticIPKind
	// Per-workspace quotas of child objects.
	StaticIPQuota     int
	FirewallRuleQuota int
	CustomDomainQuota int

	features map[Feature]bool
}

// Allows reports whether the tier includes the feature.
func (t TierSpec) Allows(f Feature) bool { return t.features[f] }

var premiumFeatures = []Feature{
	FeatureCustomDomains, FeatureAutomatedScaling, FeatureRoutingRules, FeatureFirewallRules,
	FeatureStaticIPs, FeatureIPIsolation, FeatureMatrixAddon, FeatureAsteriskAddon,
	FeatureAPIRateLimit, FeatureUpgradePostponement,
}

func featureSet(fs ...Feature) map[Feature]bool {
	m := make(map[Feature]bool, len(fs))
	for _, f := range fs {
		m[f] = true
	}
	return m
}

// Tiers is the plan comparison table, in upgrade order.
var Tiers = []TierSpec{
	{
		Name: Standard, DisplayName: "Standard Cloud", Rank: 0,
		Infrastructure: "shared",
		RegionPolicy:   "the default region only",
		VersionPolicy:  "continuous upgrades, no control",
		Availability:   "best effort",
		Support:        "12x5, RTO best effort",
		MaxUsers:       500, MaxStorageGB: 50, MaxOmnichannelConversationsMonth: 5000,
		Provisioning: ProvisionImmediate,
		StaticIPKind: StaticIPNone, StaticIPQuota: 0, FirewallRuleQuota: 0, CustomDomainQuota: 5,
		features: featureSet(FeatureCustomDomains),
	},
	{
		Name: Premium, DisplayName: "Premium Cloud", Rank: 1,
		Infrastructure: "shared, pre-allocated capacity",
		RegionPolicy:   "a published subset of regions",
		VersionPolicy:  "scheduled upgrades; a major release may be postponed up to 30 days",
		Availability:   "99.9 % (excluding scheduled downtime)",
		Support:        "24x7, RTO by severity",
		MaxUsers:       3000, MaxStorageGB: 250, MaxOmnichannelConversationsMonth: NoCap,
		Provisioning: ProvisionDelayed, ProvisioningDelay: 2 * time.Second,
		StaticIPKind: StaticIPShared, StaticIPQuota: 4, FirewallRuleQuota: 250, CustomDomainQuota: 20,
		features: featureSet(premiumFeatures...),
	},
	{
		Name: Dedicated, DisplayName: "Dedicated Private Cloud", Rank: 2,
		Infrastructure: "dedicated (own nodes, own database, HA load balancer)",
		RegionPolicy:   "any region",
		VersionPolicy:  "the owner may freeze the version inside the supported window",
		Availability:   "99.9 % (excluding scheduled downtime)",
		Support:        "24x7, RTO by severity",
		MaxUsers:       NoCap, MaxStorageGB: NoCap, MaxOmnichannelConversationsMonth: NoCap,
		Provisioning: ProvisionManual,
		StaticIPKind: StaticIPDedicated, StaticIPQuota: 16, FirewallRuleQuota: 1000, CustomDomainQuota: 100,
		features: featureSet(append(slices.Clone(premiumFeatures), FeatureVPN, FeatureVersionFreeze)...),
	},
}

// TierNames lists the tier names in upgrade order.
func TierNames() []string {
	names := make([]string, len(Tiers))
	for i, t := range Tiers {
		names[i] = string(t.Name)
	}
	return names
}

// Lookup returns the tier's spec.
func Lookup(t Tier) (TierSpec, bool) {
	for _, s := range Tiers {
		if s.Name == t {
			return s, true
		}
	}
	return TierSpec{}, false
}

// MinimumTier returns the lowest tier that allows the feature.
func MinimumTier(f Feature) TierSpec {
	for _, s := range Tiers {
		if s.Allows(f) {
			return s
		}
	}
	return Tiers[len(Tiers)-1]
}

// TiersAllowing lists the names of the tiers that allow the feature.
func TiersAllowing(f Feature) []string {
	var out []string
	for _, s := range Tiers {
		if s.Allows(f) {
			out = append(out, string(s.Name))
		}
	}
	return out
}
