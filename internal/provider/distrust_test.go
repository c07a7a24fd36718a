package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Issue 18, items 9 to 12: proxies, gateways and bugs sit between Terraform
// and the API. Each test puts a proxy (acctest.Proxy) in front of the
// in-process emulator, lets it answer oddly, and proves the provider errors
// and leaves the state as it was: same IDs afterwards, no second object.

// distrustKind is one resource type and the API routes it is read from.
type distrustKind struct {
	address, what string
	collection    *regexp.Regexp // GET of its listing
	object        *regexp.Regexp // GET of one object
}

var distrustKinds = []distrustKind{
	{"rocketchat_plan_tier.p", "plan tier", regexp.MustCompile(`^/v1/plans$`), regexp.MustCompile(`^/v1/plans/[^/]+$`)},
	{"rocketchat_workspace.w", "workspace", regexp.MustCompile(`^/v1/workspaces$`), regexp.MustCompile(`^/v1/workspaces/[^/]+$`)},
	{"rocketchat_custom_domain.d", "custom domain", regexp.MustCompile(`^/v1/workspaces/[^/]+/domains$`), regexp.MustCompile(`^/v1/workspaces/[^/]+/domains/[^/]+$`)},
	{"rocketchat_firewall_rule.f", "firewall rule", regexp.MustCompile(`^/v1/workspaces/[^/]+/firewall-rules$`), regexp.MustCompile(`^/v1/workspaces/[^/]+/firewall-rules/[^/]+$`)},
	{"rocketchat_static_ip.s", "static IP", regexp.MustCompile(`^/v1/workspaces/[^/]+/static-ips$`), regexp.MustCompile(`^/v1/workspaces/[^/]+/static-ips/[^/]+$`)},
}

