package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// The set's listing asks for a whole set per page and needs a strong ETag,
// the same on every page; writes send If-Match and read the new ETag.
func TestFirewallRuleSetVersions(t *testing.T) {
	var etags []string
	var ifMatch, pageSize string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ifMatch, pageSize = r.Header.Get(api.IfMatchHeader), r.URL.Query().Get(api.QueryPageSize)
		etag := etags[0]
		if len(etags) > 1 {
			etags = etags[1:]
		}
		w.Header().Set(api.ETagHeader, etag)
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodGet:
			list := api.List[api.FirewallRule]{Items: []api.FirewallRule{{ID: "fw-2", WorkspaceID: "ws-1"}}}
			if r.URL.Query().Get(api.QueryCursor) == "" {
				list.Items[0].ID, list.NextCursor = "fw-1", "c2"
			}
			_ = json.NewEncoder(w).Encode(list)
		case http.MethodPut:
			_ = json.NewEncoder(w).Encode(api.FirewallRuleSet{Items: []api.FirewallRule{}, Version: strings.Trim(etag, `"`), Exclusive: true})
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, Token: "set-test-token", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	etags = []string{`"7"`, `"7"`}
	set, err := c.ListFirewallRuleSet(ctx, "ws-1")
	if err != nil || set.Version != "7" || len(set.Items) != 2 || pageSize != "1000" {
		t.Fatalf("%+v %v (page_size %s)", set, err, pageSize)
	}
	etags = []string{`"7"`, `"8"`}
	if _, err := c.ListFirewallRuleSet(ctx, "ws-1"); err == nil || !strings.Contains(err.Error(), "changed while they were listed") {
		t.Fatalf("pages of two versions: %v", err)
	}
	for _, bad := range []string{"", `W/"7"`, `7`, `""`} {
		etags = []string{bad}
		if _, err := c.ListFirewallRuleSet(ctx, "ws-1"); err == nil || !strings.Contains(err.Error(), "no valid ETag") {
			t.Errorf("ETag %q: %v", bad, err)
		}
	}

	etags = []string{`"9"`}
	if set, err := c.ReplaceFirewallRules(ctx, "ws-1", "8", nil); err != nil || set.Version != "9" || ifMatch != `"8"` {
		t.Fatalf("%+v %v (If-Match %s)", set, err, ifMatch)
	}
	etags = []string{`"10"`}
	if v, err := c.ReleaseFirewallRules(ctx, "ws-1", "9"); err != nil || v != "10" || ifMatch != `"9"` {
		t.Fatalf("%s %v (If-Match %s)", v, err, ifMatch)
	}
	if _, err := c.ReleaseFirewallRules(ctx, "ws-1", ""); err != nil || ifMatch != "" {
		t.Fatalf("no version: If-Match %q, %v", ifMatch, err)
	}
}

// A whole rule set may exceed the API's usual body limit, up to its own.
func TestReplaceFirewallRulesBodyLimit(t *testing.T) {
	c, err := New(Config{Endpoint: "http://127.0.0.1:1", Token: "set-test-token", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	rules := make([]api.FirewallRuleInput, 20000)
	for i := range rules {
		rules[i].Description = strings.Repeat("x", 200)
	}
	if _, err := c.ReplaceFirewallRules(context.Background(), "ws-1", "", rules); err == nil || !strings.Contains(err.Error(), "exceeds the API limit of 2097152") {
		t.Fatalf("%v", err)
	}
}
