package store

import (
	"slices"
	"testing"
)

// The groups the console counts and lists by: plans by tier, unverified
// domains, and the organizations holding objects. They follow every write
// (a tier change, a verification, a delete) and a rebuild finds the same.
func TestIndexTierUnverifiedAndOrgs(t *testing.T) {
	s, err := NewIndexed(NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Apply([]Op{
		{Kind: KindPlans, ID: "p1", Value: []byte(`{"id":"p1","org":"acme","tier":"standard","created_at":"2030-01-01T00:00:00Z"}`)},
		{Kind: KindPlans, ID: "p2", Value: []byte(`{"id":"p2","org":"acme","tier":"dedicated","created_at":"2030-01-01T00:00:01Z"}`)},
		{Kind: KindPlans, ID: "p3", Value: []byte(`{"id":"p3","org":"globex","tier":"dedicated","created_at":"2030-01-01T00:00:02Z"}`)},
		{Kind: KindDomains, ID: "d1", Value: []byte(`{"id":"d1","org":"acme","workspace_id":"w","hostname":"a.example","created_at":"2030-01-01T00:00:00Z"}`)},
		{Kind: KindDomains, ID: "d2", Value: []byte(`{"id":"d2","org":"acme","workspace_id":"w","hostname":"b.example","verified":true,"created_at":"2030-01-01T00:00:01Z"}`)},
		{Kind: KindIdempotency, ID: IdempotencyID("initech", "k"), Value: []byte(`{"org":"initech","key":"k","created_at":"2030-01-01T00:00:00Z"}`)},
	}))
	check := func(when string) {
		t.Helper()
		for group, want := range map[string]int{
			TierGroup("standard", "acme"): 1, TierGroup("dedicated", "acme"): 1, TierGroup("dedicated", "globex"): 1,
			DomainsUnverified: 1, UnverifiedGroup("acme"): 1,
		} {
			if got := s.Count(group); got != want {
				t.Errorf("%s: %s holds %d, want %d", when, group, got, want)
			}
		}
		// An idempotency record alone does not make an organization.
		if got := s.Orgs(); !slices.Equal(got, []string{"acme", "globex"}) {
			t.Errorf("%s: Orgs() = %v", when, got)
		}
	}
	check("after the writes")
	rebuilt, err := NewIndexed(s.Store)
	must(err)
	must(IndexDiff(rebuilt, s))

	// An upgrade moves the plan to its new tier; a verification takes the
	// domain out of the unverified groups; deleting globex's last object
	// drops the organization.
	must(s.Apply([]Op{
		{Kind: KindPlans, ID: "p1", Value: []byte(`{"id":"p1","org":"acme","tier":"premium","created_at":"2030-01-01T00:00:00Z"}`)},
		{Kind: KindDomains, ID: "d1", Value: []byte(`{"id":"d1","org":"acme","workspace_id":"w","hostname":"a.example","verified":true,"created_at":"2030-01-01T00:00:00Z"}`)},
		{Kind: KindPlans, ID: "p3"},
	}))
	if s.Count(TierGroup("standard", "acme")) != 0 || s.Count(TierGroup("premium", "acme")) != 1 {
		t.Error("the upgraded plan did not move tier group")
	}
	if s.Count(DomainsUnverified) != 0 || s.Count(UnverifiedGroup("acme")) != 0 {
		t.Error("the verified domain stayed in the unverified groups")
	}
	if got := s.Orgs(); !slices.Equal(got, []string{"acme"}) {
		t.Errorf("Orgs() after globex's last delete = %v", got)
	}
	rebuilt, err = NewIndexed(s.Store)
	must(err)
	must(IndexDiff(rebuilt, s))
	must(s.Reset())
	if len(s.Orgs()) != 0 {
		t.Error("Reset kept organizations")
	}
}
