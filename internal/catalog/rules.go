package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Rule identifiers carried in every Violation, so clients can branch on them.
const (
	RuleOneOf       = "one_of"
	RuleRange       = "range"
	RuleTierFeature = "tier_feature"
	RuleTierRegion  = "tier_region"
	RuleUsageCap    = "usage_cap"
	RuleNoDowngrade = "no_downgrade"
	RuleImmutable   = "immutable"
	RuleTierQuota   = "tier_quota"
)

// Violation is one broken rule, named by the field at fault. Field names are
// the same in Terraform and in the API.
type Violation struct {
	Field   string   `json:"field"`
	Rule    string   `json:"rule"`
	Message string   `json:"message"`
	Allowed []string `json:"allowed,omitempty"`
}

func (v Violation) Error() string { return v.Field + ": " + v.Message }

// PlanSpec is a plan's settings as far as they are known. A nil pointer, or
// an empty Tier or Region, means "unset or not known yet": checks that need
// it are skipped (the API repeats every check once all values are known).
type PlanSpec struct {
	Tier   Tier
	Region string

	VPN              *bool
	IPIsolation      *bool
	AutomatedScaling *bool
	RoutingRules     *bool
	MatrixAddon      *bool
	AsteriskAddon    *bool

	APIRateLimit                 *int64
	MaxUsers                     *int64
	MaxStorageGB                 *int64
	OmnichannelConversations     *int64
	VersionFreeze                *string
	MajorUpgradePostponementDays *int64
}

// Usage cap field names.
const (
	FieldMaxUsers                 = "max_users"
	FieldMaxStorageGB             = "max_storage_gb"
	FieldOmnichannelConversations = "omnichannel_conversations_per_month"
)

// CheckPlan returns every rule the plan breaks, in a stable order.
func CheckPlan(p PlanSpec) []Violation {
	var out []Violation
	add := func(v *Violation) {
		if v != nil {
			out = append(out, *v)
		}
	}
	spec, tierKnown := Lookup(p.Tier)
	if p.Tier != "" && !tierKnown {
		add(&Violation{Field: "tier", Rule: RuleOneOf, Allowed: TierNames(),
			Message: fmt.Sprintf("unknown tier %q; allowed values: %s", p.Tier, quoteJoin(TierNames()))})
	}
	if p.Region != "" {
		if _, ok := LookupRegion(p.Region); !ok {
			add(&Violation{Field: "region", Rule: RuleOneOf, Allowed: RegionNames(),
				Message: fmt.Sprintf("unknown region %q; allowed values: %s", p.Region, quoteJoin(RegionNames()))})
		} else if tierKnown && !spec.AllowsRegion(p.Region) {
			allowed := RegionsFor(spec)
			add(&Violation{Field: "region", Rule: RuleTierRegion, Allowed: allowed,
				Message: fmt.Sprintf("region %q is not available on the %s tier; allowed regions: %s, or upgrade tier to %q",
					p.Region, spec.Name, quoteJoin(allowed), firstTierWithRegion(p.Region))})
		}
	}

	for _, b := range []struct {
		f Feature
		v *bool
	}{
		{FeatureVPN, p.VPN}, {FeatureIPIsolation, p.IPIsolation}, {FeatureAutomatedScaling, p.AutomatedScaling},
		{FeatureRoutingRules, p.RoutingRules}, {FeatureMatrixAddon, p.MatrixAddon}, {FeatureAsteriskAddon, p.AsteriskAddon},
	} {
		if b.v != nil && *b.v && tierKnown {
			add(featureViolation(spec, b.f, string(b.f)))
		}
	}

	if p.APIRateLimit != nil {
		if tierKnown {
			add(featureViolation(spec, FeatureAPIRateLimit, string(FeatureAPIRateLimit)))
		}
		add(rangeViolation(string(FeatureAPIRateLimit), *p.APIRateLimit, MinAPIRateLimit, MaxAPIRateLimit, "requests per minute"))
	}

	if tierKnown {
		add(capViolation(spec, FieldMaxUsers, p.MaxUsers, spec.MaxUsers, "users"))
		add(capViolation(spec, FieldMaxStorageGB, p.MaxStorageGB, spec.MaxStorageGB, "GB of file storage"))
		add(capViolation(spec, FieldOmnichannelConversations, p.OmnichannelConversations, spec.MaxOmnichannelConversationsMonth, "omnichannel conversations per month"))
	}
	for _, c := range []struct {
		field string
		v     *int64
	}{{FieldMaxUsers, p.MaxUsers}, {FieldMaxStorageGB, p.MaxStorageGB}, {FieldOmnichannelConversations, p.OmnichannelConversations}} {
		if c.v != nil && *c.v < 1 {
			add(&Violation{Field: c.field, Rule: RuleRange, Message: fmt.Sprintf("must be at least 1, got %d", *c.v)})
		}
	}

	if p.VersionFreeze != nil {
		if tierKnown {
			add(featureViolation(spec, FeatureVersionFreeze, string(FeatureVersionFreeze)))
		}
		if !slices.Contains(SupportedVersions, *p.VersionFreeze) {
			add(&Violation{Field: string(FeatureVersionFreeze), Rule: RuleOneOf, Allowed: SupportedVersions,
				Message: fmt.Sprintf("version %q is outside the supported version window; allowed values: %s",
					*p.VersionFreeze, quoteJoin(SupportedVersions))})
		}
	}

	if d := p.MajorUpgradePostponementDays; d != nil {
		add(rangeViolation(string(FeatureUpgradePostponement), *d, 0, MaxUpgradePostponementDays, "days"))
		if *d > 0 && tierKnown {
			add(featureViolation(spec, FeatureUpgradePostponement, string(FeatureUpgradePostponement)))
		}
	}
	return out
}

