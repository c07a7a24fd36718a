package api

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Allowed values of enumerated fields.
var (
	FirewallActions   = []string{"allow", "deny"}
	FirewallProtocols = []string{DefaultFirewallProtocol, "udp", "icmp", "any"}
	StaticIPPurposes  = []string{"outbound", "load_balancer"}
)

// DefaultFirewallProtocol is a firewall rule's protocol when none is given.
const DefaultFirewallProtocol = "tcp"

// Limits of free-form fields.
const (
	MaxNameLength        = 64
	MaxDescriptionLength = 255
	MinPriority          = 1
	MaxPriority          = 10000
)

var subdomainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$`)
var labelRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Each Validate* function returns nil or the violation of its field; the
// provider's validators call the same functions, so plan and API agree.

// ValidateName checks a workspace name.
func ValidateName(field, v string) *FieldError {
	if strings.TrimSpace(v) == "" || !printable(v, MaxNameLength) {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("must be 1 to %d printable characters", MaxNameLength)}
	}
	return nil
}

// ValidateSubdomain checks a workspace subdomain (one RFC 1123 label).
func ValidateSubdomain(field, v string) *FieldError {
	if !subdomainRE.MatchString(v) {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("%q is not a valid subdomain: use 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit", v)}
	}
	return nil
}

// PlatformDomain is the platform's own domain: workspaces are reached at
// <subdomain>.PlatformDomain, and no custom domain may sit at or under it.
const PlatformDomain = "rocket.chat"

// RuleReserved marks a value the platform keeps for itself.
const RuleReserved = "reserved"

// ValidateHostname checks a custom domain: a fully qualified RFC 1123 host
// name, without scheme, path, port or trailing dot, outside PlatformDomain.
// A trailing dot is refused rather than normalised, so the name Terraform
// plans is the name the API stores (a plan cannot rewrite a configured value).
func ValidateHostname(field, v string) *FieldError {
	bad := func(why string) *FieldError {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("%q is not a valid hostname: %s (expected a name like chat.example.com)", v, why)}
	}
	switch {
	case v == "":
		return bad("it is empty")
	case strings.Contains(v, "://"):
		return bad("remove the scheme")
	case strings.ContainsAny(v, "/?#"):
		return bad("remove the path")
	case strings.Contains(v, ":"):
		return bad("remove the port")
	case len(v) > 253:
		return bad("longer than 253 characters")
	case strings.ToLower(v) != v:
		return bad("use lowercase letters")
	case strings.HasSuffix(v, ".") && v != ".":
		return bad(fmt.Sprintf("remove the trailing dot (%q)", strings.TrimSuffix(v, ".")))
	}
	labels := strings.Split(v, ".")
	if len(labels) < 2 {
		return bad("it needs at least two labels")
	}
	for _, l := range labels {
		if len(l) > 63 {
			return bad(fmt.Sprintf("label %q is longer than 63 characters", l))
		}
		if !labelRE.MatchString(l) {
			return bad(fmt.Sprintf("label %q may hold only letters, digits and inner hyphens", l))
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return bad("the top-level label cannot be numeric")
	}
	if v == PlatformDomain || strings.HasSuffix(v, "."+PlatformDomain) {
		return &FieldError{Field: field, Rule: RuleReserved,
			Message: fmt.Sprintf("%q is reserved: %s and every name under it belong to the platform (workspaces are reached at <subdomain>.%s); use a domain you own",
				v, PlatformDomain, PlatformDomain)}
	}
	return nil
}

// ValidateCIDR checks an IPv4 or IPv6 prefix in canonical form: a prefix with
// host bits set is an error that names the canonical form, never silently
// normalised. Other errors say what is wrong (prefix length, octet, ...).
func ValidateCIDR(field, v string) *FieldError {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("%q is not a valid CIDR block: %s (expected e.g. 203.0.113.0/24 or 2001:db8::/32)", v, cidrProblem(v, err))}
	}
	if p.Masked() != p {
		return &FieldError{Field: field, Rule: "canonical", Allowed: []string{p.Masked().String()},
			Message: fmt.Sprintf("%q has host bits set for a /%d prefix; the canonical form is %q", v, p.Bits(), p.Masked().String())}
	}
	return nil
}

// cidrProblem explains why v is not a prefix; parseErr (from netip) is the
// fallback for what it does not recognise.
func cidrProblem(v string, parseErr error) string {
	addr, bits, ok := strings.Cut(v, "/")
	if v == "" {
		return "it is empty"
	}
	if !ok {
		return "the prefix length is missing (add /N)"
	}
	ipv6 := strings.Contains(addr, ":")
	family, maxBits := "IPv4", 32
	if ipv6 {
		family, maxBits = "IPv6", 128
	}
	if !ipv6 {
		if why := ipv4Problem(addr); why != "" {
			return why
		}
	} else if strings.Contains(addr, "%") {
		return "an IPv6 zone (%...) is not allowed in a prefix"
	} else if _, err := netip.ParseAddr(addr); err != nil {
		return fmt.Sprintf("%q is not a valid IPv6 address", addr)
	}
	n, err := strconv.Atoi(bits)
	switch {
	case bits == "":
		return "the prefix length after / is empty"
	case err != nil || bits != strconv.Itoa(n) || n < 0:
		return fmt.Sprintf("prefix length %q is not a number from 0 to %d", bits, maxBits)
	case n > maxBits:
		return fmt.Sprintf("prefix length %d exceeds %d for %s", n, maxBits, family)
	}
	msg := parseErr.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:] // drop netip's echo of the input
	}
	return msg
}

// ipv4Problem explains what is wrong with a dotted-quad address, or "".
func ipv4Problem(addr string) string {
	if addr == "" {
		return "the address before / is empty"
	}
	octets := strings.Split(addr, ".")
	if len(octets) != 4 {
		return fmt.Sprintf("an IPv4 address has 4 octets, %q has %d", addr, len(octets))
	}
	for _, o := range octets {
		n, err := strconv.Atoi(o)
		switch {
		case o == "":
			return fmt.Sprintf("%q has an empty octet", addr)
		case err != nil || o != strconv.Itoa(n) && (len(o) < 2 || o[0] != '0' || strings.Trim(o, "0123456789") != ""):
			return fmt.Sprintf("octet %q is not a decimal number", o)
		case len(o) > 1 && o[0] == '0':
			return fmt.Sprintf("octet %q has a leading zero (write %d)", o, n)
		case n > 255:
			return fmt.Sprintf("octet %d exceeds 255", n)
		}
	}
	return ""
}

// ValidateOneOf checks an enumerated field.
func ValidateOneOf(field, v string, allowed []string) *FieldError {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = strconv.Quote(a)
	}
	return &FieldError{Field: field, Rule: catalog.RuleOneOf, Allowed: allowed,
		Message: fmt.Sprintf("%q is not allowed; allowed values: %s", v, strings.Join(q, ", "))}
}

// ValidatePortRange checks "443" or "8000-8100" (1-65535). It must be empty
// for the icmp and any protocols.
func ValidatePortRange(field, protocol, v string) *FieldError {
	if v == "" {
		return nil
	}
	if protocol == "icmp" || protocol == "any" {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("a port range needs protocol \"tcp\" or \"udp\", not %q", protocol)}
	}
	bad := &FieldError{Field: field, Rule: catalog.RuleRange, Allowed: []string{"1-65535"},
		Message: fmt.Sprintf("%q is not a port or port range: expected N or N-M with 1 <= N <= M <= 65535", v)}
	lo, hi, isRange := strings.Cut(v, "-")
	from, err := strconv.Atoi(lo)
	if err != nil || lo != strconv.Itoa(from) {
		return bad
	}
	to := from
	if isRange {
		if to, err = strconv.Atoi(hi); err != nil || hi != strconv.Itoa(to) {
			return bad
		}
	}
	if from < 1 || to > 65535 || from > to {
		return bad
	}
	return nil
}

// ValidateRange checks an integer field.
func ValidateRange(field string, v, min, max int64) *FieldError {
	if v < min || v > max {
		return &FieldError{Field: field, Rule: catalog.RuleRange, Allowed: []string{fmt.Sprintf("%d-%d", min, max)},
			Message: fmt.Sprintf("must be between %d and %d, got %d", min, max, v)}
	}
	return nil
}

// ValidateDescription checks a free-text description.
func ValidateDescription(field, v string) *FieldError {
	if !printable(v, MaxDescriptionLength) {
		return &FieldError{Field: field, Rule: "format",
			Message: fmt.Sprintf("must be at most %d printable characters", MaxDescriptionLength)}
	}
	return nil
}

// printable reports whether v is valid UTF-8 of at most max characters
// (not bytes: names may be in any script) with no control characters.
func printable(v string, max int) bool {
	return utf8.ValidString(v) && utf8.RuneCountInString(v) <= max && strings.IndexFunc(v, unicode.IsControl) < 0
}

// Collect gathers the violations that occurred (nil means none).
func Collect(errs ...*FieldError) []FieldError {
	var out []FieldError
	for _, e := range errs {
		if e != nil {
			out = append(out, *e)
		}
	}
	return out
}

// Validate returns the input's violations of tier-independent rules.
func (in WorkspaceInput) Validate() []FieldError {
	var planID *FieldError
	if in.PlanID == "" {
		planID = &FieldError{Field: "plan_id", Rule: "required", Message: "a workspace is provisioned on a plan: set plan_id"}
	}
	return Collect(ValidateName("name", in.Name), ValidateSubdomain("subdomain", in.Subdomain), planID)
}

// Validate returns the input's violations.
func (in DomainInput) Validate() []FieldError {
	return Collect(ValidateHostname("hostname", in.Hostname))
}

// Validate returns the input's violations.
func (in FirewallRuleInput) Validate() []FieldError {
	return Collect(
		ValidateCIDR("cidr", in.CIDR),
		ValidateOneOf("action", in.Action, FirewallActions),
		ValidateOneOf("protocol", in.Protocol, FirewallProtocols),
		ValidatePortRange("port_range", in.Protocol, in.PortRange),
		ValidateRange("priority", in.Priority, MinPriority, MaxPriority),
		ValidateDescription("description", in.Description),
	)
}

// Validate returns the input's violations.
func (in StaticIPInput) Validate() []FieldError {
	return Collect(ValidateOneOf("purpose", in.Purpose, StaticIPPurposes), ValidateDescription("description", in.Description))
}

// Validate returns every violation of a rule set at once: each rule's own
// (named rules[i].<field>), a priority used twice, and too many rules for
// any tier. The tier's gate and quota are the caller's (they need the
// workspace).
func (in FirewallRuleSetInput) Validate() []FieldError {
	if in.Rules == nil {
		return []FieldError{{Field: "rules", Rule: "required",
			Message: "rules is required: the workspace's whole rule set (an empty list deletes every rule)"}}
	}
	if n := len(in.Rules); n > MaxFirewallRulesPageSize {
		return []FieldError{{Field: "rules", Rule: catalog.RuleRange, Allowed: []string{"0-" + strconv.Itoa(MaxFirewallRulesPageSize)},
			Message: fmt.Sprintf("%d rules; a workspace holds at most %d on any tier", n, MaxFirewallRulesPageSize)}}
	}
	var out []FieldError
	first := make(map[int64]int, len(in.Rules))
	for i, r := range in.Rules {
		prefix := "rules[" + strconv.Itoa(i) + "]."
		for _, e := range r.Validate() {
			e.Field = prefix + e.Field
			out = append(out, e)
		}
		if j, dup := first[r.Priority]; dup {
			out = append(out, FieldError{Field: prefix + "priority", Rule: "unique",
				Message: fmt.Sprintf("priority %d is also the priority of rules[%d]; priorities are unique per workspace", r.Priority, j)})
		} else {
			first[r.Priority] = i
		}
	}
	return out
}
