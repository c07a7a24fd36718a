package api

import (
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Fuzz targets of the field validation shared by the provider (plan time)
// and the emulator (API): no input panics, and what a validator accepts has
// the property it promises. The seed corpora (testdata/fuzz/<Name>/) run as
// ordinary tests; `make fuzz` explores further.

func FuzzValidateCIDR(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "10.0.0.1/8", "0.0.0.0/0", "2001:db8::/32", "2001:db8::1/32", "::/0",
		"10.0.0.0/33", "10.0.0.0", "10.0.0.0/-1", "1.2.3.4/32", "::ffff:10.0.0.0/104", "fe80::%eth0/64", "", "/", "010.0.0.0/8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		fe := ValidateCIDR("cidr", v)
		if fe == nil {
			p, err := netip.ParsePrefix(v)
			if err != nil || p.Masked() != p {
				t.Fatalf("%q accepted but it is not a canonical prefix (%v)", v, err)
			}
			return
		}
		if fe.Field != "cidr" || fe.Message == "" {
			t.Fatalf("incomplete error %+v", fe)
		}
		switch fe.Rule {
		case "format":
		case "canonical":
			// The suggested canonical form is itself accepted.
			if len(fe.Allowed) != 1 || ValidateCIDR("cidr", fe.Allowed[0]) != nil {
				t.Fatalf("%q: suggestion %v is not valid", v, fe.Allowed)
			}
		default:
			t.Fatalf("%q: unexpected rule %q", v, fe.Rule)
		}
	})
}

func FuzzValidateHostname(f *testing.F) {
	for _, s := range []string{"chat.example.com", "chat.example.com.", "a.b", "Chat.Example.com", "https://chat.example.com",
		"chat.example.com:443", "chat.example.com/x", "localhost", "1.2.3.4", "-a.example.com", "a-.example.com",
		"xn--bcher-kva.example", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "com", "", ".", "..", "é.example.com",
		"rocket.chat", "api.rocket.chat", "victim.rocket.chat", "notrocket.chat"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		fe := ValidateHostname("hostname", v)
		if fe != nil {
			reserved := fe.Rule == RuleReserved && strings.Contains(fe.Message, "is reserved") &&
				(v == PlatformDomain || strings.HasSuffix(v, "."+PlatformDomain))
			if fe.Field != "hostname" || !reserved && (fe.Rule != "format" || !strings.Contains(fe.Message, "not a valid hostname")) {
				t.Fatalf("%q: incomplete error %+v", v, fe)
			}
			return
		}
		if len(v) > 253 || strings.ToLower(v) != v || strings.ContainsAny(v, ":/?# ") || strings.HasSuffix(v, ".") ||
			v == PlatformDomain || strings.HasSuffix(v, "."+PlatformDomain) {
			t.Fatalf("%q accepted", v)
		}
		labels := strings.Split(strings.TrimSuffix(v, "."), ".")
		if len(labels) < 2 {
			t.Fatalf("%q accepted with %d label(s)", v, len(labels))
		}
		for _, l := range labels {
			if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
				t.Fatalf("%q accepted with label %q", v, l)
			}
			for _, r := range l {
				if lower, digit := r >= 'a' && r <= 'z', r >= '0' && r <= '9'; !lower && !digit && r != '-' {
					t.Fatalf("%q accepted with character %q", v, r)
				}
			}
		}
	})
}

func FuzzValidatePortRange(f *testing.F) {
	for _, s := range []struct{ proto, v string }{
		{"tcp", "443"}, {"udp", "8000-8100"}, {"tcp", ""}, {"icmp", "22"}, {"any", ""}, {"tcp", "0"}, {"tcp", "65536"},
		{"tcp", "100-99"}, {"tcp", "+443"}, {"tcp", "0443"}, {"tcp", "1-"}, {"tcp", "-1"}, {"tcp", "1--2"},
		{"tcp", "99999999999999999999"}, {"udp", "1-65535"}, {"tcp", " 443"},
	} {
		f.Add(s.proto, s.v)
	}
	f.Fuzz(func(t *testing.T, protocol, v string) {
		fe := ValidatePortRange("port_range", protocol, v)
		if fe != nil {
			if fe.Field != "port_range" || fe.Message == "" || (fe.Rule != "format" && fe.Rule != catalog.RuleRange) {
				t.Fatalf("incomplete error %+v", fe)
			}
			return
		}
		if v == "" {
			return
		}
		if protocol == "icmp" || protocol == "any" {
			t.Fatalf("port range %q accepted for protocol %q", v, protocol)
		}
		lo, hi, isRange := strings.Cut(v, "-")
		if !isRange {
			hi = lo
		}
		from, err1 := strconv.Atoi(lo)
		to, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || from < 1 || to > 65535 || from > to ||
			strconv.Itoa(from) != lo || strconv.Itoa(to) != hi {
			t.Fatalf("%q accepted", v)
		}
	})
}