// CheckTierChange rejects a downgrade: tiers only move up during the term.
func CheckTierChange(from, to Tier) *Violation {
	f, okF := Lookup(from)
	t, okT := Lookup(to)
	if !okF || !okT || t.Rank >= f.Rank {
		return nil
	}
	var allowed []string
	for _, s := range Tiers {
		if s.Rank >= f.Rank {
			allowed = append(allowed, string(s.Name))
		}
	}
	return &Violation{Field: "tier", Rule: RuleNoDowngrade, Allowed: allowed,
		Message: fmt.Sprintf("cannot downgrade from %q to %q: tiers may only move up during the term; allowed values: %s. "+
			"Keep tier = %q, or, for a %s estate, order a new plan tier on %q with new workspaces on it and move to them",
			from, to, quoteJoin(allowed), from, to, to)}
}

// CheckImmutable rejects a change to a field that is fixed at order time.
func CheckImmutable(field, from, to string) *Violation {
	if from == to {
		return nil
	}
	return &Violation{Field: field, Rule: RuleImmutable,
		Message: fmt.Sprintf("%s cannot change in place (from %q to %q); order a new one instead", field, from, to)}
}

// CheckChildFeature rejects a tier-gated child object (a firewall rule, a
// static IP) on a workspace whose tier does not include it.
func CheckChildFeature(t Tier, f Feature, workspaceID string) *Violation {
	spec, ok := Lookup(t)
	if !ok || spec.Allows(f) {
		return nil
	}
	min := MinimumTier(f)
	return &Violation{Field: "workspace_id", Rule: RuleTierFeature, Allowed: TiersAllowing(f),
		Message: fmt.Sprintf("%s need the %s tier; workspace %q is on the %s tier. Remove the %s, or upgrade its plan tier to %q "+
			"(in an apply of its own first: the plan-time check sees the current tier)",
			describe(f), orJoin(TiersAllowing(f)), workspaceID, t, ChildNoun(f), min.Name)}
}

// CheckChildQuota rejects a child object beyond the tier's per-workspace quota.
func CheckChildQuota(t Tier, f Feature, workspaceID string, existing int) *Violation {
	return CheckChildQuotaAdding(t, f, workspaceID, existing, 1)
}

// CheckChildQuotaAdding rejects adding `adding` child objects to a workspace
// that holds `existing` when the total exceeds the tier's quota. The provider
// counts every create of one plan this way, the API one create at a time.
func CheckChildQuotaAdding(t Tier, f Feature, workspaceID string, existing, adding int) *Violation {
	spec, ok := Lookup(t)
	if !ok {
		return nil
	}
	quota := spec.Quota(f)
	if quota < 0 || existing+adding <= quota {
		return nil
	}
	noun := ChildNoun(f)
	msg := fmt.Sprintf("the %s tier allows at most %d %s per workspace and workspace %q already has %d", t, quota, noun, workspaceID, existing)
	if adding > 1 {
		msg += fmt.Sprintf("; this plan adds %d more", adding)
	}
	excess := existing + adding - quota
	way := fmt.Sprintf("; remove %d of them", excess)
	if next, ok := nextTierWithMore(spec, f, existing+adding); ok {
		way += fmt.Sprintf(", or upgrade its plan tier to %q (at most %d)", next.Name, next.Quota(f))
	}
	return &Violation{Field: "workspace_id", Rule: RuleTierQuota, Allowed: []string{strconv.Itoa(quota)},
		Message: msg + way}
}

