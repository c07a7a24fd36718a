package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// requestIDKind is one resource type for TestAccAPIErrorsShowRequestID: a
// configuration holding one object of it (and what it needs), the same with
// an attribute changed in place ("": the type has no update) and without the
// object (provider blocks are added), and the requests of each operation.
type requestIDKind struct {
	name                  string
	base, update, without string
	create, update1, del  apiCall
	read                  []*regexp.Regexp // GET of the listing and of the object
}

// apiCall is a method on the paths a pattern matches.
type apiCall struct {
	method string
	path   *regexp.Regexp
}

func (c apiCall) matches(r *http.Request) bool {
	return r.Method == c.method && c.path.MatchString(r.URL.Path)
}

func requestIDKinds() []requestIDKind {
	plan := func(tier string) string {
		return fmt.Sprintf(`
resource "rocketchat_plan_tier" "t" {
  tier = %q
}
`, tier)
	}
	ws := func(name string) string {
		return plan("premium") + fmt.Sprintf(`
resource "rocketchat_workspace" "w" {
  name      = %q
  subdomain = "request-id"
  plan_id   = rocketchat_plan_tier.t.id

  deletion_protection = false
}
`, name)
	}
	child := func(typ, body string) string {
		return ws("Request ID") + fmt.Sprintf(`
resource %q "c" {
  workspace_id = rocketchat_workspace.w.id
%s}
`, typ, body)
	}
	re := regexp.MustCompile
	plans, planObj := re(`^/v1/plans$`), re(`^/v1/plans/[^/]+$`)
	wss, wsObj := re(`^/v1/workspaces$`), re(`^/v1/workspaces/[^/]+$`)
	kids := func(seg string) (*regexp.Regexp, *regexp.Regexp) {
		return re(`^/v1/workspaces/[^/]+/` + seg + `$`), re(`^/v1/workspaces/[^/]+/` + seg + `/[^/]+$`)
	}
	domains, domainObj := kids("domains")
	rules, ruleObj := kids("firewall-rules")
	ips, ipObj := kids("static-ips")
	return []requestIDKind{
		{
			name: "plan_tier", base: plan("standard"), update: plan("premium"), without: "",
			create: apiCall{"POST", plans}, read: []*regexp.Regexp{plans, planObj},
			update1: apiCall{"PATCH", planObj}, del: apiCall{"DELETE", planObj},
		},
		{
			name: "workspace", base: ws("Request ID"), update: ws("Renamed"), without: plan("premium"),
			create: apiCall{"POST", wss}, read: []*regexp.Regexp{wss, wsObj},
			update1: apiCall{"PATCH", wsObj}, del: apiCall{"DELETE", wsObj},
		},
		{
			// Every attribute of a custom domain forces a replacement: no update.
			name: "custom_domain", base: child("rocketchat_custom_domain", "  hostname = \"chat.request-id.example.com\"\n"), without: ws("Request ID"),
			create: apiCall{"POST", domains}, read: []*regexp.Regexp{domains, domainObj}, del: apiCall{"DELETE", domainObj},
		},
		{
			name:    "firewall_rule",
			base:    child("rocketchat_firewall_rule", "  cidr = \"10.1.0.0/16\"\n  action = \"allow\"\n  priority = 10\n"),
			update:  child("rocketchat_firewall_rule", "  cidr = \"10.1.0.0/16\"\n  action = \"deny\"\n  priority = 10\n"),
			without: ws("Request ID"),
			create:  apiCall{"POST", rules}, read: []*regexp.Regexp{rules, ruleObj},
			update1: apiCall{"PATCH", ruleObj}, del: apiCall{"DELETE", ruleObj},
		},
		{
			// The whole rule set: one PUT creates and updates it, one DELETE releases it.
			name:    "firewall_rules",
			base:    child("rocketchat_firewall_rules", "  rules = {\n    \"10\" = { cidr = \"10.1.0.0/16\", action = \"allow\" }\n  }\n"),
			update:  child("rocketchat_firewall_rules", "  rules = {\n    \"10\" = { cidr = \"10.1.0.0/16\", action = \"deny\" }\n  }\n"),
			without: ws("Request ID"),
			create:  apiCall{"PUT", rules}, read: []*regexp.Regexp{rules},
			update1: apiCall{"PUT", rules}, del: apiCall{"DELETE", rules},
		},
		{
			name:    "static_ip",
			base:    child("rocketchat_static_ip", "  purpose = \"outbound\"\n"),
			update:  child("rocketchat_static_ip", "  purpose = \"outbound\"\n  description = \"egress\"\n"),
			without: ws("Request ID"),
			create:  apiCall{"POST", ips}, read: []*regexp.Regexp{ips, ipObj},
			update1: apiCall{"PATCH", ipObj}, del: apiCall{"DELETE", ipObj},
		},
	}
}

