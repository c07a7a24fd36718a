package main

import (
	"math"
	"testing"
)

// Requests are counted per resource type: a child's route belongs to the
// child, a gate's GET of a workspace to the workspace.
func TestPerType(t *testing.T) {
	reqs := map[string]int{
		"POST /v1/plans": 10, "POST /v1/workspaces": 10, "GET /v1/workspaces/{workspace_id}": 1,
		"POST /v1/workspaces/{workspace_id}/domains":        20,
		"POST /v1/workspaces/{workspace_id}/firewall-rules": 50,
		"POST /v1/workspaces/{workspace_id}/static-ips":     10,
	}
	got := perType(reqs, 100)
	for typ, want := range map[string]float64{"plan_tier": 1, "workspace": 1.1, "custom_domain": 1, "firewall_rule": 1, "static_ip": 1} {
		if math.Abs(got[typ]-want) > 1e-9 {
			t.Errorf("%s: %.3f requests per object, want %.3f", typ, got[typ], want)
		}
	}
	if _, ok := got["other"]; ok {
		t.Errorf("unexpected other: %v", got)
	}
}