// FuzzValidators runs the remaining field checks and the input types'
// Validate methods on arbitrary strings: no panic, complete errors.
func FuzzValidators(f *testing.F) {
	f.Add("Acme Chat", "acme-chat", "allow", "tcp", int64(10))
	f.Add("", "A", "maybe", "sctp", int64(0))
	f.Add("\x00", "-x-", "deny", "any", int64(10001))
	f.Add(strings.Repeat("n", 65), strings.Repeat("s", 64), "", "", int64(-1))
	f.Fuzz(func(t *testing.T, a, b, c, d string, n int64) {
		var errs []FieldError
		errs = append(errs, WorkspaceInput{Name: a, Subdomain: b, PlanID: c}.Validate()...)
		errs = append(errs, DomainInput{Hostname: a}.Validate()...)
		errs = append(errs, FirewallRuleInput{CIDR: a, Action: c, Protocol: d, PortRange: b, Priority: n, Description: a}.Validate()...)
		errs = append(errs, StaticIPInput{Purpose: c, Description: b}.Validate()...)
		for _, e := range errs {
			if e.Field == "" || e.Rule == "" || e.Message == "" {
				t.Fatalf("incomplete error %+v", e)
			}
		}
		if fe := ValidateSubdomain("subdomain", b); fe == nil && (len(b) < 3 || len(b) > 63 || strings.ToLower(b) != b) {
			t.Fatalf("subdomain %q accepted", b)
		}
	})
}

// FuzzCheckPlan feeds the catalog's plan rules random values: no panic, every
// violation complete, and the same answer twice (a stable order).
func FuzzCheckPlan(f *testing.F) {
	f.Add("standard", "us-east", uint8(0), int64(0), int64(0), int64(0), int64(0), "", int64(0), uint8(0))
	f.Add("premium", "eu-west", uint8(0b101010), int64(600), int64(3000), int64(250), int64(1), "7.10", int64(30), uint8(0xff))
	f.Add("dedicated", "sa-east", uint8(0xff), int64(-1), int64(-5), int64(0), int64(1<<62), "6.0", int64(-1), uint8(0xff))
	f.Add("gold", "mars", uint8(1), int64(1<<63-1), int64(-1<<63), int64(0), int64(0), "\xff", int64(1<<63-1), uint8(0x55))
	f.Add("", "", uint8(0), int64(0), int64(0), int64(0), int64(0), "", int64(0), uint8(0))
	f.Fuzz(func(t *testing.T, tier, region string, flags uint8, rate, users, storage, omni int64, freeze string, days int64, set uint8) {
		b := func(i uint) *bool { v := flags&(1<<i) != 0; return &v }
		n := func(i uint, v int64) *int64 {
			if set&(1<<i) == 0 {
				return nil
			}
			return &v
		}
		spec := catalog.PlanSpec{Tier: catalog.Tier(tier), Region: region,
			VPN: b(0), IPIsolation: b(1), AutomatedScaling: b(2), RoutingRules: b(3), MatrixAddon: b(4), AsteriskAddon: b(5),
			APIRateLimit: n(0, rate), MaxUsers: n(1, users), MaxStorageGB: n(2, storage), OmnichannelConversations: n(3, omni),
			MajorUpgradePostponementDays: n(4, days)}
		if set&(1<<5) != 0 {
			spec.VersionFreeze = &freeze
		}
		first := catalog.CheckPlan(spec)
		for _, v := range first {
			if v.Field == "" || v.Rule == "" || v.Message == "" {
				t.Fatalf("incomplete violation %+v", v)
			}
		}
		if again := catalog.CheckPlan(spec); !reflect.DeepEqual(first, again) {
			t.Fatalf("unstable: %v then %v", first, again)
		}
		// The wire input gives the same answer as the spec it converts to.
		in := PlanInput{Tier: tier, Region: region, APIRateLimit: spec.APIRateLimit, MaxUsers: spec.MaxUsers,
			MaxStorageGB: spec.MaxStorageGB, OmnichannelConversations: spec.OmnichannelConversations,
			VersionFreeze: spec.VersionFreeze, MajorUpgradePostponementDays: spec.MajorUpgradePostponementDays,
			VPN: *spec.VPN, IPIsolation: *spec.IPIsolation, AutomatedScaling: *spec.AutomatedScaling,
			RoutingRules: *spec.RoutingRules, MatrixAddon: *spec.MatrixAddon, AsteriskAddon: *spec.AsteriskAddon}
		if fromInput := catalog.CheckPlan(in.Spec()); !reflect.DeepEqual(first, fromInput) {
			t.Fatalf("PlanInput.Spec disagrees: %v vs %v", first, fromInput)
		}
		// CheckTierChange never panics and never refuses staying on a tier.
		if v := catalog.CheckTierChange(catalog.Tier(tier), catalog.Tier(tier)); v != nil {
			t.Fatalf("staying on %q refused: %+v", tier, v)
		}
		_ = catalog.CheckTierChange(catalog.Tier(tier), catalog.Tier(region))
	})
}
