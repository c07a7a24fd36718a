package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// pagedServer serves n workspaces in pages of size per page, with opaque
// cursors, and records the query of every request.
type pagedServer struct {
	mu      sync.Mutex
	queries []map[string]string
	// next overrides the next_cursor of the page at the given cursor.
	next map[string]string
}

func (p *pagedServer) handler(t *testing.T, n, size int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p.mu.Lock()
		p.queries = append(p.queries, map[string]string{"page_size": q.Get(api.QueryPageSize), "cursor": q.Get(api.QueryCursor)})
		p.mu.Unlock()
		start := 0
		if c := q.Get(api.QueryCursor); c != "" {
			var err error
			if start, err = strconv.Atoi(c[len("cur-"):]); err != nil {
				t.Errorf("bad cursor %q", c)
			}
		}
		out := api.List[api.Workspace]{Items: []api.Workspace{}}
		for i := start; i < min(start+size, n); i++ {
			out.Items = append(out.Items, api.Workspace{ID: fmt.Sprintf("ws-%03d", i)})
		}
		if start+size < n {
			out.NextCursor = fmt.Sprintf("cur-%d", start+size)
		}
		if over, ok := p.next[q.Get(api.QueryCursor)]; ok {
			out.NextCursor = over
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func TestListFollowsEveryPage(t *testing.T) {
	p := &pagedServer{}
	ts := httptest.NewServer(p.handler(t, 7, 3))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)

	got, err := c.ListWorkspaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 || got[0].ID != "ws-000" || got[6].ID != "ws-006" {
		t.Fatalf("got %d workspaces: %v", len(got), got)
	}
	// Three pages: the first without a cursor, then each next_cursor passed back.
	want := []map[string]string{
		{"page_size": "500", "cursor": ""},
		{"page_size": "500", "cursor": "cur-3"},
		{"page_size": "500", "cursor": "cur-6"},
	}
	if fmt.Sprint(p.queries) != fmt.Sprint(want) {
		t.Fatalf("queries %v, want %v", p.queries, want)
	}
}

// An API that does not paginate answers everything in one page, without
// next_cursor: one request, every item.
func TestListSinglePageWithoutCursor(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"items": []api.Plan{{ID: "pln-1"}, {ID: "pln-2"}}})
	}))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	var ids []string
	for p, err := range c.AllPlans(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[pln-1 pln-2]" {
		t.Fatalf("%v", ids)
	}
}

func TestListStopsOnCursorLoop(t *testing.T) {
	// The third page points back at the second page's cursor.
	p := &pagedServer{next: map[string]string{"cur-4": "cur-2"}}
	ts := httptest.NewServer(p.handler(t, 100, 2))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	_, err := c.ListWorkspaces(context.Background())
	if !errors.Is(err, ErrCursorLoop) {
		t.Fatalf("err = %v, want a cursor loop", err)
	}
	if len(p.queries) != 3 {
		t.Fatalf("%d requests, want 3 (stop at the first repeated cursor)", len(p.queries))
	}
}

func TestListHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &pagedServer{}
	ts := httptest.NewServer(p.handler(t, 100, 10))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	n := 0
	var last error
	for _, err := range c.AllWorkspaces(ctx) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 15 {
			cancel() // in the middle of the second page
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("err = %v after %d items, want context.Canceled", last, n)
	}
	if n != 20 || len(p.queries) != 2 {
		t.Fatalf("%d items over %d requests; want the two pages already asked for and no third request", n, len(p.queries))
	}
}

func TestListConsumerStopsEarly(t *testing.T) {
	p := &pagedServer{}
	ts := httptest.NewServer(p.handler(t, 100, 10))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	n := 0
	for _, err := range c.AllWorkspaces(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 12 {
			break
		}
	}
	if len(p.queries) != 2 {
		t.Fatalf("%d requests for 12 items in pages of 10, want 2", len(p.queries))
	}
}

func TestListChildPathsAndErrors(t *testing.T) {
	var paths []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.URL.Path == "/v1/workspaces/ws-gone/static-ips" {
			writeProblem(w, api.Problem{Title: "Not Found", Status: 404, Detail: "workspace ws-gone not found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": []any{}})
	}))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	ctx := context.Background()
	if _, err := collect(c.AllDomains(ctx, "ws-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := collect(c.AllFirewallRules(ctx, "ws-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := collect(c.AllStaticIPs(ctx, "ws-gone")); !IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	if _, err := collect(c.AllDomains(ctx, "..")); err == nil {
		t.Fatal("a dot-dot workspace ID was accepted")
	}
	want := "[/v1/workspaces/ws-1/domains /v1/workspaces/ws-1/firewall-rules /v1/workspaces/ws-gone/static-ips]"
	if fmt.Sprint(paths) != want {
		t.Fatalf("paths %v", paths)
	}
}

func TestActionCalls(t *testing.T) {
	var seen []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path+" idem="+strconv.FormatBool(r.Header.Get(api.IdempotencyKeyHeader) != ""))
		switch {
		case strings.HasSuffix(r.URL.Path, "/verify"):
			writeProblem(w, api.Problem{Title: "Unprocessable Entity", Status: 422,
				Errors: []api.FieldError{{Field: "verification_record", Rule: api.RuleDNSRecordMissing, Message: "no TXT record"}}})
		case r.Method == http.MethodPost:
			writeJSON(w, http.StatusAccepted, api.Export{ID: "exp-1", WorkspaceID: "ws-1", Status: api.ExportRunning})
		default:
			writeJSON(w, http.StatusOK, api.Export{ID: "exp-1", WorkspaceID: "ws-1", Status: api.ExportCompleted})
		}
	}))
	defer ts.Close()
	c, _ := newTestClient(t, ts.URL)
	ctx := context.Background()
	e, err := c.RequestExport(ctx, "ws-1", api.ExportInput{IncludeFiles: true})
	if err != nil || e.Status != api.ExportRunning {
		t.Fatalf("%v %+v", err, e)
	}
	if e, err = c.GetExport(ctx, "ws-1", "exp-1"); err != nil || e.Status != api.ExportCompleted {
		t.Fatalf("%v %+v", err, e)
	}
	_, err = c.VerifyDomain(ctx, "ws-1", "dom-1")
	if fe := FieldErrors(err); len(fe) != 1 || fe[0].Rule != api.RuleDNSRecordMissing {
		t.Fatalf("%v", err)
	}
	want := "[POST /v1/workspaces/ws-1/exports idem=true GET /v1/workspaces/ws-1/exports/exp-1 idem=false POST /v1/workspaces/ws-1/domains/dom-1/verify idem=true]"
	if fmt.Sprint(seen) != want {
		t.Fatalf("%v", seen)
	}
}
