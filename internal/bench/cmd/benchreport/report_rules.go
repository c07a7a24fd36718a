package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// The firewall rules scenario's section of the page: the same N rules as
// every variant (see ruleVariants), at each N against the emulator as is and
// at the largest N with latency; the chart of wall time against N; and the
// set's targets.

// peerScenarios are the phase suffixes of the scenario's runs: against the
// emulator as is, and with latency.
var peerScenarios = []struct{ suffix, label string }{{"-peer", "0 ms"}, {"-peer-lat", ""}}

// variantLabel is how the page names a variant of the scenario.
func variantLabel(v string) string {
	if p, ok := peerReleaseOf(v); ok {
		return "restapi v" + p.version
	}
	return map[string]string{
		"terraform_data":     "terraform_data",
		"noop":               "noop_firewall_rule (no-op floor)",
		"rocketchat":         "rocketchat_firewall_rule (per rule)",
		"rocketchat-set":     "rocketchat_firewall_rules (set per workspace)",
		"noop-set":           "noop_firewall_rules (no-op floor of the set)",
		"raw-set":            "raw_firewall_rules (set floor, no framework)",
		"terraform_data-set": "terraform_data per workspace (floor of the set)",
	}[v]
}

// rulesTarget is one of the set's targets, judged at the largest N.
type rulesTarget struct {
	name, measured string
	met            bool
}

// rulesSection is what writeRules hands back to the report: the chart, the
// targets and the stdout summary.
type rulesSection struct {
	svg     []byte
	targets []rulesTarget
	lines   []string
}

// skippedPeers reads BENCH_PEER_SKIPPED: a line "KIND: why" per peer release
// that bench.sh could not run.
func skippedPeers() map[string]string {
	out := map[string]string{}
	for line := range strings.Lines(os.Getenv("BENCH_PEER_SKIPPED")) {
		if k, why, ok := strings.Cut(strings.TrimSpace(line), ": "); ok {
			out[k] = why
		}
	}
	return out
}

