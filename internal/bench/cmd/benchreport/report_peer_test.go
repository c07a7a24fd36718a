package main

import (
	"fmt"
	"strings"
	"testing"
)

// The peer section puts both providers side by side per scenario and phase,
// and says why when the peer was not measured.
func TestWritePeer(t *testing.T) {
	t.Setenv("BENCH_LATENCY", "30ms")
	const n = 100
	med := map[key]Result{}
	add := func(kind, phase string, secs float64, reqs map[string]int) {
		med[key{kind, n, phase}] = Result{Kind: kind, N: n, Phase: phase, Seconds: secs, Requests: reqs}
	}
	rule := "GET /v1/workspaces/{workspace_id}/firewall-rules/{rule_id}"
	add("terraform_data", "plan-peer", 0.5, nil)
	add("rocketchat", "plan-peer", 1, map[string]int{"GET /v1/workspaces/{workspace_id}/firewall-rules": 1})
	add("restapi", "plan-peer", 2, map[string]int{rule: 200})
	add("restapi", "apply-peer", 3, map[string]int{"POST /v1/workspaces/{workspace_id}/firewall-rules": 100})
	add("terraform_data", "plan-peer-lat", 0.5, nil)
	add("restapi", "plan-peer-lat", 4, map[string]int{rule: 200})
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	lines := writePeer(w, med, []int{n})
	for _, want := range []string{
		"| 0 ms | plan | 0.50 | 1.00 | 2.00x | 2.00 | 4.00x | 2.00x | 0.01 (0.00, 0.01, 0.00) | 2.00 (2.00, 0.00, 0.00) |",
		"| 0 ms | apply | - | - | - | 3.00 | - | - | - | 1.00 (0.00, 0.00, 1.00) |",
		"| +30ms a request | plan | 0.50 | - | - | 4.00 | 8.00x | - | - | 2.00 (2.00, 0.00, 0.00) |",
		"own 1 Premium workspace that",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
	if len(lines) != 4 { // a heading and three rows
		t.Errorf("stdout lines: %q", lines)
	}

	b.Reset()
	t.Setenv("BENCH_PEER_SKIPPED", "no binary")
	if lines := writePeer(w, map[key]Result{}, []int{n}); lines != nil || !strings.Contains(b.String(), "Not measured in this run: no binary.") {
		t.Errorf("skipped: %q, %q", lines, b.String())
	}
}
