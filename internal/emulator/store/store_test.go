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