// distrustConfig is one object of each resource type, and the workspace
// data source, behind the proxy.
func distrustConfig(p *acctest.Proxy, ruleDescription string) string {
	return p.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "p" {
  tier      = "premium"
  region    = "us-east"
  max_users = 100
}

resource "rocketchat_workspace" "w" {
  name      = "Distrust"
  subdomain = "distrust"
  plan_id   = rocketchat_plan_tier.p.id
}

data "rocketchat_workspace" "w" {
  id = rocketchat_workspace.w.id
}

resource "rocketchat_custom_domain" "d" {
  workspace_id = rocketchat_workspace.w.id
  hostname     = "chat.distrust.example.com"
}

resource "rocketchat_firewall_rule" "f" {
  workspace_id = rocketchat_workspace.w.id
  cidr         = "10.1.0.0/16"
  action       = "allow"
  protocol     = "tcp"
  port_range   = "443"
  priority     = 10
  description  = %q
}

resource "rocketchat_static_ip" "s" {
  workspace_id = rocketchat_workspace.w.id
  purpose      = "outbound"
}
`, ruleDescription)
}

// recordIDs stores the ID of every resource of the state in ids.
func recordIDs(ids map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, r := range s.RootModule().Resources {
			ids[addr] = r.Primary.ID
		}
		return nil
	}
}

// sameIDs fails unless every resource recorded in ids still has its ID.
func sameIDs(ids map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, id := range ids {
			r, ok := s.RootModule().Resources[addr]
			if !ok {
				return fmt.Errorf("%s was removed from state", addr)
			}
			if r.Primary.ID != id {
				return fmt.Errorf("%s: ID %q, was %q", addr, r.Primary.ID, id)
			}
		}
		return nil
	}
}

// editJSON rewrites a JSON object answer.
func editJSON(a *acctest.Answer, edit func(map[string]any)) {
	var m map[string]any
	if json.Unmarshal(a.Body, &m) != nil {
		return
	}
	edit(m)
	a.Body, _ = json.Marshal(m)
}

// hideFromListing answers the kind's listings as empty, so its Read falls to
// the single GET, and lets change rewrite that GET's answer.
func hideFromListing(k distrustKind, change func(*acctest.Answer)) func(http.Handler) http.Handler {
	return acctest.Rewrite(func(r *http.Request) bool {
		return r.Method == http.MethodGet && (k.collection.MatchString(r.URL.Path) || k.object.MatchString(r.URL.Path))
	}, func(r *http.Request, a *acctest.Answer) {
		if k.collection.MatchString(r.URL.Path) {
			a.Body = []byte(`{"items":[]}`)
			return
		}
		change(a)
	})
}

// onePlanConfig is a single plan tier behind the proxy.
func onePlanConfig(p *acctest.Proxy) string {
	return p.ProviderConfig() + `
resource "rocketchat_plan_tier" "p" {
  tier = "standard"
}
`
}

func newDistrustEnv(t *testing.T) (*acctest.Env, *acctest.Proxy) {
	e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
	return e, e.Proxy()
}

// Item 9: a read answered about another object (an answer without an ID, or
// with another ID) fails the refresh of every resource type, and the state
// keeps its IDs. It used to store id = null, or silently take the other ID.
func TestAccDistrust_readAboutAnotherObjectLeavesState(t *testing.T) {
	e, proxy := newDistrustEnv(t)
	cfg := distrustConfig(proxy, "web")
	ids := map[string]string{}
	steps := []resource.TestStep{{Config: cfg, Check: recordIDs(ids)}}
	for _, k := range distrustKinds {
		steps = append(steps,
			resource.TestStep{
				PreConfig:   proxy.Use(hideFromListing(k, func(a *acctest.Answer) { a.Body = []byte(`{}`) })),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read ` + k.what + `.*another object than the one asked for.*the answer has no ID.*state was left as it was`),
			},
			resource.TestStep{
				PreConfig: proxy.Use(hideFromListing(k, func(a *acctest.Answer) {
					editJSON(a, func(m map[string]any) { m["id"] = "other-object" })
				})),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read ` + k.what + `.*the answer is about ID "other-object"`),
			})
	}
	steps = append(steps, resource.TestStep{PreConfig: proxy.Use(nil), Config: cfg, Check: sameIDs(ids)})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    steps,
	})
}

// Item 9: a create answered without an ID, or an update answered about
// another object, is an error; the create stores nothing (the next plan
// creates it again: nothing half-known is in state), the update keeps the
// object's ID.
func TestAccDistrust_writeAboutAnotherObjectLeavesState(t *testing.T) {
	e, proxy := newDistrustEnv(t)
	cfg := distrustConfig(proxy, "web")
	withSecondRule := cfg + `
resource "rocketchat_firewall_rule" "f2" {
  workspace_id = rocketchat_workspace.w.id
  cidr         = "10.2.0.0/16"
  action       = "deny"
  protocol     = "tcp"
  priority     = 20
}
`
	ids := map[string]string{}
	ruleCreate := func(r *http.Request) bool {
		return r.Method == http.MethodPost && distrustKinds[3].collection.MatchString(r.URL.Path)
	}
	patchOf := func(k distrustKind) func(r *http.Request) bool {
		return func(r *http.Request) bool { return r.Method == http.MethodPatch && k.object.MatchString(r.URL.Path) }
	}
	otherID := func(_ *http.Request, a *acctest.Answer) {
		editJSON(a, func(m map[string]any) { m["id"] = "other-object" })
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: recordIDs(ids)},
			{
				PreConfig: proxy.Use(acctest.Rewrite(ruleCreate, func(_ *http.Request, a *acctest.Answer) {
					editJSON(a, func(m map[string]any) { delete(m, "id") })
				})),
				Config:      withSecondRule,
				ExpectError: errorRE(`Cannot create firewall rule.*the answer has no ID.*check for it before you apply again`),
			},
			{
				PreConfig:          proxy.Use(nil),
				Config:             withSecondRule,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_firewall_rule.f2", plancheck.ResourceActionCreate),
				}},
			},
			{
				PreConfig:   proxy.Use(acctest.Rewrite(patchOf(distrustKinds[3]), otherID)),
				Config:      distrustConfig(proxy, "web and api"),
				ExpectError: errorRE(`Cannot update firewall rule.*the answer is about ID "other-object"`),
			},
			{
				PreConfig:   proxy.Use(acctest.Rewrite(patchOf(distrustKinds[0]), otherID)),
				Config:      regexp.MustCompile(`max_users = 100`).ReplaceAllString(distrustConfig(proxy, "web and api"), `max_users = 200`),
				ExpectError: errorRE(`Cannot change plan tier.*the answer is about ID "other-object"`),
			},
			{
				PreConfig: proxy.Use(nil),
				Config:    regexp.MustCompile(`max_users = 100`).ReplaceAllString(distrustConfig(proxy, "web and api"), `max_users = 200`),
				Check:     sameIDs(ids),
			},
		},
	})
}

// Item 10: only the API's own not-found removes an object from state (and
// counts as deleted). A 404 page from a proxy (HTML, or JSON that is no
// problem document) is an error naming the status, the content type and the
// request ID; the object stays in state and is never created a second time.
// Item 12 rides along: an error page that echoes the Authorization header
// shows "Bearer ***" in the diagnostic, never the token.
func TestAccDistrust_foreign404KeepsObject(t *testing.T) {
	e, proxy := newDistrustEnv(t)
	cfg := onePlanConfig(proxy)
	plans, ids := distrustKinds[0], map[string]string{}
	gatewayAnswer := func(status int, contentType, body string) func(*http.Request) acctest.Answer {
		return func(r *http.Request) acctest.Answer {
			b := body
			if b == "" {
				b = "<pre>" + r.Header.Get("Authorization") + "</pre>"
			}
			return acctest.Answer{Status: status, Body: []byte(b),
				Header: http.Header{"Content-Type": {contentType}, "X-Request-Id": {"req-gateway"}}}
		}
	}
	reads := func(r *http.Request) bool {
		return r.Method == http.MethodGet && (plans.collection.MatchString(r.URL.Path) || plans.object.MatchString(r.URL.Path))
	}
	deletes := func(r *http.Request) bool {
		return r.Method == http.MethodDelete && plans.object.MatchString(r.URL.Path)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: recordIDs(ids)},
			{
				PreConfig:   proxy.Use(acctest.Intercept(reads, gatewayAnswer(404, "text/html", "<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"))),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read plan tier.*404 Not Found \(content type text/html, not the API's application/problem\+json.*request ID req-gateway.*state was left as it was`),
			},
			{
				PreConfig:   proxy.Use(acctest.Intercept(reads, gatewayAnswer(404, "application/json", `{"message":"no Route matched with those values"}`))),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read plan tier.*404 Not Found \(content type application/json,`),
			},
			{
				PreConfig:   proxy.Use(acctest.Intercept(reads, gatewayAnswer(502, "text/html", ""))),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read plan tier.*502 Bad Gateway.*<pre>Bearer \*\*\*</pre>`),
			},
			{
				PreConfig:   proxy.Use(acctest.Intercept(deletes, gatewayAnswer(404, "text/plain", "404 page not found"))),
				Config:      cfg,
				Destroy:     true,
				ExpectError: errorRE(`Cannot cancel plan tier.*404 Not Found \(content type text/plain,`),
			},
			{PreConfig: proxy.Use(nil), Config: cfg, Check: resource.ComposeTestCheckFunc(sameIDs(ids), onePlan(e))},
		},
	})
}

