package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// The firewall rules scenario: N firewall rules, peerPerWorkspace to a
// workspace, in Premium workspaces that exist beforehand (seeded, see
// cmdSeed), each variant in its own workspaces so that all manage the same
// rules side by side (priorities are unique per workspace): one
// rocketchat_firewall_rule per rule, one rocketchat_firewall_rules set per
// workspace, and the peer's restapi_object per rule at each of its releases;
// noop_firewall_rule and terraform_data holding the same values are the
// floors. Premium allows 250 rules per workspace.
const (
	peerPerWorkspace = 100
	peerTier         = catalog.Premium
	// peerModule is the peer, Mastercard/terraform-provider-restapi.
	peerModule = "github.com/Mastercard/terraform-provider-restapi"
)

// peerRelease is one release of the peer that `make bench` measures.
type peerRelease struct {
	kind    string // its variant in the results (and -kind peer-KIND of gen)
	version string
	note    string // why it is measured, for the page
	// env names the variable by which internal/scripts/bench.sh takes a
	// binary of this release built elsewhere.
	env string
	// goInstall says whether `go install peerModule@vVERSION` can work at
	// all: v3.0.0's go.mod keeps the module path without /v3, so no module
	// proxy can serve it as v3 and it is built from its tagged source only.
	goInstall bool
}

// peerReleases are the peer's releases measured: the one pinned since the
// first benchmark, and the newest. bench.sh reads them (`benchreport peer`)
// and puts each binary in the mirror under its version.
var peerReleases = []peerRelease{
	{kind: "restapi", version: "1.20.0", note: "pinned since the first benchmark", env: "BENCH_PEER_PROVIDER", goInstall: true},
	{kind: "restapi-v3", version: "3.0.0", note: "its newest release", env: "BENCH_PEER_V3_PROVIDER"},
}

func peerReleaseOf(kind string) (peerRelease, bool) {
	for _, p := range peerReleases {
		if p.kind == kind {
			return p, true
		}
	}
	return peerRelease{}, false
}

