package main

import (
	"fmt"
	"os"
)

// peerScenarios are the phase suffixes of the peer scenario's runs: against
// the emulator as is, and with latency.
var peerScenarios = []struct{ suffix, label string }{{"-peer", "0 ms"}, {"-peer-lat", ""}}

// writePeer writes the peer section (rocketchat and restapi managing the same
// firewall rules, terraform_data the floor) and returns its stdout summary.
func writePeer(w func(string, ...any), med map[key]Result, sizes []int) []string {
	peerN := 0
	for _, n := range sizes {
		if _, ok := med[key{"restapi", n, "apply-peer"}]; ok {
			peerN = n
		}
	}
	if peerN == 0 {
		if why := os.Getenv("BENCH_PEER_SKIPPED"); why != "" {
			w("Not measured in this run: %s. To compare Mastercard's terraform-provider-restapi managing the same firewall rules, "+
				"run `make bench` where it installs, or with `BENCH_PEER_PROVIDER` naming a binary of v%s built elsewhere.\n", why, peerVersion)
		} else {
			w("Not measured in this run.\n")
		}
		return nil
	}
	w("The same N = %d firewall rules managed by `rocketchat_firewall_rule` and by `restapi_object` of Mastercard's generic REST provider "+
		"(terraform-provider-restapi v%s, pinned), against the same emulator, each provider in its own %s that the emulator's "+
		"seed creates beforehand (%d rules a workspace); `terraform_data` holding the same values is the floor. "+
		"The REST provider is configured for this API as its documentation says: `id_attribute = \"id\"`, `write_returns_object = true` "+
		"(the API answers every POST and PATCH with the object, so no read follows a write), `update_method = \"PATCH\"`, "+
		"the bearer token and `Content-Type: application/json` in `headers`; each rule is `path = \"/v1/workspaces/<id>/firewall-rules\"` "+
		"and `data = jsonencode({cidr, action, protocol, port_range, priority})`. "+
		"Phases as above, interleaved: `apply` from empty, refresh `plan` (`-detailed-exitcode` must be 0, no changes, for all three), `destroy`; "+
		"requests per object = the emulator's requests of the phase / N (GET one, list, write).\n\n",
		peerN, peerVersion, plural(peerWorkspaces(peerN), "Premium workspace"), peerPerWorkspace)
	w("| scenario | phase | terraform_data | rocketchat | rocketchat / terraform_data | restapi | restapi / terraform_data | restapi / rocketchat | " +
		"requests / object, rocketchat (GET one, list, write) | requests / object, restapi (GET one, list, write) |\n|---|---|---|---|---|---|---|---|---|---|\n")
	perObj := func(r Result, ok bool) string {
		if !ok || r.Requests == nil {
			return "-"
		}
		s := classify(r.Requests)
		fn := float64(peerN)
		return fmt.Sprintf("%.2f (%.2f, %.2f, %.2f)", float64(s.total)/fn, float64(s.get)/fn, float64(s.list)/fn, float64(s.write)/fn)
	}
	var lines []string
	for _, sc := range peerScenarios {
		label := sc.label
		if label == "" {
			label = "+" + latencyLabel() + " a request"
		}
		for _, ph := range []string{"apply", "plan", "destroy"} {
			p := ph + sc.suffix
			td, ok1 := med[key{"terraform_data", peerN, p}]
			rc, ok2 := med[key{"rocketchat", peerN, p}]
			ra, ok3 := med[key{"restapi", peerN, p}]
			if !ok2 && !ok3 {
				continue
			}
			w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, ph, secs(td, ok1), secs(rc, ok2), ratio(rc, td, ok1 && ok2),
				secs(ra, ok3), ratio(ra, td, ok1 && ok3), ratio(ra, rc, ok2 && ok3), perObj(rc, ok2), perObj(ra, ok3))
			lines = append(lines, fmt.Sprintf("  %-22s %-8s rocketchat %7s s (%s tf_data)  restapi %7s s (%s tf_data)  restapi/rocketchat %s  requests/object %s vs %s",
				label, ph, secs(rc, ok2), ratio(rc, td, ok1 && ok2), secs(ra, ok3), ratio(ra, td, ok1 && ok3), ratio(ra, rc, ok2 && ok3),
				perObj(rc, ok2), perObj(ra, ok3)))
		}
	}
	var rssRC, rssRA int64
	for _, ph := range []string{"apply", "plan", "destroy"} {
		rssRC = max(rssRC, med[key{"rocketchat", peerN, ph + "-peer"}].PeakRSS)
		rssRA = max(rssRA, med[key{"restapi", peerN, ph + "-peer"}].PeakRSS)
	}
	w("\nProvider peak RSS (0 ms, the largest of the three phases): rocketchat %s, restapi %s.\n", mb(rssRC), mb(rssRA))
	if len(lines) > 0 {
		lines = append([]string{fmt.Sprintf("==> the peer: %d firewall rules, rocketchat vs restapi v%s (median wall time)", peerN, peerVersion)}, lines...)
	}
	return lines
}