// onePlan checks that the organization holds exactly one plan: no second one
// was created for a plan wrongly taken as gone.
func onePlan(e *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		plans, err := e.Client().ListPlans(context.Background())
		if err != nil {
			return err
		}
		if len(plans) != 1 {
			return fmt.Errorf("the organization holds %d plans, want 1", len(plans))
		}
		return nil
	}
}

// Item 11: a listing whose pages bring nothing new (empty pages, each with a
// fresh cursor) fails the refresh after a few requests. It used to be
// followed for 10,000 pages, then guessed around with single reads.
func TestAccDistrust_endlessEmptyPagesFailRefresh(t *testing.T) {
	e, proxy := newDistrustEnv(t)
	cfg := onePlanConfig(proxy)
	plans, ids := distrustKinds[0], map[string]string{}
	var listings atomic.Int32
	endless := acctest.Intercept(func(r *http.Request) bool {
		return r.Method == http.MethodGet && plans.collection.MatchString(r.URL.Path)
	}, func(*http.Request) acctest.Answer {
		n := listings.Add(1)
		return acctest.Answer{Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: fmt.Appendf(nil, `{"items":[],"next_cursor":"fresh-%d"}`, n)}
	})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: recordIDs(ids)},
			{
				PreConfig:   proxy.Use(endless),
				Config:      cfg,
				ExpectError: errorRE(`Cannot read plan tier.*the listing's pages bring nothing new`),
			},
			{
				PreConfig: func() {
					if n := listings.Load(); n == 0 || n > 2*client.MaxStalledPages {
						t.Errorf("the refresh asked for %d pages; want at most %d", n, 2*client.MaxStalledPages)
					}
					proxy.Use(nil)()
				},
				Config: cfg,
				Check:  sameIDs(ids),
			},
		},
	})
}
