package provider_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// requestIDKind is one resource type for TestAccAPIErrorsShowRequestID: a
// configuration holding one object of it (and what it needs), the same with
// an attribute changed in place ("": the type has no update), with a second
// object of it, and without the object (provider blocks are added).
type requestIDKind struct {
	name               string
	collection, object *regexp.Regexp
	base, update, more string
	without            string // the configuration once the object is removed
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
}
`, name)
	}
	child := func(typ, name, body string) string {
		return fmt.Sprintf(`
resource %q %q {
  workspace_id = rocketchat_workspace.w.id
%s}
`, typ, name, body)
	}
	return []requestIDKind{
		{
			name: "plan_tier", collection: regexp.MustCompile(`^/v1/plans$`), object: regexp.MustCompile(`^/v1/plans/[^/]+$`),
			base: plan("standard"), update: plan("premium"),
			more:    plan("standard") + "\nresource \"rocketchat_plan_tier\" \"more\" {\n  tier = \"standard\"\n}\n",
			without: "",
		},
		{
			name: "workspace", collection: regexp.MustCompile(`^/v1/workspaces$`), object: regexp.MustCompile(`^/v1/workspaces/[^/]+$`),
			base: ws("Request ID"), update: ws("Renamed"),
			more: ws("Request ID") + `
resource "rocketchat_plan_tier" "more" {
  tier = "standard"
}

resource "rocketchat_workspace" "more" {
  name      = "More"
  subdomain = "request-id-more"
  plan_id   = rocketchat_plan_tier.more.id
}
`,
			without: plan("premium"),
		},
		{
			name: "custom_domain", collection: regexp.MustCompile(`^/v1/workspaces/[^/]+/domains$`), object: regexp.MustCompile(`^/v1/workspaces/[^/]+/domains/[^/]+$`),
			base: ws("Request ID") + child("rocketchat_custom_domain", "c", "  hostname = \"chat.request-id.example.com\"\n"),
			// Every attribute of a custom domain forces a replacement: no update.
			more: ws("Request ID") + child("rocketchat_custom_domain", "c", "  hostname = \"chat.request-id.example.com\"\n") +
				child("rocketchat_custom_domain", "more", "  hostname = \"more.request-id.example.com\"\n"),
			without: ws("Request ID"),
		},
		{
			name: "firewall_rule", collection: regexp.MustCompile(`^/v1/workspaces/[^/]+/firewall-rules$`), object: regexp.MustCompile(`^/v1/workspaces/[^/]+/firewall-rules/[^/]+$`),
			base:   ws("Request ID") + child("rocketchat_firewall_rule", "c", "  cidr = \"10.1.0.0/16\"\n  action = \"allow\"\n  priority = 10\n"),
			update: ws("Request ID") + child("rocketchat_firewall_rule", "c", "  cidr = \"10.1.0.0/16\"\n  action = \"deny\"\n  priority = 10\n"),
			more: ws("Request ID") + child("rocketchat_firewall_rule", "c", "  cidr = \"10.1.0.0/16\"\n  action = \"allow\"\n  priority = 10\n") +
				child("rocketchat_firewall_rule", "more", "  cidr = \"10.2.0.0/16\"\n  action = \"allow\"\n  priority = 20\n"),
			without: ws("Request ID"),
		},
		{
			name: "static_ip", collection: regexp.MustCompile(`^/v1/workspaces/[^/]+/static-ips$`), object: regexp.MustCompile(`^/v1/workspaces/[^/]+/static-ips/[^/]+$`),
			base:   ws("Request ID") + child("rocketchat_static_ip", "c", "  purpose = \"outbound\"\n"),
			update: ws("Request ID") + child("rocketchat_static_ip", "c", "  purpose = \"outbound\"\n  description = \"egress\"\n"),
			more: ws("Request ID") + child("rocketchat_static_ip", "c", "  purpose = \"outbound\"\n") +
				child("rocketchat_static_ip", "more", "  purpose = \"outbound\"\n"),
			without: ws("Request ID"),
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
// diagnostic Terraform shows names that answer's ID.
func TestAccAPIErrorsShowRequestID(t *testing.T) {
	for _, kind := range requestIDKinds() {
		t.Run(kind.name, func(t *testing.T) {
			e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
			proxy := e.Proxy()
			cfg := proxy.ProviderConfig()
			is := func(method string, res ...*regexp.Regexp) func(*http.Request) bool {
				return func(r *http.Request) bool {
					for _, re := range res {
						if r.Method == method && re.MatchString(r.URL.Path) {
							return true
						}
					}
					return false
				}
			}
			steps := []resource.TestStep{{PreConfig: proxy.Use(nil), Config: cfg + kind.base}}
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
			// A read's listing and its single GET both fail (a failed
			// listing falls back to the GET).
			fail("read", is(http.MethodGet, kind.collection, kind.object), kind.base, true)
			if kind.update != "" {
				fail("update", is(http.MethodPatch, kind.object), kind.update, false)
			}
			fail("create", is(http.MethodPost, kind.collection), kind.more, false)
			fail("delete", is(http.MethodDelete, kind.object), kind.without, false)
			steps = append(steps, resource.TestStep{PreConfig: proxy.Use(nil), Config: cfg + kind.without})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps:                    steps,
			})
		})
	}
}
