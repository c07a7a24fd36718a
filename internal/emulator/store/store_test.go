package store

import (
	"path/filepath"
	"testing"
)

func testStoreContract(t *testing.T, s Store) {
	t.Helper()
	if _, ok, err := s.Get(KindPlans, "a"); ok || err != nil {
		t.Fatalf("empty Get: %v %v", ok, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Put(KindPlans, "b", []byte(`{"id":"b"}`)))
	must(s.Put(KindPlans, "a", []byte(`{"id":"a"}`)))
	v, ok, err := s.Get(KindPlans, "a")
	if !ok || err != nil || string(v) != `{"id":"a"}` {
		t.Fatalf("Get: %s %v %v", v, ok, err)
	}
	list, err := s.List(KindPlans)
	if err != nil || len(list) != 2 || string(list[0]) != `{"id":"a"}` {
		t.Fatalf("List: %q %v", list, err)
	}
	must(s.Apply([]Op{{Kind: KindPlans, ID: "a"}, {Kind: KindWorkspaces, ID: "w", Value: []byte(`{}`)}}))
	if _, ok, _ := s.Get(KindPlans, "a"); ok {
		t.Fatal("Apply did not delete")
	}
	if _, ok, _ := s.Get(KindWorkspaces, "w"); !ok {
		t.Fatal("Apply did not put")
	}
	if err := s.Apply([]Op{{Kind: KindPlans, ID: "z", Value: []byte(`{}`)}, {Kind: "nope", ID: "x", Value: []byte(`{}`)}}); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, ok, _ := s.Get(KindPlans, "z"); ok {
		t.Fatal("failed Apply was partly applied")
	}
	must(s.Delete(KindPlans, "b"))
	must(s.Delete(KindPlans, "absent"))
	must(s.Reset())
	if l, _ := s.List(KindWorkspaces); len(l) != 0 {
		t.Fatal("Reset left data")
	}
	if _, _, err := s.Get("nope", "x"); err == nil {
		t.Fatal("unknown kind Get")
	}
	// ListAll reads several kinds at once, in key order.
	must(s.Apply([]Op{{Kind: KindPlans, ID: "p2", Value: []byte(`{"id":"p2"}`)}, {Kind: KindPlans, ID: "p1", Value: []byte(`{"id":"p1"}`)},
		{Kind: KindWorkspaces, ID: "w1", Value: []byte(`{"id":"w1"}`)}, {Kind: KindMeta, ID: "m", Value: []byte(`1`)}}))
	all, err := s.ListAll([]string{KindPlans, KindWorkspaces, KindDomains})
	if err != nil || len(all[KindPlans]) != 2 || string(all[KindPlans][0]) != `{"id":"p1"}` || len(all[KindWorkspaces]) != 1 || len(all[KindDomains]) != 0 {
		t.Fatalf("ListAll: %q %v", all, err)
	}
	if _, err := s.ListAll([]string{"nope"}); err == nil {
		t.Fatal("ListAll of an unknown kind")
	}
	// Replace empties every data kind, keeps the metadata, writes its ops;
	// a bad op changes nothing.
	if err := s.Replace([]Op{{Kind: "nope", ID: "x", Value: []byte(`{}`)}}); err == nil {
		t.Fatal("Replace with an unknown kind accepted")
	}
	if l, _ := s.List(KindPlans); len(l) != 2 {
		t.Fatal("a failed Replace changed the store")
	}
	must(s.Replace([]Op{{Kind: KindDomains, ID: "d1", Value: []byte(`{"id":"d1"}`)}}))
	all, _ = s.ListAll([]string{KindPlans, KindWorkspaces, KindDomains, KindMeta})
	if len(all[KindPlans]) != 0 || len(all[KindWorkspaces]) != 0 || len(all[KindDomains]) != 1 || len(all[KindMeta]) != 1 {
		t.Fatalf("after Replace: %q", all)
	}
}

func TestMemoryStore(t *testing.T) { testStoreContract(t, NewMemoryStore()) }

func TestBoltStore(t *testing.T) {
	s, err := OpenBoltStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testStoreContract(t, s)
}
