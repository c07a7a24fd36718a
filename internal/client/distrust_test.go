package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Proxies, gateways and bugs sit between the client and the API: these tests
// answer as they might, and expect an error rather than a guess.

// answerWith serves one fixed JSON answer (status 200 or 201) for every request.
func answerWith(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set(api.RequestIDHeader, "req-odd")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// Item 9 of issue 18: an answer whose ID is missing or is not the one asked
// for (or, for a child, whose workspace is another) is an error, for every
// read, create and update of every kind.
func TestAnswerAboutAnotherObjectIsAnError(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		answer string
		call   func(*Client) error
		want   string // in the error text
	}{
		{"read plan answered {}", `{}`, func(c *Client) error { _, err := c.GetPlan(ctx, "pl-1"); return err }, `no ID`},
		{"read plan answered another", `{"id":"pl-2"}`, func(c *Client) error { _, err := c.GetPlan(ctx, "pl-1"); return err }, `"pl-2"`},
		{"update plan answered another", `{"id":"pl-2"}`, func(c *Client) error { _, err := c.UpdatePlan(ctx, "pl-1", api.PlanInput{}); return err }, `"pl-2"`},
		{"create plan answered {}", `{}`, func(c *Client) error { _, err := c.CreatePlan(ctx, api.PlanInput{}); return err }, `no ID`},
		{"read workspace answered another", `{"id":"ws-2"}`, func(c *Client) error { _, err := c.GetWorkspace(ctx, "ws-1"); return err }, `"ws-2"`},
		{"update workspace answered {}", `{}`, func(c *Client) error { _, err := c.UpdateWorkspace(ctx, "ws-1", api.WorkspaceInput{}); return err }, `no ID`},
		{"create workspace answered {}", `{"name":"x"}`, func(c *Client) error { _, err := c.CreateWorkspace(ctx, api.WorkspaceInput{}); return err }, `no ID`},
		{"read domain answered another", `{"id":"d-2","workspace_id":"ws-1"}`, func(c *Client) error { _, err := c.GetDomain(ctx, "ws-1", "d-1"); return err }, `"d-2"`},
		{"read domain of another workspace", `{"id":"d-1","workspace_id":"ws-9"}`, func(c *Client) error { _, err := c.GetDomain(ctx, "ws-1", "d-1"); return err }, `"ws-9"`},
		{"create domain answered {}", `{}`, func(c *Client) error { _, err := c.CreateDomain(ctx, "ws-1", api.DomainInput{}); return err }, `no ID`},
		{"verify domain answered another", `{"id":"d-2","workspace_id":"ws-1"}`, func(c *Client) error { _, err := c.VerifyDomain(ctx, "ws-1", "d-1"); return err }, `"d-2"`},
		{"read rule answered {}", `{}`, func(c *Client) error { _, err := c.GetFirewallRule(ctx, "ws-1", "r-1"); return err }, `no ID`},
		{"update rule answered another", `{"id":"r-2","workspace_id":"ws-1"}`, func(c *Client) error {
			_, err := c.UpdateFirewallRule(ctx, "ws-1", "r-1", api.FirewallRuleInput{})
			return err
		}, `"r-2"`},
		{"create rule in another workspace", `{"id":"r-1","workspace_id":"ws-9"}`, func(c *Client) error {
			_, err := c.CreateFirewallRule(ctx, "ws-1", api.FirewallRuleInput{})
			return err
		}, `"ws-9"`},
		{"read static IP answered another", `{"id":"ip-2","workspace_id":"ws-1"}`, func(c *Client) error { _, err := c.GetStaticIP(ctx, "ws-1", "ip-1"); return err }, `"ip-2"`},
		{"update static IP answered {}", `{}`, func(c *Client) error {
			_, err := c.UpdateStaticIP(ctx, "ws-1", "ip-1", api.StaticIPInput{})
			return err
		}, `no ID`},
		{"create static IP answered {}", `{}`, func(c *Client) error { _, err := c.CreateStaticIP(ctx, "ws-1", api.StaticIPInput{}); return err }, `no ID`},
		{"read export answered another", `{"id":"ex-2","workspace_id":"ws-1"}`, func(c *Client) error { _, err := c.GetExport(ctx, "ws-1", "ex-1"); return err }, `"ex-2"`},
		{"request export answered {}", `{}`, func(c *Client) error { _, err := c.RequestExport(ctx, "ws-1", api.ExportInput{}); return err }, `no ID`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(answerWith(http.StatusOK, tc.answer))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL)
			err := tc.call(c)
			if err == nil {
				t.Fatalf("answer %s was accepted", tc.answer)
			}
			if !errors.Is(err, ErrWrongObject) || !errors.Is(err, ErrUntrustedAnswer) {
				t.Errorf("errors.Is(ErrWrongObject, ErrUntrustedAnswer) = %v, %v: %v", errors.Is(err, ErrWrongObject), errors.Is(err, ErrUntrustedAnswer), err)
			}
			if IsNotFound(err) {
				t.Errorf("a wrong answer must never read as not found: %v", err)
			}
			for _, s := range []string{tc.want, "(request ID req-odd)"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %s", err, s)
				}
			}
		})
	}
}

