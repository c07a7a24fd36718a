package catalog

import "testing"

func TestIPPoolShare(t *testing.T) {
	prem, _ := Lookup(Premium)
	ded, _ := Lookup(Dedicated)
	cases := []struct {
		kind StaticIPKind
		size int
		want int
	}{
		{StaticIPShared, 254, 31},                // the emulator's shared /24: an eighth
		{StaticIPDedicated, 508, 63},             // two /24s
		{StaticIPShared, 16, prem.StaticIPQuota}, // small pool: one workspace's quota
		{StaticIPDedicated, 64, ded.StaticIPQuota},
		{StaticIPShared, 2, 2}, // never more than the pool
	}
	for _, c := range cases {
		if got := IPPoolShare(c.kind, c.size); got != c.want {
			t.Errorf("IPPoolShare(%s, %d) = %d, want %d", c.kind, c.size, got, c.want)
		}
	}
	if v := CheckIPPoolShare(StaticIPShared, 254, 30); v != nil {
		t.Fatalf("below the share: %v", v)
	}
	v := CheckIPPoolShare(StaticIPShared, 254, 31)
	if v == nil || v.Rule != RuleIPPoolShare || v.Field != "address" || len(v.Allowed) != 1 || v.Allowed[0] != "31" {
		t.Fatalf("at the share: %+v", v)
	}
	// A tenant can always hold more than one workspace's quota in a real pool,
	// and never the whole pool.
	if s := IPPoolShare(StaticIPShared, 254); s < prem.StaticIPQuota || s >= 254/2 {
		t.Fatalf("share %d", s)
	}
}
