package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// The peer scenario: N firewall rules, peerPerWorkspace to a workspace, in
// Premium workspaces that exist beforehand (seeded, see cmdSeed): one set of
// workspaces for the rocketchat provider and one for the REST provider, so
// both manage the same rules side by side (priorities are unique per
// workspace). Premium allows 250 rules per workspace.
const (
	peerPerWorkspace = 100
	peerTier         = catalog.Premium
	// peerModule is the pinned peer, Mastercard/terraform-provider-restapi;
	// internal/scripts/bench.sh reads it (`benchreport peer`), installs it
	// and puts it in the mirror under peerVersion.
	peerModule  = "github.com/Mastercard/terraform-provider-restapi"
	peerVersion = "1.20.0"
)

// peerWorkspaces is the number of workspaces that hold n rules.
func peerWorkspaces(n int) int { return (n + peerPerWorkspace - 1) / peerPerWorkspace }

// peerWorkspaceID is the fixed ID of workspace w of a provider's set.
func peerWorkspaceID(provider string, w int) string { return fmt.Sprintf("ws-peer-%s-%d", provider, w) }

// genPeer writes n firewall rules for provider rocketchat (rocketchat_firewall_rule),
// restapi (restapi_object, configured as its documentation says for a JSON
// API that answers every write with the object) or terraform_data (the
// floor: the same values in Terraform's built-in resource).
func genPeer(b *strings.Builder, provider string, n int, uri, token string) {
	q := strconv.Quote
	switch provider {
	case "rocketchat":
		b.WriteString("terraform {\n  required_providers {\n    rocketchat = { source = \"rocketchat/rocketchat\" }\n  }\n}\n\nprovider \"rocketchat\" {}\n")
	case "restapi":
		fmt.Fprintf(b, "terraform {\n  required_providers {\n    restapi = {\n      source  = \"mastercard/restapi\"\n      version = %q\n    }\n  }\n}\n\n", peerVersion)
		// The emulator answers every POST and PATCH with the object (no read
		// after a write), replaces a rule with PATCH, and takes bearer tokens.
		fmt.Fprintf(b, "provider \"restapi\" {\n  uri                  = %s\n  id_attribute         = \"id\"\n  write_returns_object = true\n"+
			"  update_method        = \"PATCH\"\n  headers = {\n    Authorization  = %s\n    \"Content-Type\" = \"application/json\"\n  }\n}\n",
			q(uri), q("Bearer "+token))
	}
	wsProvider := provider
	if provider == "terraform_data" {
		wsProvider = "rocketchat"
	}
	for i := range n {
		r := ruleAt(i, peerPerWorkspace)
		ws := peerWorkspaceID(wsProvider, i/peerPerWorkspace)
		attrs := [][2]string{{"cidr", q(r.CIDR)}, {"action", q(r.Action)}, {"protocol", q(r.Protocol)},
			{"port_range", q(r.PortRange)}, {"priority", strconv.FormatInt(r.Priority, 10)}}
		withWS := append([][2]string{{"workspace_id", q(ws)}}, attrs...)
		switch provider {
		case "rocketchat":
			fmt.Fprintf(b, "\nresource \"rocketchat_firewall_rule\" \"r%d\" {\n", i)
			writeAttrs(b, "  ", withWS)
			b.WriteString("}\n")
		case "restapi":
			fmt.Fprintf(b, "\nresource \"restapi_object\" \"r%d\" {\n  path = %s\n  data = jsonencode({\n", i,
				q(strings.Replace(api.RouteFirewallRules, "{workspace_id}", ws, 1)))
			writeAttrs(b, "    ", attrs)
			b.WriteString("  })\n}\n")
		default:
			fmt.Fprintf(b, "\nresource \"terraform_data\" \"r%d\" {\n  input = {\n", i)
			writeAttrs(b, "    ", withWS)
			b.WriteString("  }\n}\n")
		}
	}
}

// peerSeed is the estate the peer scenario starts from: in the organization
// of the API token, one Premium plan and workspace for every peerPerWorkspace
// rules, for each of the two providers.
func peerSeed(n int, org string) *emulator.Seed {
	o := emulator.SeedOrganization{Name: org}
	for _, provider := range []string{"rocketchat", "restapi"} {
		for w := range peerWorkspaces(n) {
			key := fmt.Sprintf("peer-%s-%d", provider, w)
			o.Plans = append(o.Plans, emulator.SeedPlan{Key: key, ID: "pln-" + key,
				PlanInput: api.PlanInput{Tier: string(peerTier), Region: catalog.DefaultRegion}})
			o.Workspaces = append(o.Workspaces, emulator.SeedWorkspace{ID: peerWorkspaceID(provider, w),
				Name: fmt.Sprintf("Peer %s %d", provider, w), Subdomain: key, Plan: key})
		}
	}
	return &emulator.Seed{Organizations: []emulator.SeedOrganization{o}}
}

func cmdSeed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("n", 100, "firewall rules per provider")
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