// A listing whose items have no ID, or belong to another workspace than the
// one listed, is not trusted either.
func TestListingItemsAboutOtherObjects(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, answer string
		call         func(*Client) error
	}{
		{"plan without ID", `{"items":[{"id":"pl-1"},{"tier":"standard"}]}`, func(c *Client) error { _, err := c.ListPlans(ctx); return err }},
		{"rule of another workspace", `{"items":[{"id":"r-1","workspace_id":"ws-9"}]}`, func(c *Client) error { _, err := c.ListFirewallRules(ctx, "ws-1"); return err }},
		{"static IP without workspace", `{"items":[{"id":"ip-1"}]}`, func(c *Client) error { _, err := c.ListStaticIPs(ctx, "ws-1"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(answerWith(http.StatusOK, tc.answer))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL)
			if err := tc.call(c); !errors.Is(err, ErrWrongObject) {
				t.Fatalf("err = %v, want ErrWrongObject", err)
			}
		})
	}
}

// Item 10 of issue 18: only the API's own not-found (a problem document,
// application/problem+json, of status 404) means "gone". Any other 404 is an
// error naming the status, the content type and the request ID.
func TestOnlyTheAPIsOwn404IsNotFound(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		own                     bool
	}{
		{"problem document", api.ProblemContentType, `{"title":"Not Found","status":404,"detail":"plan \"pl-1\" not found"}`, true},
		{"html page of a proxy", "text/html; charset=utf-8", "<html><body><h1>404 Not Found</h1>nginx</body></html>", false},
		{"plain text", "text/plain", "404 page not found", false},
		{"json that is not a problem", "application/json", `{"message":"no Route matched with those values"}`, false},
		{"problem shape, json media type", "application/json", `{"title":"Not Found","status":404,"errors":[{"field":"tier","rule":"x","message":"m"}]}`, false},
		{"problem media type, html body", api.ProblemContentType, "<html>not found</html>", false},
		{"problem of another status", api.ProblemContentType, `{"title":"Gone","status":410}`, false},
		{"no content type", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var deletes atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete {
					deletes.Add(1)
				}
				w.Header()["Content-Type"] = []string{tc.contentType}
				w.Header().Set(api.RequestIDHeader, "req-404")
				w.WriteHeader(http.StatusNotFound)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL)
			_, err := c.GetPlan(context.Background(), "pl-1")
			if err == nil {
				t.Fatal("no error")
			}
			if IsNotFound(err) != tc.own {
				t.Fatalf("IsNotFound = %v, want %v: %v", IsNotFound(err), tc.own, err)
			}
			delErr := c.DeletePlan(context.Background(), "pl-1")
			if IsNotFound(delErr) != tc.own {
				t.Errorf("delete: IsNotFound = %v, want %v", IsNotFound(delErr), tc.own)
			}
			if tc.own {
				return
			}
			ct := tc.contentType
			if ct == "" {
				ct = "no content type"
			}
			for _, s := range []string{"404", ct, "req-404"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %q", err, s)
				}
			}
			if !errors.Is(err, ErrUntrustedAnswer) {
				t.Errorf("a 404 not from the API is not marked untrusted: %v", err)
			}
			if fe := FieldErrors(err); fe != nil {
				t.Errorf("field errors taken from an answer not the API's: %+v", fe)
			}
		})
	}
}

