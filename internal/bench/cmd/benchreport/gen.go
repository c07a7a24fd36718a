package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Objects per unit: 1 plan tier (premium), 1 workspace, 2 custom domains,
// 5 firewall rules, 1 static IP. Within the premium quotas (static IPs 4,
// firewall rules 250, domains 20); subdomains and hostnames are unique.
const unitSize = 10

func cmdGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	kind := fs.String("kind", "rocketchat", "rocketchat, noop, terraform_data, or peer-VARIANT (a variant of the firewall rules scenario: "+strings.Join(ruleVariants, ", ")+")")
	n := fs.Int("n", 100, "number of objects (a multiple of 10)")
	dir := fs.String("dir", "", "output directory")
	uri := fs.String("uri", "", "peer-restapi*: the emulator's URL")
	token := fs.String("token", "", "peer-restapi*: the API token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *n%unitSize != 0 {
		return fmt.Errorf("-n must be a positive multiple of %d", unitSize)
	}
	var b strings.Builder
	switch *kind {
	case "rocketchat", "noop":
		fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = { source = \"rocketchat/%s\" }\n  }\n}\n\nprovider %q {}\n", *kind, *kind, *kind)
	case "terraform_data":
	default:
		variant, ok := strings.CutPrefix(*kind, "peer-")
		if !ok {
			return fmt.Errorf("unknown -kind %q", *kind)
		}
		if err := genPeer(&b, variant, *n, *uri, *token); err != nil {
			return err
		}
	}
	if !strings.HasPrefix(*kind, "peer-") {
		for u := range *n / unitSize {
			genUnit(&b, *kind, u)
		}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*dir, "main.tf"), []byte(b.String()), 0o644)
}

// ruleAt is the i-th firewall rule of a generated estate: rule k of unit u
// (i = 5u+k) as genUnit writes it (every unit's workspace holds 5), with a
// priority unique among the perWorkspace rules of its workspace.
func ruleAt(i, perWorkspace int) api.FirewallRuleInput {
	u, k := i/5, i%5
	return api.FirewallRuleInput{CIDR: fmt.Sprintf("10.%d.%d.%d/27", u/250, u%250, k*32), Action: "allow",
		Protocol: api.DefaultFirewallProtocol, PortRange: strconv.Itoa(8000 + k), Priority: int64(100 + i%perWorkspace)}
}

// writeAttrs writes one attribute a line, aligned as terraform fmt does.
func writeAttrs(b *strings.Builder, indent string, attrs [][2]string) {
	width := 0
	for _, a := range attrs {
		width = max(width, len(a[0]))
	}
	for _, a := range attrs {
		fmt.Fprintf(b, "%s%-*s = %s\n", indent, width, a[0], a[1])
	}
}

func genUnit(b *strings.Builder, kind string, u int) {
	type obj struct {
		typ, name string
		attrs     [][2]string // name, HCL expression
	}
	ref := func(typ, name string) string {
		if kind == "terraform_data" {
			return "terraform_data." + name + ".id"
		}
		return kind + "_" + typ + "." + name + ".id"
	}
	q := strconv.Quote
	ws := fmt.Sprintf("w%d", u)
	objs := []obj{
		{"plan_tier", fmt.Sprintf("p%d", u), [][2]string{{"tier", q("premium")}}},
		{"workspace", ws, [][2]string{{"name", q(fmt.Sprintf("Bench %d", u))}, {"subdomain", q(fmt.Sprintf("bench-%d", u))},
			{"plan_id", ref("plan_tier", fmt.Sprintf("p%d", u))}}},
	}
	for k := range 2 {
		objs = append(objs, obj{"custom_domain", fmt.Sprintf("d%d_%d", u, k), [][2]string{
			{"workspace_id", ref("workspace", ws)}, {"hostname", q(fmt.Sprintf("chat%d.bench-%d.example.com", k, u))}}})
	}
	for k := range 5 {
		r := ruleAt(u*5+k, 5)
		objs = append(objs, obj{"firewall_rule", fmt.Sprintf("f%d_%d", u, k), [][2]string{
			{"workspace_id", ref("workspace", ws)}, {"cidr", q(r.CIDR)},
			{"action", q(r.Action)}, {"port_range", q(r.PortRange)}, {"priority", strconv.FormatInt(r.Priority, 10)}}})
	}
	objs = append(objs, obj{"static_ip", fmt.Sprintf("s%d", u), [][2]string{
		{"workspace_id", ref("workspace", ws)}, {"purpose", q("outbound")}}})
	for _, o := range objs {
		if kind == "terraform_data" {
			fmt.Fprintf(b, "\nresource \"terraform_data\" %q {\n  input = {\n", o.name)
			writeAttrs(b, "    ", o.attrs)
			b.WriteString("  }\n}\n")
			continue
		}
		fmt.Fprintf(b, "\nresource \"%s_%s\" %q {\n", kind, o.typ, o.name)
		writeAttrs(b, "  ", o.attrs)
		b.WriteString("}\n")
	}
}