// CheckRuleSetQuota rejects a whole set of n child objects (a workspace's
// firewall rule set, which replaces every rule it holds) larger than the
// tier's per-workspace quota.
func CheckRuleSetQuota(t Tier, f Feature, workspaceID string, n int) *Violation {
	spec, ok := Lookup(t)
	if !ok {
		return nil
	}
	quota := spec.Quota(f)
	if quota < 0 || n <= quota {
		return nil
	}
	way := fmt.Sprintf("; remove %d of them", n-quota)
	if next, ok := nextTierWithMore(spec, f, n); ok {
		way += fmt.Sprintf(", or upgrade its plan tier to %q (at most %d)", next.Name, next.Quota(f))
	}
	return &Violation{Field: "rules", Rule: RuleTierQuota, Allowed: []string{strconv.Itoa(quota)},
		Message: fmt.Sprintf("the set holds %d %s, but the %s tier allows at most %d per workspace (workspace %q)",
			n, ChildNoun(f), t, quota, workspaceID) + way}
}

// ChildNoun is the plural noun of a workspace's child objects of feature f, as
// messages write it ("static IPs", not the feature's table description).
func ChildNoun(f Feature) string {
	switch f {
	case FeatureStaticIPs:
		return "static IPs"
	case FeatureFirewallRules:
		return "firewall rules"
	case FeatureCustomDomains:
		return "custom domains"
	}
	return strings.ToLower(describe(f))
}

// Quota returns the per-workspace quota of a child feature, or -1 when it has none.
func (t TierSpec) Quota(f Feature) int {
	switch f {
	case FeatureStaticIPs:
		return t.StaticIPQuota
	case FeatureFirewallRules:
		return t.FirewallRuleQuota
	case FeatureCustomDomains:
		return t.CustomDomainQuota
	}
	return -1
}

func featureViolation(spec TierSpec, f Feature, field string) *Violation {
	if spec.Allows(f) {
		return nil
	}
	allowed := TiersAllowing(f)
	return &Violation{Field: field, Rule: RuleTierFeature, Allowed: allowed,
		Message: fmt.Sprintf("%s needs the %s tier; this plan is %q. Remove %s, or upgrade tier to %q",
			field, orJoin(allowed), spec.Name, field, MinimumTier(f).Name)}
}

func capViolation(spec TierSpec, field string, v *int64, limit int64, unit string) *Violation {
	if v == nil || limit == NoCap || *v <= limit {
		return nil
	}
	way := fmt.Sprintf("; lower %s to at most %d, remove it (the tier's cap)", field, limit)
	if next, ok := nextTierWithCap(spec, field, *v); ok {
		way += fmt.Sprintf(", or upgrade tier to %q", next.Name)
	}
	return &Violation{Field: field, Rule: RuleUsageCap, Allowed: []string{"1-" + strconv.FormatInt(limit, 10)},
		Message: fmt.Sprintf("%d exceeds the %s tier's cap of %d %s%s", *v, spec.Name, limit, unit, way)}
}

func rangeViolation(field string, v, min, max int64, unit string) *Violation {
	if v >= min && v <= max {
		return nil
	}
	return &Violation{Field: field, Rule: RuleRange, Allowed: []string{fmt.Sprintf("%d-%d", min, max)},
		Message: fmt.Sprintf("must be between %d and %d %s, got %d", min, max, unit, v)}
}

func firstTierWithRegion(region string) Tier {
	for _, t := range Tiers {
		if t.AllowsRegion(region) {
			return t.Name
		}
	}
	return Dedicated
}

func describe(f Feature) string {
	for _, i := range Features {
		if i.Name == f {
			return i.Description
		}
	}
	return string(f)
}

func quoteJoin(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

func orJoin(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// nextTierWithMore is the lowest tier above spec whose quota of f holds n.
func nextTierWithMore(spec TierSpec, f Feature, n int) (TierSpec, bool) {
	for _, t := range Tiers {
		if t.Rank > spec.Rank && t.Quota(f) >= n {
			return t, true
		}
	}
	return TierSpec{}, false
}

// nextTierWithCap is the lowest tier above spec whose cap of field holds v.
func nextTierWithCap(spec TierSpec, field string, v int64) (TierSpec, bool) {
	for _, t := range Tiers {
		if t.Rank <= spec.Rank {
			continue
		}
		limit := map[string]int64{FieldMaxUsers: t.MaxUsers, FieldMaxStorageGB: t.MaxStorageGB,
			FieldOmnichannelConversations: t.MaxOmnichannelConversationsMonth}[field]
		if limit == NoCap || v <= limit {
			return t, true
		}
	}
	return TierSpec{}, false
}
