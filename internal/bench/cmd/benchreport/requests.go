package main

import (
	"fmt"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// reqClass sorts "METHOD /v1/route" keys: reads of one object, lists, writes.
func reqClass(key string) string {
	method, route, _ := strings.Cut(key, " ")
	if method != "GET" {
		return "write"
	}
	switch route {
	case api.RoutePlans, api.RouteWorkspaces, api.RouteDomains, api.RouteFirewallRules, api.RouteStaticIPs:
		return "list"
	}
	return "get"
}

type reqSummary struct{ total, get, list, write int }

// benchTypes are the resource types of a generated unit, with how many of
// each one unit of unitSize objects holds (see genUnit).
var benchTypes = []struct {
	name    string
	perUnit int
}{{"plan_tier", 1}, {"workspace", 1}, {"custom_domain", 2}, {"firewall_rule", 5}, {"static_ip", 1}}

// reqType is the resource type a "METHOD /v1/route" key serves. The child
// gates' reads of a workspace count for the workspace.
func reqType(key string) string {
	_, route, _ := strings.Cut(key, " ")
	switch {
	case strings.HasPrefix(route, api.RouteDomains):
		return "custom_domain"
	case strings.HasPrefix(route, api.RouteFirewallRules):
		return "firewall_rule"
	case strings.HasPrefix(route, api.RouteStaticIPs):
		return "static_ip"
	case strings.HasPrefix(route, api.RouteWorkspaces):
		return "workspace"
	case strings.HasPrefix(route, api.RoutePlans):
		return "plan_tier"
	}
	return "other"
}

// perType returns the requests per object of each resource type for a run of
// n objects (n/unitSize units).
func perType(reqs map[string]int, n int) map[string]float64 {
	counts := map[string]int{}
	for k, v := range reqs {
		counts[reqType(k)] += v
	}
	out := map[string]float64{}
	for _, t := range benchTypes {
		out[t.name] = float64(counts[t.name]) / float64(n/unitSize*t.perUnit)
	}
	if counts["other"] > 0 {
		out["other"] = float64(counts["other"]) / float64(n)
	}
	return out
}

func formatPerType(pt map[string]float64) string {
	var parts []string
	for _, t := range benchTypes {
		parts = append(parts, fmt.Sprintf("%s %.2f", t.name, pt[t.name]))
	}
	if v, ok := pt["other"]; ok {
		parts = append(parts, fmt.Sprintf("other %.2f", v))
	}
	return strings.Join(parts, ", ")
}

func classify(reqs map[string]int) reqSummary {
	var s reqSummary
	for k, v := range reqs {
		s.total += v
		switch reqClass(k) {
		case "get":
			s.get += v
		case "list":
			s.list += v
		default:
			s.write += v
		}
	}
	return s
}

func summarizeRequests(reqs map[string]int, n int, byType bool) string {
	s := classify(reqs)
	out := fmt.Sprintf("requests/object %.2f (GET one %.2f, list %.2f, write %.2f",
		float64(s.total)/float64(n), float64(s.get)/float64(n), float64(s.list)/float64(n), float64(s.write)/float64(n))
	if byType {
		out += "; by type: " + formatPerType(perType(reqs, n))
	}
	return out + ")"
}