// peerLines is what `benchreport peer` prints for bench.sh: a line per
// release, "KIND VERSION ENV INSTALL", INSTALL being module@version for go
// install or "-" where that cannot work.
func peerLines() string {
	var b strings.Builder
	for _, p := range peerReleases {
		install := "-"
		if p.goInstall {
			install = peerModule + "@v" + p.version
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", p.kind, p.version, p.env, install)
	}
	return b.String()
}

// ruleVariants are the firewall rules scenario's variants, in the order the
// page shows them; ruleOwners are those that own seeded workspaces (the
// floors name the workspaces of the variant they are the floor of, which they
// never call). Each shape has its floors: per rule, noop_firewall_rule (any
// plugin-framework provider) and terraform_data (no plugin at all); one
// resource per workspace, noop_firewall_rules, raw_firewall_rules (any
// provider: terraform-plugin-go without the framework) and terraform_data
// holding the same rules. No provider of a shape is faster than its floors.
var (
	ruleVariants = []string{"terraform_data", "noop", "rocketchat", "terraform_data-set", "raw-set", "noop-set", "rocketchat-set", "restapi", "restapi-v3"}
	ruleOwners   = []string{"rocketchat", "rocketchat-set", "restapi", "restapi-v3"}
)

// isSetVariant tells the variants with one resource per workspace.
func isSetVariant(v string) bool { return strings.HasSuffix(v, "-set") }

// peerWorkspaces is the number of workspaces that hold n rules.
func peerWorkspaces(n int) int { return (n + peerPerWorkspace - 1) / peerPerWorkspace }

// peerWorkspaceID is the fixed ID of workspace w of a variant's set.
func peerWorkspaceID(variant string, w int) string { return fmt.Sprintf("ws-peer-%s-%d", variant, w) }

// genPeer writes n firewall rules as variant (see ruleVariants): the
// rocketchat provider's rocketchat_firewall_rule per rule, or one
// rocketchat_firewall_rules per workspace; restapi_object of a peer release,
// configured as its documentation says for a JSON API that answers every
// write with the object; or the floors of either shape, the no-op provider's
// resources and terraform_data with the same values.
func genPeer(b *strings.Builder, variant string, n int, uri, token string) error {
	q := strconv.Quote
	peer, isPeer := peerReleaseOf(variant)
	base := strings.TrimSuffix(variant, "-set")
	switch {
	case base == "rocketchat" || base == "noop" || variant == "raw-set":
		fmt.Fprintf(b, "terraform {\n  required_providers {\n    %s = { source = \"rocketchat/%s\" }\n  }\n}\n\nprovider %q {}\n", base, base, base)
	case isPeer:
		if uri == "" || token == "" {
			return fmt.Errorf("-kind peer-%s needs -uri and -token", variant)
		}
		fmt.Fprintf(b, "terraform {\n  required_providers {\n    restapi = {\n      source  = \"mastercard/restapi\"\n      version = %q\n    }\n  }\n}\n\n", peer.version)
		// The emulator answers every POST and PATCH with the object (no read
		// after a write), replaces a rule with PATCH, and takes bearer
		// tokens: v1 sends one as a header, v3 has bearer_token for it.
		b.WriteString("provider \"restapi\" {\n")
		attrs := [][2]string{{"uri", q(uri)}}
		headers := [][2]string{{"Authorization", q("Bearer " + token)}, {q("Content-Type"), q("application/json")}}
		if variant == "restapi-v3" {
			attrs = append(attrs, [2]string{"bearer_token", q(token)})
			headers = headers[1:]
		}
		attrs = append(attrs, [][2]string{{"id_attribute", q("id")}, {"write_returns_object", "true"}, {"update_method", q(http.MethodPatch)}}...)
		writeAttrs(b, "  ", attrs)
		b.WriteString("  headers = {\n")
		writeAttrs(b, "    ", headers)
		b.WriteString("  }\n}\n")
	case base == "terraform_data":
	default:
		return fmt.Errorf("unknown firewall rules variant %q", variant)
	}
	wsVariant := variant
	switch variant {
	case "terraform_data", "noop":
		wsVariant = "rocketchat"
	case "terraform_data-set", "noop-set", "raw-set":
		wsVariant = "rocketchat-set"
	}
	ruleAttrs := func(r api.FirewallRuleInput) [][2]string {
		return [][2]string{{"cidr", q(r.CIDR)}, {"action", q(r.Action)}, {"protocol", q(r.Protocol)}, {"port_range", q(r.PortRange)}}
	}
	if isSetVariant(variant) {
		// One resource per workspace, its rules keyed by priority; the
		// terraform_data floor holds the same object in its input.
		for w := range peerWorkspaces(n) {
			ws := q(peerWorkspaceID(wsVariant, w))
			indent := "  "
			if base == "terraform_data" {
				fmt.Fprintf(b, "\nresource \"terraform_data\" \"w%d\" {\n  input = {\n    workspace_id = %s\n    rules = {\n", w, ws)
				indent = "    "
			} else {
				fmt.Fprintf(b, "\nresource \"%s_firewall_rules\" \"w%d\" {\n  workspace_id = %s\n  rules = {\n", base, w, ws)
			}
			for i := w * peerPerWorkspace; i < min(n, (w+1)*peerPerWorkspace); i++ {
				r := ruleAt(i, peerPerWorkspace)
				fmt.Fprintf(b, "%s  %q = {\n", indent, strconv.FormatInt(r.Priority, 10))
				writeAttrs(b, indent+"    ", ruleAttrs(r))
				b.WriteString(indent + "  }\n")
			}
			b.WriteString(indent + "}\n")
			if base == "terraform_data" {
				b.WriteString("  }\n")
			}
			b.WriteString("}\n")
		}
		return nil
	}
	for i := range n {
		r := ruleAt(i, peerPerWorkspace)
		ws := peerWorkspaceID(wsVariant, i/peerPerWorkspace)
		attrs := append(ruleAttrs(r), [2]string{"priority", strconv.FormatInt(r.Priority, 10)})
		withWS := append([][2]string{{"workspace_id", q(ws)}}, attrs...)
		switch {
		case variant == "rocketchat" || variant == "noop":
			fmt.Fprintf(b, "\nresource \"%s_firewall_rule\" \"r%d\" {\n", variant, i)
			writeAttrs(b, "  ", withWS)
			b.WriteString("}\n")
		case isPeer:
			fmt.Fprintf(b, "\nresource \"restapi_object\" \"r%d\" {\n", i)
			head := [][2]string{{"path", q(strings.Replace(api.RouteFirewallRules, "{workspace_id}", ws, 1))}}
			if variant == "restapi-v3" {
				// v3 compares data with the API's answer: the fields the API
				// adds (id, workspace_id, timestamps) are not drift.
				head = append(head, [2]string{"ignore_server_additions", "true"})
			}
			writeAttrs(b, "  ", head)
			b.WriteString("  data = jsonencode({\n")
			writeAttrs(b, "    ", attrs)
			b.WriteString("  })\n}\n")
		default:
			fmt.Fprintf(b, "\nresource \"terraform_data\" \"r%d\" {\n  input = {\n", i)
			writeAttrs(b, "    ", withWS)
			b.WriteString("  }\n}\n")
		}
	}
	return nil
}

// peerSeed is the estate the firewall rules scenario starts from: in the
// organization of the API token, one Premium plan and workspace for every
// peerPerWorkspace rules, for each variant that talks to the API.
func peerSeed(n int, org string) *emulator.Seed {
	o := emulator.SeedOrganization{Name: org}
	for _, variant := range ruleOwners {
		for w := range peerWorkspaces(n) {
			key := fmt.Sprintf("peer-%s-%d", variant, w)
			o.Plans = append(o.Plans, emulator.SeedPlan{Key: key, ID: "pln-" + key,
				PlanInput: api.PlanInput{Tier: string(peerTier), Region: catalog.DefaultRegion}})
			o.Workspaces = append(o.Workspaces, emulator.SeedWorkspace{ID: peerWorkspaceID(variant, w),
				Name: fmt.Sprintf("Peer %s %d", variant, w), Subdomain: key, Plan: key})
		}
	}
	return &emulator.Seed{Organizations: []emulator.SeedOrganization{o}}
}

func cmdSeed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("n", 100, "firewall rules per variant")
	org := fs.String("org", "demo", "the organization of the API token")
	out := fs.String("out", "", "the seed file to write (the emulator's -seed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *out == "" {
		return errors.New("seed: -n must be positive and -out set")
	}
	b, err := json.MarshalIndent(peerSeed(*n, *org), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}