// failWithRequestID answers every request that match picks with an error
// problem of the API carrying the request ID id (header and body): with
// fields, a 422 naming two fields (two diagnostics), else a 500.
func failWithRequestID(match func(*http.Request) bool, id string, fields bool) func(http.Handler) http.Handler {
	return acctest.Intercept(match, func(r *http.Request) acctest.Answer {
		p := api.Problem{Type: "about:blank", Title: "Internal Server Error", Status: http.StatusInternalServerError,
			Detail: "the request failed", RequestID: id}
		if fields {
			p.Title, p.Status, p.Detail = "Unprocessable Entity", http.StatusUnprocessableEntity, "the request breaks 2 rules"
			p.Errors = []api.FieldError{
				{Field: "alpha", Rule: "one_of", Message: "first rule broken"},
				{Field: "beta", Rule: "one_of", Message: "second rule broken"},
			}
		}
		b, _ := json.Marshal(p)
		return acctest.Answer{Status: p.Status, Body: b,
			Header: http.Header{"Content-Type": {api.ProblemContentType}, api.RequestIDHeader: {id}}}
	})
}

// requestIDError matches the diagnostics of a failed request whose ID is id:
// one naming it, or with fields each field's diagnostic naming it.
func requestIDError(id string, fields bool) *regexp.Regexp {
	sp := `[\s│]+`
	named := `request` + sp + `ID` + sp + regexp.QuoteMeta(id)
	if !fields {
		return regexp.MustCompile(`(?s)` + named)
	}
	rule := func(m string) string { return strings.ReplaceAll(m, " ", sp) + sp + `\(` + named + `\)` }
	return regexp.MustCompile(`(?s)` + rule("first rule broken") + `.*` + rule("second rule broken"))
}

// Every diagnostic from an API error names the request ID the API gave it,
// to quote to support: for the create, read, update (where the type has
// one) and delete of every resource type, the API answers one error (a
// plain 500, and a 422 naming two fields, two diagnostics), and each
// diagnostic Terraform shows names that answer's ID. A resource type of the
// provider missing from requestIDKinds fails the test.
func TestAccAPIErrorsShowRequestID(t *testing.T) {
	kinds := requestIDKinds()
	covered := map[string]bool{}
	for _, k := range kinds {
		covered["rocketchat_"+k.name] = true
	}
	for _, name := range resourceTypeNames(t) {
		if !covered[name] {
			t.Errorf("%s is not in requestIDKinds", name)
		}
	}
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
			proxy := e.Proxy()
			cfg := proxy.ProviderConfig()
			var steps []resource.TestStep
			fail := func(op string, match func(*http.Request) bool, config string, planOnly bool) {
				for _, fields := range []bool{false, true} {
					id := fmt.Sprintf("req-%s-%s-%t", op, kind.name, fields)
					steps = append(steps, resource.TestStep{
						PreConfig:   proxy.Use(failWithRequestID(match, id, fields)),
						Config:      cfg + config,
						PlanOnly:    planOnly,
						ExpectError: requestIDError(id, fields),
					})
				}
			}
			// The create fails (what the object needs is created), then succeeds.
			fail("create", kind.create.matches, kind.base, false)
			steps = append(steps, resource.TestStep{PreConfig: proxy.Use(nil), Config: cfg + kind.base})
			// A read's listing and its single GET both fail (a failed
			// listing falls back to the GET).
			fail("read", func(r *http.Request) bool {
				for _, re := range kind.read {
					if r.Method == http.MethodGet && re.MatchString(r.URL.Path) {
						return true
					}
				}
				return false
			}, kind.base, true)
			if kind.update != "" {
				fail("update", kind.update1.matches, kind.update, false)
			}
			fail("delete", kind.del.matches, kind.without, false)
			steps = append(steps, resource.TestStep{PreConfig: proxy.Use(nil), Config: cfg + kind.without})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps:                    steps,
			})
		})
	}
}

// resourceTypeNames are the provider's resource types.
func resourceTypeNames(t *testing.T) []string {
	t.Helper()
	p := provider.New("test")()
	var names []string
	for _, f := range p.Resources(context.Background()) {
		var resp fwresource.MetadataResponse
		f().Metadata(context.Background(), fwresource.MetadataRequest{ProviderTypeName: "rocketchat"}, &resp)
		names = append(names, resp.TypeName)
	}
	if len(names) < 5 {
		t.Fatalf("%d resource types", len(names))
	}
	return names
}
