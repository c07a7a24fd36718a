package main

import (
	"fmt"
	"strings"
	"testing"
)

// The firewall rules section puts every variant side by side per latency, N
// and phase, judges the set's targets at the largest N, charts the 0 ms runs
// and says which peer release was not measured, and why.
func TestWriteRules(t *testing.T) {
	t.Setenv("BENCH_LATENCY", "30ms")
	t.Setenv("BENCH_PEER_SKIPPED", "restapi-v3: no binary\n")
	med := map[key]Result{}
	add := func(kind string, n int, phase string, secs float64, rss int64, reqs map[string]int) {
		med[key{kind, n, phase}] = Result{Kind: kind, N: n, Phase: phase, Seconds: secs, PeakRSS: rss, Requests: reqs}
	}
	const list, one, put = "GET /v1/workspaces/{workspace_id}/firewall-rules", "GET /v1/workspaces/{workspace_id}/firewall-rules/{rule_id}",
		"PUT /v1/workspaces/{workspace_id}/firewall-rules"
	for _, n := range []int{100, 200} {
		ws := peerWorkspaces(n)
		f := float64(n) / 100
		add("terraform_data", n, "apply-peer", 1*f, 0, nil)
		add("noop", n, "apply-peer", 2*f, 50_000, nil)
		add("rocketchat", n, "apply-peer", 2.2*f, 90_000, map[string]int{"POST /v1/workspaces/{workspace_id}/firewall-rules": n})
		add("rocketchat-set", n, "apply-peer", 0.1, 60_000, map[string]int{put: ws, "GET /v1/workspaces/{workspace_id}": ws})
		add("noop-set", n, "apply-peer", 0.08, 40_000, nil)
		add("terraform_data-set", n, "apply-peer", 0.05, 0, nil)
		add("raw-set", n, "apply-peer", 0.06, 20_000, nil)
		add("restapi", n, "apply-peer", 3*f, 30_000, map[string]int{"POST /v1/workspaces/{workspace_id}/firewall-rules": n})
		add("rocketchat", n, "plan-peer", 1.5*f, 0, map[string]int{list: ws})
		add("rocketchat-set", n, "plan-peer", 0.15, 0, map[string]int{list: ws, one: 1}) // one read too many
		add("restapi", n, "plan-peer", 3*f, 0, map[string]int{one: 2 * n})
	}
	add("rocketchat", 200, "apply-peer-lat", 8, 0, map[string]int{"POST /v1/workspaces/{workspace_id}/firewall-rules": 200})
	add("rocketchat-set", 200, "apply-peer-lat", 0.5, 0, map[string]int{put: 2, "GET /v1/workspaces/{workspace_id}": 4}) // 3 per workspace
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	sec := writeRules(w, med, []int{100, 200}, "benchmarks.svg")
	page := b.String()
	for _, want := range []string{
		"| 0 ms | 100 | apply | 1.00 | 2.00 | 2.20 | 0.05 | 0.06 | 0.08 | 0.10 | 3.00 | - | 22.00x | 1.25x | 2.20x | 1.36x | - |",
		"| 0 ms | 200 | plan | - | - | 3.00 | - | - | - | 0.15 | 6.00 | - | 20.00x | - | - | 2.00x | - |",
		"| +30ms a request | 200 | apply | - | - | 8.00 | - | - | - | 0.50 | - | - | 16.00x | - | - | - | - |",
		"| 0 ms | apply | rocketchat_firewall_rules (set per workspace) | 4 | 2.00 | 0.020 (0.010, 0.000, 0.010) | 58.6 MB |",
		"restapi v3.0.0: not measured in this run: no binary. `BENCH_PEER_V3_PROVIDER` names a binary",
		"![Wall time against N for each variant and phase](benchmarks.svg)",
		"v1.20.0 (pinned since the first benchmark) and v3.0.0 (its newest release)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("missing %q in:\n%s", want, page)
		}
	}
	got := map[string]bool{}
	for _, tg := range sec.targets {
		got[tg.name] = tg.met
	}
	for name, met := range map[string]bool{
		"firewall rule set apply at N=200, 0 ms: >= 20x faster than per-rule":        true,
		"firewall rule set refresh plan at N=200, 0 ms: >= 20x faster than per-rule": true,
		"firewall rule set apply at N=200, 30ms: >= 20x faster than per-rule":        false,
		"firewall rule set apply at N=200: <= 2 requests per workspace":              false, // 6 requests at 30ms
		"firewall rule set refresh at N=200: 1 listing per workspace, nothing else":  false,
		"firewall rule set peak RSS at N=200 <= per-rule's":                          true,
	} {
		if m, ok := got[name]; !ok || m != met {
			t.Errorf("target %q: present %v, met %v; want met %v (targets %+v)", name, ok, m, met, sec.targets)
		}
	}
	for _, tg := range sec.targets {
		if tg.name == "firewall rule set apply at N=200, 0 ms: >= 20x faster than per-rule" &&
			!strings.Contains(tg.measured, "the most possible: 55.0x for any plugin-framework provider (noop_firewall_rules (no-op floor of the set) 0.08 s), 73.3x for any provider (terraform-plugin-go alone) (raw_firewall_rules (set floor, no framework) 0.06 s), 88.0x for Terraform alone, no plugin (terraform_data per workspace (floor of the set) 0.05 s)") {
			t.Errorf("the apply target does not say what the floors allow: %q", tg.measured)
		}
	}
	if len(sec.targets) != 6 {
		t.Errorf("%d targets: %+v", len(sec.targets), sec.targets)
	}

	// The chart: one series per variant in each phase's panel, the 0 ms
	// runs only, one point per N measured.
	c := parseChart(t, sec.svg)
	if len(c.Panels) != 2 || strings.Contains(page, "| destroy |") { // no destroy was run
		t.Fatalf("%d panels; page:\n%s", len(c.Panels), page)
	}
	apply := c.Panels[0]
	var measured []string // restapi-v3 was not: no series, no legend entry
	for _, v := range ruleVariants {
		if v != "restapi-v3" {
			measured = append(measured, v)
		}
	}
	if len(apply.Series) != len(measured) || len(c.Legend) != len(measured) {
		t.Fatalf("apply panel: %d series, %d legend entries, want %d", len(apply.Series), len(c.Legend), len(measured))
	}
	for i, s := range apply.Series {
		if s.Label != variantLabel(measured[i]) || len(s.Circles) != 2 || c.Legend[i].Label != s.Label {
			t.Errorf("apply series %d: %q with %d points, want %q with 2", i, s.Label, len(s.Circles), variantLabel(measured[i]))
		}
	}

	// A legend column is as wide as a panel: a label longer than about 48
	// characters runs into the next column's line.
	for _, v := range ruleVariants {
		if l := variantLabel(v); len(l) > 48 {
			t.Errorf("legend label %q has %d characters; at most 48 fit a legend column", l, len(l))
		}
	}

	b.Reset()
	if sec := writeRules(w, map[key]Result{}, []int{100}, ""); sec.svg != nil || !strings.Contains(b.String(), "Not measured in this run.") {
		t.Errorf("nothing measured: %q", b.String())
	}
}
