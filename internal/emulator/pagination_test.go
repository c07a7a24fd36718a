package emulator

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// pageThrough follows next_cursor from the first page and returns the IDs
// seen, page by page; between pages it calls between(page number).
func pageThrough(h *harness, tok, route string, size int, between func(int)) [][]string {
	h.t.Helper()
	var pages [][]string
	cursor := ""
	for i := 0; i < 1000; i++ { // bounded
		u := route + "?page_size=" + strconv.Itoa(size)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		var l api.List[struct {
			ID string `json:"id"`
		}]
		h.must(200, tok, "GET", u, nil, &l)
		var ids []string
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
		pages = append(pages, ids)
		if l.NextCursor == "" {
			return pages
		}
		if len(l.Items) == 0 {
			h.t.Fatalf("empty page with a next cursor")
		}
		cursor = l.NextCursor
		if between != nil {
			between(len(pages))
		}
	}
	h.t.Fatal("pagination did not end")
	return nil
}

func TestListPagesInCreationOrder(t *testing.T) {
	h := newHarness(t)
	var want []string
	for range 7 {
		want = append(want, h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}).ID)
		h.clock.Advance(time.Second)
	}
	pages := pageThrough(h, tokA, api.RoutePlans, 3, nil)
	if len(pages) != 3 || len(pages[0]) != 3 || len(pages[1]) != 3 || len(pages[2]) != 1 {
		t.Fatalf("pages %v", pages)
	}
	var got []string
	for _, p := range pages {
		got = append(got, p...)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	// Default page size, and an exact last page has no cursor.
	for range api.DefaultPageSize - 7 {
		h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	}
	var l api.List[api.Plan]
	h.must(200, tokA, "GET", api.RoutePlans, nil, &l)
	if len(l.Items) != api.DefaultPageSize || l.NextCursor != "" {
		t.Fatalf("%d items, cursor %q", len(l.Items), l.NextCursor)
	}
	h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	h.must(200, tokA, "GET", api.RoutePlans, nil, &l)
	if len(l.Items) != api.DefaultPageSize || l.NextCursor == "" {
		t.Fatalf("%d items, cursor %q", len(l.Items), l.NextCursor)
	}
}

// Objects created and deleted between pages: every object that lived
// through the whole listing is seen exactly once, none twice.
func TestListPagesStableUnderChanges(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "paging")
	route := path(api.RouteFirewallRules, ws.ID)
	var ids []string
	for i := range 10 {
		var r api.FirewallRule
		h.must(201, tokA, "POST", route, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: int64(i + 1)}, &r)
		ids = append(ids, r.ID)
		h.clock.Advance(time.Millisecond)
	}
	deleted := map[string]bool{}
	var created []string
	pages := pageThrough(h, tokA, route, 3, func(page int) {
		// After page 1: delete its last item and the next unseen one; after
		// every page: create a rule.
		if page == 1 {
			for _, id := range []string{ids[2], ids[3]} {
				h.must(204, tokA, "DELETE", path(api.RouteFirewallRule, ws.ID, id), nil, nil)
				deleted[id] = true
			}
		}
		var r api.FirewallRule
		h.must(201, tokA, "POST", route, api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "deny", Protocol: "tcp", Priority: int64(100 + page)}, &r)
		created = append(created, r.ID)
		h.clock.Advance(time.Millisecond)
	})
	seen := map[string]int{}
	for _, p := range pages {
		for _, id := range p {
			seen[id]++
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s seen %d times: %v", id, n, pages)
		}
	}
	for _, id := range ids {
		if !deleted[id] && seen[id] != 1 {
			t.Fatalf("%s, alive throughout, missed: %v", id, pages)
		}
	}
	if seen[ids[3]] != 0 {
		t.Fatalf("deleted before its page, yet listed")
	}
	// Created after the earlier pages were read, hence after them in order:
	// each newly created rule shows up on a later page.
	for _, id := range created[:len(created)-1] {
		if seen[id] != 1 {
			t.Fatalf("rule %s created between pages not listed: %v", id, pages)
		}
	}
}

func TestListCursorBelongsToItsList(t *testing.T) {
	h := newHarness(t)
	for range 3 {
		h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
		h.plan(tokB, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	}
	var l api.List[api.Plan]
	h.must(200, tokA, "GET", api.RoutePlans+"?page_size=1", nil, &l)
	c := url.QueryEscape(l.NextCursor)
	for _, other := range []struct{ tok, route string }{
		{tokB, api.RoutePlans},      // another organization's list
		{tokA, api.RouteWorkspaces}, // another kind
	} {
		p := problem(t, h.do(other.tok, "GET", other.route+"?cursor="+c, nil), 400)
		if !hasFieldError(p, api.QueryCursor, "format") {
			t.Fatalf("%s with A's plan cursor: %+v", other.route, p)
		}
	}
	_, ws1 := h.tierWorkspace(tokA, catalog.Dedicated, "cur-one")
	_, ws2 := h.tierWorkspace(tokA, catalog.Dedicated, "cur-two")
	for i := range 2 {
		h.must(201, tokA, "POST", path(api.RouteDomains, ws1.ID), api.DomainInput{Hostname: "d" + strconv.Itoa(i) + ".cur.example"}, nil)
	}
	var dl api.List[api.Domain]
	h.must(200, tokA, "GET", path(api.RouteDomains, ws1.ID)+"?page_size=1", nil, &dl)
	if dl.NextCursor == "" {
		t.Fatal("no cursor")
	}
	problem(t, h.do(tokA, "GET", path(api.RouteDomains, ws2.ID)+"?cursor="+url.QueryEscape(dl.NextCursor), nil), 400)
	next := dl.NextCursor
	dl = api.List[api.Domain]{}
	h.must(200, tokA, "GET", path(api.RouteDomains, ws1.ID)+"?cursor="+url.QueryEscape(next), nil, &dl)
	if len(dl.Items) != 1 || dl.NextCursor != "" {
		t.Fatalf("second page %+v", dl)
	}
	for _, bad := range []string{"page_size=-1", "page_size=1.5", "page_size=", "page_size=1&page_size=2", "cursor=" + url.QueryEscape("Yz==")} {
		p := problem(t, h.do(tokA, "GET", api.RoutePlans+"?"+bad, nil), 400)
		if len(p.Errors) != 1 || (p.Errors[0].Field != api.QueryPageSize && p.Errors[0].Field != api.QueryCursor) {
			t.Fatalf("%s: %+v", bad, p)
		}
	}
}
