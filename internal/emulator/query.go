package emulator

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Query parameters are parsed strictly on every route, /v1 and admin alike,
// by one check (checkQuery) that runs before the route's handler: a typo
// must never silently widen what a request does (an admin restore scoped by
// "?orgg=beta" once replaced every organization) nor quietly answer something
// else than was asked ("?pagesize=2" once answered the default page).
//
// A route accepts only the parameters routeQuery lists for it ("METHOD
// pattern"); a route not listed accepts none. Each parameter may appear once,
// with a non-empty value: an empty "?org=" is not "no organization".

// listQuery is what every paginated /v1 list accepts (pagination.go).
var listQuery = []string{api.QueryPageSize, api.QueryCursor}

// Query parameters of the admin API.
const (
	// QueryOrg scopes an admin route to one organization.
	QueryOrg = "org"
	// QueryScope says what a snapshot covers; its only value is ScopeAll.
	QueryScope = "scope"
	// ScopeAll asks for every organization: a whole-store restore must say so.
	ScopeAll = "all"
	// QueryLimit bounds the request log's answer.
	QueryLimit = "limit"
)

// routeQuery lists the query parameters of every route that accepts any.
var routeQuery = map[string][]string{
	"GET " + api.RoutePlans:            listQuery,
	"GET " + api.RouteWorkspaces:       listQuery,
	"GET " + api.RouteDomains:          listQuery,
	"GET " + api.RouteFirewallRules:    listQuery,
	"GET " + api.RouteStaticIPs:        listQuery,
	"POST " + api.RouteAdminApproveAll: {QueryOrg},
	"GET " + RouteAdminRequests:        {QueryOrg, QueryLimit, "format"},
	"GET " + RouteAdminSnapshot:        {QueryOrg, QueryScope},
	"PUT " + RouteAdminSnapshot:        {QueryOrg, QueryScope},
}

// QueryParams returns the query parameters the route ("METHOD pattern")
// accepts, sorted (the OpenAPI test compares them with the document).
func QueryParams(route string) []string {
	return slices.Sorted(slices.Values(routeQuery[route]))
}

// checkQuery parses a raw query string strictly against the allowed names:
// malformed escapes, unknown names, repeated names and empty values are each
// a 400 problem naming the parameter (sorted, so the answer is stable).
func checkQuery(raw string, allowed []string) *httpError {
	if raw == "" {
		return nil
	}
	vals, err := url.ParseQuery(raw)
	if err != nil { // url.URL.Query would silently drop the bad pair
		return badQuery([]api.FieldError{{Field: "query", Rule: "format",
			Message: "the query string is malformed: " + err.Error()}})
	}
	accepted := "this route accepts no query parameters"
	if len(allowed) > 0 {
		accepted = "allowed: " + strings.Join(allowed, ", ")
	}
	var errs []api.FieldError
	for _, name := range slices.Sorted(maps.Keys(vals)) {
		field := truncate(name, maxLoggedNameLen)
		switch v := vals[name]; {
		case !slices.Contains(allowed, name):
			errs = append(errs, api.FieldError{Field: field, Rule: "unknown_parameter",
				Message: "unknown query parameter; " + accepted})
		case len(v) > 1:
			errs = append(errs, api.FieldError{Field: field, Rule: "repeated",
				Message: "the query parameter is given " + plural(len(v), "time") + "; give it once"})
		case v[0] == "":
			errs = append(errs, api.FieldError{Field: field, Rule: "required",
				Message: "the query parameter is present but empty; give a value or leave the parameter out"})
		}
	}
	if len(errs) > 0 {
		return badQuery(errs)
	}
	return nil
}

// badQuery is a 400 listing every refused query parameter.
func badQuery(errs []api.FieldError) *httpError {
	e := errInvalid(errs)
	e.status = http.StatusBadRequest
	return e
}
