package api

import (
	"strings"
	"testing"
)

// Lengths count characters, not bytes: a name may be in any script.
func TestLengthsCountCharacters(t *testing.T) {
	name := strings.Repeat("é", MaxNameLength) // 2 bytes each
	if fe := ValidateName("name", name); fe != nil {
		t.Errorf("%d characters refused: %v", MaxNameLength, fe)
	}
	if fe := ValidateName("name", name+"é"); fe == nil {
		t.Errorf("%d characters accepted", MaxNameLength+1)
	}
	if fe := ValidateDescription("description", "\xff\xfe"); fe == nil {
		t.Error("invalid UTF-8 accepted")
	}
}

// CIDR errors say what is wrong, not only what a valid block looks like.
func TestCIDRErrorsSayWhatIsWrong(t *testing.T) {
	for v, want := range map[string]string{
		"10.0.0.0/33":    "prefix length 33 exceeds 32 for IPv4",
		"2001:db8::/129": "prefix length 129 exceeds 128 for IPv6",
		"10.0.0.300/24":  "octet 300 exceeds 255",
		"10.0.0/24":      `an IPv4 address has 4 octets, "10.0.0" has 3`,
		"010.0.0.0/8":    `octet "010" has a leading zero (write 10)`,
		"10.0.0.0":       "the prefix length is missing (add /N)",
		"10.0.0.0/x":     `prefix length "x" is not a number from 0 to 32`,
		"10.0.0.1/24":    `"10.0.0.1/24" has host bits set for a /24 prefix; the canonical form is "10.0.0.0/24"`,
		"2001:db8::1/32": `the canonical form is "2001:db8::/32"`,
		"fe80::%eth0/64": "an IPv6 zone",
		"2001:db8::g/64": `"2001:db8::g" is not a valid IPv6 address`,
	} {
		fe := ValidateCIDR("cidr", v)
		if fe == nil || !strings.Contains(fe.Message, want) {
			t.Errorf("ValidateCIDR(%q) = %v; want a message containing %q", v, fe, want)
		}
	}
}

// A trailing dot is refused (never stored with the dot yet counted without
// it), and names under the platform's own domain are reserved.
func TestHostnameTrailingDotAndReservedNames(t *testing.T) {
	if fe := ValidateHostname("hostname", "chat.example.com."); fe == nil || !strings.Contains(fe.Message, `remove the trailing dot ("chat.example.com")`) {
		t.Errorf("trailing dot: %v", fe)
	}
	for _, v := range []string{"rocket.chat", "api.rocket.chat", "victim.rocket.chat", "a.b.rocket.chat"} {
		fe := ValidateHostname("hostname", v)
		if fe == nil || fe.Field != "hostname" || fe.Rule != RuleReserved || !strings.Contains(fe.Message, "is reserved") {
			t.Errorf("ValidateHostname(%q) = %v; want a reserved-name error on hostname", v, fe)
		}
	}
	for _, v := range []string{"notrocket.chat", "rocket.chat.example.com", "chat.example.com"} {
		if fe := ValidateHostname("hostname", v); fe != nil {
			t.Errorf("ValidateHostname(%q) = %v; want it accepted", v, fe)
		}
	}
}

// A rule set's violations name the rule by index; limits apply to the set.
func TestFirewallRuleSetValidate(t *testing.T) {
	ok := FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}
	bad := ok
	bad.CIDR, bad.Priority = "10.0.0.1/8", 1
	errs := FirewallRuleSetInput{Rules: []FirewallRuleInput{ok, bad}}.Validate()
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field+"/"+e.Rule)
	}
	if strings.Join(fields, ",") != "rules[1].cidr/canonical,rules[1].priority/unique" {
		t.Fatalf("%v", fields)
	}
	if errs := (FirewallRuleSetInput{}).Validate(); len(errs) != 1 || errs[0].Field != "rules" {
		t.Fatalf("no rules: %v", errs)
	}
	if errs := (FirewallRuleSetInput{Rules: []FirewallRuleInput{}}).Validate(); len(errs) != 0 {
		t.Fatalf("an empty set: %v", errs)
	}
	if errs := (FirewallRuleSetInput{Rules: make([]FirewallRuleInput, MaxFirewallRulesPageSize+1)}).Validate(); len(errs) != 1 || errs[0].Field != "rules" {
		t.Fatalf("too many rules: %d errors", len(errs))
	}
}