// Item 11 of issue 18: a pager whose pages bring nothing new (empty pages with
// fresh cursors, or pages repeating IDs already seen) stops after a small
// bound with an error; it used to follow 10,000 pages.
func TestListStopsWhenPagesBringNothingNew(t *testing.T) {
	for _, tc := range []struct {
		name  string
		items func(page int) []api.Plan
	}{
		{"empty pages with fresh cursors", func(int) []api.Plan { return nil }},
		{"the same page again and again", func(int) []api.Plan { return []api.Plan{{ID: "pl-1"}, {ID: "pl-2"}} }},
		{"new first page, then repeats", func(page int) []api.Plan {
			if page == 0 {
				return []api.Plan{{ID: "pl-0"}}
			}
			return []api.Plan{{ID: "pl-0"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(requests.Add(1)) - 1
				writeJSON(w, http.StatusOK, api.List[api.Plan]{Items: tc.items(n), NextCursor: fmt.Sprintf("fresh-%d", n)})
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL)
			_, err := c.ListPlans(context.Background())
			if n := requests.Load(); n > MaxStalledPages+2 {
				t.Fatalf("%d requests; want the listing to stop after %d pages bringing nothing new", n, MaxStalledPages)
			}
			if !errors.Is(err, ErrPagerStalled) || !errors.Is(err, ErrUntrustedAnswer) {
				t.Fatalf("err = %v, want ErrPagerStalled", err)
			}
		})
	}
}

// An empty page here and there (a page whose objects were deleted meanwhile)
// is no stall: the listing goes on and returns every object once.
func TestListToleratesAFewEmptyPages(t *testing.T) {
	pagesOf := [][]api.Plan{{{ID: "pl-1"}}, {}, {{ID: "pl-1"}, {ID: "pl-2"}}, {}, {}, {{ID: "pl-3"}}}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(requests.Add(1)) - 1
		out := api.List[api.Plan]{Items: pagesOf[n]}
		if n+1 < len(pagesOf) {
			out.NextCursor = fmt.Sprintf("c-%d", n)
		}
		writeJSON(w, http.StatusOK, out)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	got, err := c.ListPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != "pl-1" || got[1].ID != "pl-2" || got[2].ID != "pl-3" {
		t.Fatalf("got %+v, want pl-1, pl-2, pl-3 once each", got)
	}
}

// Item 12 of issue 18: the configured token never appears in an error the
// client builds, whatever echoes it: an error body, a header, a cursor, an
// ID, or a transport error.
func TestTokenRedactedFromEveryError(t *testing.T) {
	ctx := context.Background()
	echo := "Authorization: Bearer " + testToken
	problem := func(status int) string {
		b, _ := json.Marshal(api.Problem{Title: "Oops", Status: status, Detail: "you sent " + echo,
			Errors: []api.FieldError{{Field: "tier", Rule: "x", Message: "header " + echo}}})
		return string(b)
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		call    func(*Client) error
		// transport replaces the HTTP transport.
		transport http.RoundTripper
	}{
		{name: "problem detail and field errors", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", api.ProblemContentType)
			w.WriteHeader(422)
			_, _ = io.WriteString(w, problem(422))
		}},
		{name: "html error page", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<pre>"+r.Header.Get("Authorization")+"</pre>")
		}},
		{name: "json-escaped echo", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", api.ProblemContentType)
			w.WriteHeader(400)
			_, _ = io.WriteString(w, `{"title":"Bad","status":400,"detail":"\u0042earer s3cr3t\u002dt0ken\u002dvalue"}`)
		}},
		{name: "request ID header", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(api.RequestIDHeader, r.Header.Get("Authorization"))
			w.WriteHeader(500)
		}},
		{name: "ID of another object", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, api.Plan{ID: testToken})
		}},
		{name: "cursor loop", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, api.List[api.Plan]{Items: []api.Plan{{ID: r.URL.Query().Get(api.QueryCursor) + "x"}}, NextCursor: testToken})
		}, call: func(c *Client) error { _, err := c.ListPlans(ctx); return err }},
		{name: "transport error", transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, errors.New("proxy refused CONNECT with " + r.Header.Get("Authorization"))
		})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.handler
			if h == nil {
				h = func(http.ResponseWriter, *http.Request) {}
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, logger := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxRetries = 1
				if tc.transport != nil {
					cfg.HTTPClient = &http.Client{Transport: tc.transport}
				}
			})
			call := tc.call
			if call == nil {
				call = func(c *Client) error { _, err := c.GetPlan(ctx, "pl-1"); return err }
			}
			err := call(c)
			if err == nil {
				t.Fatal("no error")
			}
			texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), RequestID(err)}
			for _, fe := range FieldErrors(err) {
				texts = append(texts, fe.Field, fe.Message)
			}
			var apiErr *Error
			if errors.As(err, &apiErr) {
				texts = append(texts, apiErr.Error(), apiErr.Problem.Title, apiErr.Problem.Detail, apiErr.RequestID)
			}
			for _, e := range logger.all() {
				texts = append(texts, fmt.Sprint(e.fields))
			}
			for _, s := range texts {
				if strings.Contains(s, testToken) {
					t.Errorf("the token leaked: %s", s)
				}
			}
			if !strings.Contains(err.Error(), "***") {
				t.Errorf("no redaction mark in %q", err)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