// writeRules writes the firewall rules section; svgName is the chart's file
// name beside the page ("" for none).
func writeRules(w func(string, ...any), med map[key]Result, sizes []int, svgName string) rulesSection {
	var ns []int // the N at which the scenario ran (0 ms)
	for _, n := range sizes {
		if _, ok := med[key{"rocketchat", n, "apply-peer"}]; ok {
			ns = append(ns, n)
		}
	}
	var sec rulesSection
	if len(ns) == 0 {
		w("Not measured in this run.\n")
		return sec
	}
	bigN := ns[len(ns)-1]
	var peerDesc []string
	for _, p := range peerReleases {
		peerDesc = append(peerDesc, fmt.Sprintf("v%s (%s)", p.version, p.note))
	}
	latNote := ""
	if _, ok := med[key{"rocketchat", bigN, "apply-peer-lat"}]; ok {
		latNote = fmt.Sprintf("; at N = %d also with %s added to every request", bigN, latencyLabel())
	}
	w("N firewall rules (N = %s%s), %d to a Premium workspace that the emulator's seed creates beforehand, "+
		"managed four ways against the same emulator, each way in its own workspaces: one `rocketchat_firewall_rule` per rule, one "+
		"`rocketchat_firewall_rules` per workspace (the whole set in one resource), and one `restapi_object` per rule with Mastercard's "+
		"generic REST provider (terraform-provider-restapi) at two releases, %s. Each shape has its floors, the same values "+
		"in resources that cost nothing: per rule, `noop_firewall_rule` (the no-op provider: the floor of any provider built on "+
		"terraform-plugin-framework) and `terraform_data` (no plugin at all); per workspace, `noop_firewall_rules`, "+
		"`raw_firewall_rules` (a provider written on terraform-plugin-go alone, `internal/bench/rawprovider`: the floor of any "+
		"provider, whatever its SDK) and a `terraform_data` whose `input` holds the workspace's rules. No provider of the set's "+
		"shape can be faster than its floors: per rule / floor of the set is the most any such provider could gain. Phases as above, interleaved: `apply` from empty, "+
		"refresh `plan` (`-detailed-exitcode` must be 0, no changes, for every variant), `destroy`.\n\n",
		joinInts(ns), latNote, peerPerWorkspace, strings.Join(peerDesc, " and "))
	w("The REST provider is configured for this API as its documentation says: `id_attribute = \"id\"`, `write_returns_object = true` " +
		"(the API answers every POST and PATCH with the object, so no read follows a write), `update_method = \"PATCH\"`, " +
		"`Content-Type: application/json`, and the bearer token (v1.20.0: in `headers`; v3.0.0: `bearer_token`); each rule is " +
		"`path = \"/v1/workspaces/<id>/firewall-rules\"` and `data = jsonencode({cidr, action, protocol, port_range, priority})`. " +
		"v3.0.0 compares `data` with the API's answer on refresh, so its objects also set `ignore_server_additions = true` " +
		"(the fields the API adds, `id`, `workspace_id` and the timestamps, are not drift); without it every refresh plans a change. " +
		"Both releases are built from their tagged source (the module proxy refuses the module; v3.0.0's `go.mod` keeps the path " +
		"without `/v3`, so no proxy can serve it as v3) and given to `make bench` in `BENCH_PEER_PROVIDER` and `BENCH_PEER_V3_PROVIDER`.\n\n")
	skipped := skippedPeers()
	for _, p := range peerReleases {
		if why, ok := skipped[p.kind]; ok {
			w("- restapi v%s: not measured in this run: %s. `%s` names a binary of v%s built from its tagged source.\n", p.version, why, p.env, p.version)
		}
	}
	if len(skipped) > 0 {
		w("\n")
	}
	if svgName != "" {
		w("![Wall time against N for each variant and phase](%s)\n\n", svgName)
		w("*Wall time against N (0 ms latency), one line per variant, median of the runs; the chart is `%s` beside this page.*\n\n", svgName)
	}

	// Wall times and ratios.
	w("| latency | N | phase |")
	for _, v := range ruleVariants {
		w(" %s |", variantLabel(v))
	}
	w(" per rule / set | set / its no-op floor | per rule / terraform_data |")
	for _, p := range peerReleases {
		w(" restapi v%s / per rule |", p.version)
	}
	w("\n|%s\n", strings.Repeat("---|", 3+len(ruleVariants)+3+len(peerReleases)))
	type row struct {
		label, suffix string
		n             int
	}
	var rows []row
	for _, n := range ns {
		rows = append(rows, row{"0 ms", "-peer", n})
	}
	latLabel := "+" + latencyLabel() + " a request"
	if _, ok := med[key{"rocketchat", bigN, "apply-peer-lat"}]; ok {
		rows = append(rows, row{latLabel, "-peer-lat", bigN})
	}
	for _, r := range rows {
		for _, ph := range []string{"apply", "plan", "destroy"} {
			get := func(v string) (Result, bool) { res, ok := med[key{v, r.n, ph + r.suffix}]; return res, ok }
			if !slices.ContainsFunc(ruleVariants, func(v string) bool { _, ok := get(v); return ok }) {
				continue // a phase not run (BENCH_RULES_DESTROY=0)
			}
			per, okPer := get("rocketchat")
			w("| %s | %d | %s |", r.label, r.n, ph)
			for _, v := range ruleVariants {
				res, ok := get(v)
				w(" %s |", secs(res, ok))
			}
			set, okSet := get("rocketchat-set")
			noopSet, okNoopSet := get("noop-set")
			td, okTD := get("terraform_data")
			w(" %s | %s | %s |", ratio(per, set, okPer && okSet), ratio(set, noopSet, okSet && okNoopSet), ratio(per, td, okPer && okTD))
			for _, p := range peerReleases {
				res, ok := get(p.kind)
				w(" %s |", ratio(res, per, ok && okPer))
			}
			w("\n")
			line := fmt.Sprintf("  %-18s N=%-5d %-8s", r.label, r.n, ph)
			for _, v := range ruleVariants {
				res, ok := get(v)
				line += fmt.Sprintf(" %s %s", v, secs(res, ok))
			}
			sec.lines = append(sec.lines, line+"  per-rule/set "+ratio(per, set, okPer && okSet))
		}
	}

	// Requests and memory at the largest N.
	wsN := peerWorkspaces(bigN)
	w("\nRequests (the emulator's counters for the phase) and provider peak RSS at N = %d (%s per variant):\n\n", bigN, plural(wsN, "workspace"))
	w("| latency | phase | variant | requests | per workspace | per rule (GET one, list, write) | provider peak RSS |\n|---|---|---|---|---|---|---|\n")
	for _, sc := range peerScenarios {
		label := sc.label
		if label == "" {
			label = latLabel
		}
		for _, ph := range []string{"apply", "plan", "destroy"} {
			for _, v := range ruleOwners {
				res, ok := med[key{v, bigN, ph + sc.suffix}]
				if !ok || res.Requests == nil {
					continue
				}
				s := classify(res.Requests)
				fn := float64(bigN)
				w("| %s | %s | %s | %d | %.2f | %.3f (%.3f, %.3f, %.3f) | %s |\n", label, ph, variantLabel(v), s.total, float64(s.total)/float64(wsN),
					float64(s.total)/fn, float64(s.get)/fn, float64(s.list)/fn, float64(s.write)/fn, mb(res.PeakRSS))
			}
		}
	}

	// The set's targets, at the largest N.
	for _, sc := range peerScenarios {
		label := sc.label
		if label == "" {
			label = latencyLabel()
		}
		for _, ph := range []string{"apply", "plan"} {
			per, ok1 := med[key{"rocketchat", bigN, ph + sc.suffix}]
			set, ok2 := med[key{"rocketchat-set", bigN, ph + sc.suffix}]
			if !ok1 || !ok2 || set.Seconds == 0 {
				continue
			}
			r := per.Seconds / set.Seconds
			name := map[string]string{"apply": "apply", "plan": "refresh plan"}[ph]
			measured := fmt.Sprintf("%.1fx (%.2f s vs %.2f s)", r, set.Seconds, per.Seconds)
			// The most any provider of the set's shape could reach: per rule
			// against the set's floors in the same run.
			var ceilings []string
			for _, f := range []struct{ v, who string }{{"noop-set", "any plugin-framework provider"},
				{"raw-set", "any provider (terraform-plugin-go alone)"}, {"terraform_data-set", "Terraform alone, no plugin"}} {
				if fl, ok := med[key{f.v, bigN, ph + sc.suffix}]; ok && fl.Seconds > 0 {
					ceilings = append(ceilings, fmt.Sprintf("%.1fx for %s (%s %.2f s)", per.Seconds/fl.Seconds, f.who, variantLabel(f.v), fl.Seconds))
				}
			}
			if len(ceilings) > 0 {
				measured += "; the most possible: " + strings.Join(ceilings, ", ")
			}
			sec.targets = append(sec.targets, rulesTarget{fmt.Sprintf("firewall rule set %s at N=%d, %s: >= 20x faster than per-rule", name, bigN, label),
				measured, r >= 20})
		}
	}
	reqTarget := func(ph, name string, judge func(reqSummary) bool, describe func(reqSummary) string) {
		var worst []string
		met, seen := true, false
		for _, sc := range peerScenarios {
			set, ok := med[key{"rocketchat-set", bigN, ph + sc.suffix}]
			if !ok || set.Requests == nil {
				continue
			}
			seen = true
			s := classify(set.Requests)
			met = met && judge(s)
			worst = append(worst, describe(s))
		}
		if seen {
			sec.targets = append(sec.targets, rulesTarget{name, strings.Join(worst, "; ") + fmt.Sprintf(" for %s", plural(wsN, "workspace")), met})
		}
	}
	reqTarget("apply", fmt.Sprintf("firewall rule set apply at N=%d: <= 2 requests per workspace", bigN),
		func(s reqSummary) bool { return s.total <= 2*wsN },
		func(s reqSummary) string { return fmt.Sprintf("%d requests (%d writes)", s.total, s.write) })
	reqTarget("plan", fmt.Sprintf("firewall rule set refresh at N=%d: 1 listing per workspace, nothing else", bigN),
		func(s reqSummary) bool { return s.list <= wsN && s.total == s.list },
		func(s reqSummary) string { return fmt.Sprintf("%d listings, %d other", s.list, s.total-s.list) })
	var rssPer, rssSet int64
	for _, ph := range []string{"apply", "plan", "destroy"} {
		rssPer = max(rssPer, med[key{"rocketchat", bigN, ph + "-peer"}].PeakRSS)
		rssSet = max(rssSet, med[key{"rocketchat-set", bigN, ph + "-peer"}].PeakRSS)
	}
	if rssPer > 0 && rssSet > 0 {
		sec.targets = append(sec.targets, rulesTarget{fmt.Sprintf("firewall rule set peak RSS at N=%d <= per-rule's", bigN),
			fmt.Sprintf("%s vs %s", mb(rssSet), mb(rssPer)), rssSet <= rssPer})
	}

	// The chart: wall time against N at 0 ms, a panel per phase.
	var labels []string // the variants measured
	for _, v := range ruleVariants {
		for _, n := range ns {
			if _, ok := med[key{v, n, "apply-peer"}]; ok {
				labels = append(labels, variantLabel(v))
				break
			}
		}
	}
	var panels []chartPanel
	for _, ph := range []string{"apply", "plan", "destroy"} {
		p := chartPanel{title: map[string]string{"apply": "apply from empty", "plan": "refresh plan", "destroy": "destroy"}[ph]}
		for _, v := range ruleVariants {
			s := chartSeries{label: variantLabel(v)}
			for _, n := range ns {
				if res, ok := med[key{v, n, ph + "-peer"}]; ok {
					s.points = append(s.points, chartPoint{float64(n), res.Seconds})
				}
			}
			p.series = append(p.series, s)
		}
		if slices.ContainsFunc(p.series, func(s chartSeries) bool { return len(s.points) > 0 }) {
			panels = append(panels, p)
		}
	}
	var titles []string
	for _, p := range panels {
		titles = append(titles, p.title)
	}
	sec.svg = svgChart("Firewall rules: wall time against N", "Wall time of "+strings.Join(titles, ", ")+" for N firewall rules, "+
		"per variant, against the emulator without latency (make bench, one run on a shared 2-core machine).",
		"N (firewall rules)", "wall time (s)", labels, panels)
	sec.lines = append([]string{fmt.Sprintf("==> firewall rules: N = %s, every variant (median wall time, s)", joinInts(ns))}, sec.lines...)
	return sec
}

func joinInts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, fmt.Sprint(n))
	}
	return strings.Join(s, ", ")
}
