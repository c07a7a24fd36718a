package console

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSessionsExpireAndStayBounded(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newSessions(func() time.Time { return now })
	req := func(id string) *http.Request {
		r := httptest.NewRequest("GET", "/console/", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: id})
		return r
	}
	id, sess := s.create()
	if got := s.get(req(id)); got != sess {
		t.Fatal("a new session is not found")
	}
	other := id[:63] + "0"
	if id[63] == '0' {
		other = id[:63] + "1"
	}
	if s.get(req(other)) != nil || s.get(req("")) != nil {
		t.Fatal("a wrong session ID is accepted")
	}
	now = now.Add(SessionTTL)
	if s.get(req(id)) != nil {
		t.Fatal("an expired session still works")
	}
	if s.count() != 0 {
		t.Fatal("the expired session is still held")
	}
	// The table never holds more than MaxSessions; the oldest go first.
	var ids []string
	for i := range MaxSessions + 5 {
		now = now.Add(time.Second)
		id, _ := s.create()
		ids = append(ids, id)
		if n := s.count(); n > MaxSessions {
			t.Fatalf("after %d logins the table holds %d sessions", i+1, n)
		}
	}
	for i, id := range ids {
		if live := s.get(req(id)) != nil; live != (i >= 5) {
			t.Errorf("session %d live=%v", i, live)
		}
	}
	if !equal("abc", "abc") || equal("abc", "abd") || equal("", "") {
		t.Fatal("secret comparison")
	}
}
