// Command benchreport is the Go half of `make bench` (internal/scripts/bench.sh):
//
//	benchreport gen    -kind rocketchat|noop|terraform_data -n N -dir DIR   write DIR/main.tf with N objects
//	benchreport gen    -kind peer-rocketchat|peer-restapi|peer-terraform_data -n N -dir DIR [-uri URL -token T]
//	                   N firewall rules only, in the workspaces of `benchreport seed` (the peer scenario)
//	benchreport seed   -n N -out FILE   the emulator seed of the peer scenario: the workspaces of N rules per provider
//	benchreport peer   print the pinned peer as module@version (for go install)
//	benchreport run    -kind K -n N -phase P -results F [-match BIN] [-emulator URL -admin-token T] -log L -- CMD...
//	                   run CMD, time it, watch the peak RSS (VmHWM) of processes running BIN,
//	                   count the emulator's requests, append one JSON line to F
//	benchreport load   -emulator URL -token T -duration D -conc C -results F   GET throughput of a running emulator
//	benchreport report -results F -gobench G -out FILE                    print the tables, write the guide page
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchreport gen|seed|peer|run|load|report [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = cmdGen(os.Args[2:])
	case "seed":
		err = cmdSeed(os.Args[2:])
	case "peer":
		fmt.Printf("%s@v%s\n", peerModule, peerVersion)
	case "run":
		err = cmdRun(os.Args[2:])
	case "load":
		err = cmdLoad(os.Args[2:])
	case "report":
		err = cmdReport(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// ---- gen ----

// Objects per unit: 1 plan tier (premium), 1 workspace, 2 custom domains,
// 5 firewall rules, 1 static IP. Within the premium quotas (static IPs 4,
// firewall rules 250, domains 20); subdomains and hostnames are unique.
const unitSize = 10

func cmdGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	kind := fs.String("kind", "rocketchat", "rocketchat, noop, terraform_data, peer-rocketchat, peer-restapi or peer-terraform_data")
	n := fs.Int("n", 100, "number of objects (a multiple of 10)")
	dir := fs.String("dir", "", "output directory")
	uri := fs.String("uri", "", "peer-restapi: the emulator's URL")
	token := fs.String("token", "", "peer-restapi: the API token")
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
	case "peer-rocketchat", "peer-restapi", "peer-terraform_data":
		if *kind == "peer-restapi" && (*uri == "" || *token == "") {
			return errors.New("-kind peer-restapi needs -uri and -token")
		}
		genPeer(&b, strings.TrimPrefix(*kind, "peer-"), *n, *uri, *token)
	default:
		return fmt.Errorf("unknown -kind %q", *kind)
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

// ---- seed ----

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
			{"plan_id", ref("plan_tier", fmt.Sprintf("p%d", u))},
			// The destroy phase deletes it (with its final export, as users' destroys do).
			{"deletion_protection", "false"}}},
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
			for _, a := range o.attrs {
				fmt.Fprintf(b, "    %s = %s\n", a[0], a[1])
			}
			b.WriteString("  }\n}\n")
			continue
		}
		fmt.Fprintf(b, "\nresource \"%s_%s\" %q {\n", kind, o.typ, o.name)
		for _, a := range o.attrs {
			fmt.Fprintf(b, "  %s = %s\n", a[0], a[1])
		}
		b.WriteString("}\n")
	}
}

// ---- run ----

// Result is one line of the results file.
type Result struct {
	Kind     string         `json:"kind"`
	N        int            `json:"n"`
	Phase    string         `json:"phase"`
	Seconds  float64        `json:"seconds"`
	ExitCode int            `json:"exit_code"`
	Errors   int            `json:"errors"` // "Error:" lines in the output
	PeakRSS  int64          `json:"peak_rss_kb,omitempty"`
	Procs    int            `json:"provider_processes,omitempty"`
	Requests map[string]int `json:"requests,omitempty"`
	Rate     float64        `json:"rate_limit,omitempty"`
	// Rate-limited runs, from the emulator's request log: the time from the
	// first to the last /v1 request, and the answers accepted and refused (429).
	RequestSpan float64 `json:"request_span_seconds,omitempty"`
	Accepted    int     `json:"accepted,omitempty"`
	Refused     int     `json:"refused_429,omitempty"`
	// load results
	ReqPerSec float64 `json:"req_per_sec,omitempty"`
	Conc      int     `json:"concurrency,omitempty"`
	Failed    int64   `json:"failed,omitempty"`
}

func appendResult(file string, r Result) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(f).Encode(r)
}

func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	kind := fs.String("kind", "", "configuration kind")
	n := fs.Int("n", 0, "objects")
	phase := fs.String("phase", "", "apply, plan or destroy")
	results := fs.String("results", "", "results file (JSON lines)")
	match := fs.String("match", "", "absolute path of the provider binary whose peak RSS is measured")
	emu := fs.String("emulator", "", "emulator URL (request counts)")
	adminTok := fs.String("admin-token", "", "emulator admin token")
	logFile := fs.String("log", "", "where the command's output goes")
	expect := fs.Int("expect-rc", 0, "fail unless the command exits with this code")
	rate := fs.Float64("rate-limit", 0, "the emulator's rate limit (recorded)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmdArgs := fs.Args()
	if len(cmdArgs) == 0 {
		return errors.New("run: no command")
	}
	if *emu != "" {
		if err := admin(*emu, *adminTok, "DELETE", api.RouteAdminStats, nil); err != nil {
			return err
		}
	}
	out, err := os.Create(*logFile)
	if err != nil {
		return err
	}
	defer out.Close()
	var buf bytes.Buffer
	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Stdout = io.MultiWriter(out, &buf)
	cmd.Stderr = cmd.Stdout

	w := &rssWatcher{match: *match, peak: map[int]int64{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	if *match != "" {
		wg.Add(1)
		go func() { defer wg.Done(); w.loop(stop) }()
	}
	werr := cmd.Wait()
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	rc := 0
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return werr
		}
		rc = ee.ExitCode()
	}
	r := Result{Kind: *kind, N: *n, Phase: *phase, Seconds: elapsed.Seconds(), ExitCode: rc, Rate: *rate,
		Errors: strings.Count(buf.String(), "Error: ")}
	for _, v := range w.peak {
		r.PeakRSS = max(r.PeakRSS, v)
	}
	r.Procs = len(w.peak)
	if *emu != "" {
		var st struct {
			Requests map[string]int `json:"requests"`
		}
		if err := admin(*emu, *adminTok, "GET", api.RouteAdminStats, &st); err != nil {
			return err
		}
		// Keep the public API only: the harness's own admin calls are not the provider's.
		r.Requests = map[string]int{}
		for k, v := range st.Requests {
			if strings.Contains(k, " /v1/") {
				r.Requests[k] = v
			}
		}
		if *rate > 0 {
			if err := requestSpan(*emu, *adminTok, start, &r); err != nil {
				return err
			}
		}
	}
	if err := appendResult(*results, r); err != nil {
		return err
	}
	rss := ""
	if r.PeakRSS > 0 {
		rss = fmt.Sprintf("  provider peak RSS %.1f MB (%d processes)", float64(r.PeakRSS)/1024, r.Procs)
	}
	reqs := ""
	if r.Requests != nil {
		// The peer scenario's configurations hold firewall rules only: no
		// breakdown by the generated unit's types.
		reqs = "  " + summarizeRequests(r.Requests, r.N, !strings.Contains(r.Phase, "-peer"))
	}
	fmt.Printf("    %-15s N=%-5d %-8s %7.2f s%s%s\n", r.Kind, r.N, r.Phase, r.Seconds, rss, reqs)
	if rc != *expect {
		tail := buf.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return fmt.Errorf("%s exited with %d (want %d); output in %s:\n%s", strings.Join(cmdArgs, " "), rc, *expect, *logFile, tail)
	}
	return nil
}

// requestSpan reads the emulator's request log (which must hold the whole
// run: the harness starts the rate-limited emulator with a large enough
// -request-log-size) and records when the run's /v1 requests began and ended,
// and how many were accepted and refused with 429.
func requestSpan(emu, tok string, since time.Time, r *Result) error {
	var log struct {
		Items []struct {
			Time   time.Time `json:"time"`
			Route  string    `json:"route"`
			Status int       `json:"status"`
		} `json:"items"`
	}
	if err := admin(emu, tok, "GET", fmt.Sprintf("%s?limit=%d", emulator.RouteAdminRequests, emulator.MaxRequestLogSize), &log); err != nil {
		return err
	}
	var first, last time.Time
	inRun := 0
	for _, it := range log.Items {
		if !strings.HasPrefix(it.Route, "/v1/") || it.Time.Before(since) {
			continue
		}
		inRun++
		switch {
		case it.Status == http.StatusTooManyRequests:
			r.Refused++
		case it.Status < 400:
			r.Accepted++
		}
		if first.IsZero() || it.Time.Before(first) {
			first = it.Time
		}
		if it.Time.After(last) {
			last = it.Time
		}
	}
	counted := 0
	for _, v := range r.Requests {
		counted += v
	}
	if inRun < counted {
		return fmt.Errorf("the emulator's request log holds %d requests of the %d made: start it with a larger -request-log-size", inRun, counted)
	}
	r.RequestSpan = last.Sub(first).Seconds()
	return nil
}

func admin(base, tok, method, path string, out any) error {
	req, err := http.NewRequest(method, strings.TrimRight(base, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, body)
	}
	if out != nil {
		return json.Unmarshal(body, out)
	}
	return nil
}

// rssWatcher polls /proc for processes whose executable is match and keeps
// each one's VmHWM (peak resident set size, kB) as last seen.
type rssWatcher struct {
	match string
	peak  map[int]int64
}

func (w *rssWatcher) loop(stop <-chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		w.scan()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (w *rssWatcher) scan() {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, seen := w.peak[pid]; !seen {
			exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
			if err != nil || exe != w.match {
				continue
			}
			w.peak[pid] = 0
		}
		if hwm := vmHWM(pid); hwm > w.peak[pid] {
			w.peak[pid] = hwm
		}
	}
}

func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, _ := strconv.ParseInt(f[0], 10, 64)
				return v
			}
		}
	}
	return 0
}

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

// ---- load ----

func cmdLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	emu := fs.String("emulator", "", "emulator URL")
	tok := fs.String("token", "", "API token")
	dur := fs.Duration("duration", 3*time.Second, "how long to load")
	conc := fs.Int("conc", 16, "concurrent keep-alive connections")
	results := fs.String("results", "", "results file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	c, err := client.New(client.Config{Endpoint: *emu, Token: *tok})
	if err != nil {
		return err
	}
	p, err := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: catalog.DefaultRegion})
	if err != nil {
		return err
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Load", Subdomain: fmt.Sprintf("load-%d", time.Now().UnixNano()%1e9), PlanID: p.ID})
	if err != nil {
		return err
	}
	url := strings.TrimRight(*emu, "/") + "/v1/workspaces/" + ws.ID
	tr := &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}
	hc := &http.Client{Transport: tr}
	var ok, failed atomic.Int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+*tok)
			for time.Now().Before(deadline) {
				res, err := hc.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := Result{Kind: "emulator-load", Phase: "GET", Seconds: elapsed.Seconds(), ReqPerSec: float64(ok.Load()) / elapsed.Seconds(),
		Conc: *conc, Failed: failed.Load()}
	fmt.Printf("    emulator GET /v1/workspaces/{id} over loopback: %.0f req/s (%d connections, %.1f s, %d failed; load generator on the same cores)\n",
		r.ReqPerSec, r.Conc, r.Seconds, r.Failed)
	_ = c.DeleteWorkspace(ctx, ws.ID)
	return appendResult(*results, r)
}

// ---- report ----

type key struct {
	kind  string
	n     int
	phase string
}

func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	results := fs.String("results", "", "results file")
	gobench := fs.String("gobench", "", "output of go test -bench")
	out := fs.String("out", "", "markdown guide page to write")
	tfVersion := fs.String("terraform-version", "", "terraform version line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*results)
	if err != nil {
		return err
	}
	defer f.Close()
	// The median of repeated runs of one (kind, n, phase).
	runs := map[key][]Result{}
	var loads, limited []Result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		switch {
		case r.Kind == "emulator-load":
			loads = append(loads, r)
		case r.Rate > 0:
			limited = append(limited, r)
		default:
			k := key{r.Kind, r.N, r.Phase}
			runs[k] = append(runs[k], r)
		}
	}
	med := map[key]Result{}
	var sizes []int
	for k, rs := range runs {
		slices.SortFunc(rs, func(a, b Result) int { return cmpF(a.Seconds, b.Seconds) })
		m := rs[len(rs)/2]
		for _, r := range rs { // RSS: the worst of the runs
			m.PeakRSS = max(m.PeakRSS, r.PeakRSS)
		}
		med[k] = m
		if k.phase != "apply-unlimited" && !slices.Contains(sizes, k.n) {
			sizes = append(sizes, k.n)
		}
	}
	sort.Ints(sizes)
	var md strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&md, format, a...) }

	w("---\npage_title: \"Benchmarks\"\nsubcategory: \"\"\ndescription: |-\n  What the provider costs against Terraform's floors, measured by make bench.\n---\n\n")
	w("# Benchmarks\n\n")
	w("Generated by `make bench` (`internal/scripts/bench.sh`, `internal/bench/`); do not edit by hand, run it again.\n\n")
	w("## Machine\n\n")
	w("- Date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	w("- CPU: %s, %d cores (`nproc`); load average at the start: %s\n", cpuModel(), runtime.NumCPU(), loadAvg())
	w("- %s, %s, %s/%s\n\n", strings.TrimSpace(*tfVersion), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	w("## Method\n\n")
	w("- For each N, three configurations with the same N resources and the same dependency graph (per 10 objects: 1 `premium` plan tier, " +
		"1 workspace on it, 2 custom domains, 5 firewall rules, 1 static IP; every child references its workspace):\n" +
		"  `rocketchat_*` against the emulator (in memory, immediate provisioning, on the same machine); `noop_*`, a plugin-framework provider " +
		"with the same resource types and attribute sets whose CRUD only touch memory (the floor of any gRPC provider, `internal/bench/noopprovider`); " +
		"and Terraform's built-in `terraform_data` (no plugin at all).\n")
	w("- Phases: `apply` from empty, `plan` with refresh and no changes (`-detailed-exitcode` must be 0), `destroy`; default parallelism (10); " +
		"`TF_IN_AUTOMATION=1`; offline, providers from a filesystem mirror. Wall time of the terraform command.\n")
	w("- Requests: the emulator's counters (`GET /admin/v1/stats`), reset before each phase, divided by N. " +
		"\"GET one\" is a read of one object, \"list\" a read of a collection, \"write\" POST/PATCH/PUT/DELETE.\n")
	w("- Peak RSS: `VmHWM` of every provider process (matched by `/proc/PID/exe`) polled every 20 ms while terraform runs; the largest.\n")
	w("- Rate-limited apply: a separate emulator with `-rate-limit R` (token bucket, burst R); achieved rate = the requests the same apply needs " +
		"without a limit (counted in the unlimited run), less the initial burst, / the time from the limited apply's first request to its last " +
		"(the emulator's request log, `GET /admin/v1/requests`); the same over the wall time of the whole `terraform apply` " +
		"(start-up, plan and state writes included) is shown as a lower bound; 429s counted in the request log.\n")
	w("- The machine is shared; absolute times vary, ratios measured in one run are what counts.\n\n")

	w("## Wall time (seconds) and ratios\n\n")
	w("| N | phase | rocketchat | noop floor | terraform_data | rocketchat / noop | rocketchat / terraform_data |\n|---|---|---|---|---|---|---|\n")
	for _, n := range sizes {
		for _, ph := range []string{"apply", "plan", "destroy"} {
			rc, ok1 := med[key{"rocketchat", n, ph}]
			no, ok2 := med[key{"noop", n, ph}]
			td, ok3 := med[key{"terraform_data", n, ph}]
			if !ok1 {
				continue
			}
			w("| %d | %s | %.2f | %s | %s | %s | %s |\n", n, ph, rc.Seconds, secs(no, ok2), secs(td, ok3),
				ratio(rc, no, ok1 && ok2), ratio(rc, td, ok1 && ok3))
		}
	}
	for _, n := range sizes {
		rc, ok1 := med[key{"rocketchat", n, "plan-sdk-logs-off"}]
		no, ok2 := med[key{"noop", n, "plan-sdk-logs-off"}]
		if ok1 && ok2 {
			w("| %d | plan, `TF_LOG_SDK*=off` | %.2f | %.2f | - | %s | - |\n", n, rc.Seconds, no.Seconds, ratio(rc, no, true))
		}
	}
	w("\n## Requests per object, peak RSS\n\n")
	w("| N | phase | requests / object | GET one | list | write | provider peak RSS (rocketchat) | provider peak RSS (noop) |\n|---|---|---|---|---|---|---|---|\n")
	for _, n := range sizes {
		for _, ph := range []string{"apply", "plan", "destroy"} {
			rc, ok := med[key{"rocketchat", n, ph}]
			if !ok {
				continue
			}
			s := classify(rc.Requests)
			fn := float64(n)
			w("| %d | %s | %.2f | %.2f | %.2f | %.2f | %s | %s |\n", n, ph, float64(s.total)/fn, float64(s.get)/fn, float64(s.list)/fn, float64(s.write)/fn,
				mb(rc.PeakRSS), mb(med[key{"noop", n, ph}].PeakRSS))
		}
	}
	w("\nApply requests per object, by resource type (the child gates' reads of a workspace count for the workspace):\n\n")
	w("| N |")
	for _, t := range benchTypes {
		w(" %s |", t.name)
	}
	w("\n|---|%s\n", strings.Repeat("---|", len(benchTypes)))
	for _, n := range sizes {
		rc, ok := med[key{"rocketchat", n, "apply"}]
		if !ok {
			continue
		}
		pt := perType(rc.Requests, n)
		w("| %d |", n)
		for _, t := range benchTypes {
			w(" %.2f |", pt[t.name])
		}
		w("\n")
	}
	w("\nRequests by route (rocketchat, largest N):\n\n")
	if len(sizes) > 0 {
		n := sizes[len(sizes)-1]
		w("| phase | route | count | per object |\n|---|---|---|---|\n")
		for _, ph := range []string{"apply", "plan", "destroy"} {
			rc := med[key{"rocketchat", n, ph}]
			for _, k := range slices.Sorted(mapsKeys(rc.Requests)) {
				w("| %s | `%s` | %d | %.2f |\n", ph, k, rc.Requests[k], float64(rc.Requests[k])/float64(n))
			}
		}
	}

	// Latency scenario: the same provider against an emulator that adds
	// latency to every request, against its own 0 ms runs and the floor.
	latN, haveLat := 0, false
	for _, n := range sizes {
		if _, ok := med[key{"rocketchat", n, "plan-lat"}]; ok {
			latN, haveLat = n, true
		}
	}
	if haveLat {
		w("\n## Latency scenario: a remote API\n\n")
		w("Every request to the emulator waits `%s` (`-fault-latency`) before it is handled, as a remote cloud API would; N = %d, "+
			"default parallelism (10). The reference is the same provider against the same emulator without latency, and the no-op floor (no API at all).\n\n",
			latencyLabel(), latN)
		w("| phase | rocketchat + latency | rocketchat, 0 ms | noop floor | latency / 0 ms | latency / noop | requests / object (GET one, list, write) |\n|---|---|---|---|---|---|---|\n")
		for _, ph := range []string{"apply", "plan", "destroy"} {
			lat, ok1 := med[key{"rocketchat", latN, ph + "-lat"}]
			zero, ok2 := med[key{"rocketchat", latN, ph}]
			no, ok3 := med[key{"noop", latN, ph}]
			if !ok1 {
				continue
			}
			s := classify(lat.Requests)
			fn := float64(latN)
			w("| %s | %.2f | %s | %s | %s | %s | %.2f (%.2f, %.2f, %.2f) |\n", ph, lat.Seconds, secs(zero, ok2), secs(no, ok3),
				ratio(lat, zero, ok2), ratio(lat, no, ok3), float64(s.total)/fn, float64(s.get)/fn, float64(s.list)/fn, float64(s.write)/fn)
		}
	}
	w("\n## The peer: a generic REST provider\n\n")
	peerLines := writePeer(w, med, sizes)

	// Rate-limited apply.
	var lim Result
	haveLim := len(limited) > 0
	achieved, rateRatio, wallRatio := 0.0, 0.0, 0.0
	rejected := 0
	if haveLim {
		lim = limited[0]
		baseRun, ok := med[key{"rocketchat", lim.N, "apply"}]
		if !ok {
			baseRun = med[key{"rocketchat", lim.N, "apply-unlimited"}]
		}
		base := classify(baseRun.Requests).total
		rejected = lim.Refused
		// The emulator's bucket starts full (burst = max(1, R) tokens): those
		// requests cost no wait, so they are left out of the rate judged.
		burst := max(1, int(lim.Rate))
		beyond := float64(max(0, base-burst))
		// Judged: the rate while the provider is making requests (first to
		// last, from the emulator's request log), i.e. how much of the limit
		// the provider's retries use. Terraform's start-up, plan walk and
		// state writes make no request and are the same with or without a
		// limit; the wall-time rate below keeps them in, as a lower bound.
		if lim.RequestSpan > 0 {
			achieved = beyond / lim.RequestSpan
		}
		rateRatio = achieved / lim.Rate
		wallRatio = beyond / lim.Seconds / lim.Rate
		w("\n## Apply under a rate limit\n\n")
		w("| N | limit R (req/s) | wall time | first to last request | requests needed | 429 answers | "+
			"achieved req/s while requesting (initial burst of %d left out) | achieved / R | wall-time rate / R (lower bound) | terraform exit code | errors shown |\n"+
			"|---|---|---|---|---|---|---|---|---|---|---|\n", burst)
		w("| %d | %g | %.2f s | %.2f s | %d | %d | %.1f | %.2f | %.2f | %d | %d |\n", lim.N, lim.Rate, lim.Seconds, lim.RequestSpan, base, rejected,
			achieved, rateRatio, wallRatio, lim.ExitCode, lim.Errors)
		if lim.Accepted != 0 && lim.Accepted != base {
			w("\nThe limited run's accepted requests (%d) differ from the unlimited run's (%d).\n", lim.Accepted, base)
		}
	}

	// Emulator throughput.
	w("\n## Emulator and client (Go benchmarks)\n\n")
	var loadRPS float64
	for _, l := range loads {
		loadRPS = max(loadRPS, l.ReqPerSec)
		w("- Standalone emulator (`-data :memory:`), `GET /v1/workspaces/{id}` over loopback with %d keep-alive connections for %.0f s, "+
			"the load generator on the same cores: **%.0f req/s** (%d failed).\n", l.Conc, l.Seconds, l.ReqPerSec, l.Failed)
	}
	benchRPS := 0.0
	if *gobench != "" {
		b, err := os.ReadFile(*gobench)
		if err == nil {
			w("\n```text\n")
			re := regexp.MustCompile(`([0-9.]+) req/s`)
			for line := range strings.Lines(string(b)) {
				if strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "pkg:") || strings.HasPrefix(line, "cpu:") {
					md.WriteString(line)
					if m := re.FindStringSubmatch(line); m != nil {
						v, _ := strconv.ParseFloat(m[1], 64)
						benchRPS = max(benchRPS, v)
					}
				}
			}
			w("```\n")
		}
	}
	emuRPS := max(loadRPS, benchRPS)

	// Targets.
	w("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n")
	var summary []string
	target := func(name, measured string, met bool) {
		w("| %s | %s | %s |\n", name, measured, yes(met))
		summary = append(summary, fmt.Sprintf("  %-62s %-40s %s", name, measured, yes(met)))
	}
	if len(sizes) > 0 {
		n := sizes[len(sizes)-1]
		rc, ok1 := med[key{"rocketchat", n, "plan"}]
		no, ok2 := med[key{"noop", n, "plan"}]
		if ok1 && ok2 {
			r := rc.Seconds / no.Seconds
			target(fmt.Sprintf("refresh plan at N=%d <= 1.2x the no-op floor", n), fmt.Sprintf("%.2fx (%.2f s vs %.2f s)", r, rc.Seconds, no.Seconds), r <= 1.2)
		}
		if lo, ok := med[key{"rocketchat", n, "plan-sdk-logs-off"}]; ok {
			if nlo, ok := med[key{"noop", n, "plan-sdk-logs-off"}]; ok {
				r := lo.Seconds / nlo.Seconds
				w("| (same, both with `TF_LOG_SDK*=off`) | %.2fx (%.2f s vs %.2f s) | %s |\n", r, lo.Seconds, nlo.Seconds, yes(r <= 1.2))
				summary = append(summary, fmt.Sprintf("  %-62s %-40s %s", "  (same, both with TF_LOG_SDK*=off)", fmt.Sprintf("%.2fx (%.2f s vs %.2f s)", r, lo.Seconds, nlo.Seconds), yes(r <= 1.2)))
			}
		}
		if ok1 {
			s := classify(rc.Requests)
			met := s.get+s.list <= n && s.write == 0
			target(fmt.Sprintf("refresh plan at N=%d: one read per object or fewer", n),
				fmt.Sprintf("%d GET one, %d list, %d write for %d objects", s.get, s.list, s.write, n), met)
		}
		if rc, ok := med[key{"rocketchat", n, "apply"}]; ok {
			pt := perType(rc.Requests, n)
			worst := 0.0
			for _, t := range benchTypes {
				worst = max(worst, pt[t.name])
			}
			target(fmt.Sprintf("apply at N=%d: <= 1.1 requests per object, every type", n), formatPerType(pt), worst <= 1.1)
		}
		var peak int64
		for _, ph := range []string{"apply", "plan", "destroy"} {
			peak = max(peak, med[key{"rocketchat", n, ph}].PeakRSS)
		}
		if peak > 0 {
			target(fmt.Sprintf("provider peak RSS at N=%d <= 100 MB", n), mb(peak), peak <= 100*1024)
		}
	}
	if haveLat {
		for _, t := range []struct {
			phase string
			limit float64
		}{{"plan", 1.3}, {"apply", 1.5}} {
			lat, ok1 := med[key{"rocketchat", latN, t.phase + "-lat"}]
			zero, ok2 := med[key{"rocketchat", latN, t.phase}]
			if ok1 && ok2 {
				r := lat.Seconds / zero.Seconds
				name := map[string]string{"plan": "refresh plan", "apply": "apply"}[t.phase]
				target(fmt.Sprintf("%s at N=%d with %s latency <= %.1fx the same at 0 ms", name, latN, latencyLabel(), t.limit),
					fmt.Sprintf("%.2fx (%.2f s vs %.2f s)", r, lat.Seconds, zero.Seconds), r <= t.limit)
			}
		}
	}
	if haveLim {
		target("apply under a rate limit >= 90 % of R", fmt.Sprintf("%.0f %% of R=%g while requesting (initial burst left out); %.0f %% over the whole wall time", rateRatio*100, lim.Rate, wallRatio*100), rateRatio >= 0.9)
		target("apply under a rate limit: zero failed requests shown", fmt.Sprintf("exit %d, %d errors", lim.ExitCode, lim.Errors), lim.ExitCode == 0 && lim.Errors == 0)
	}
	if emuRPS > 0 {
		target("emulator >= 10,000 simple GET/s on 2 cores", fmt.Sprintf("%.0f req/s", emuRPS), emuRPS >= 10000)
	}
	w("\nWhere a target is missed, see the notes below.\n")
	if notes := os.Getenv("BENCH_NOTES_FILE"); notes != "" {
		if b, err := os.ReadFile(notes); err == nil {
			w("\n## Notes\n\n%s", b)
		}
	}

	// Stdout: the tables that matter.
	fmt.Println()
	fmt.Println("==> ratios (median wall time)")
	fmt.Printf("  %-6s %-8s %10s %10s %10s %10s %10s\n", "N", "phase", "rocketchat", "noop", "tf_data", "rc/noop", "rc/tf_data")
	for _, n := range sizes {
		for _, ph := range []string{"apply", "plan", "destroy"} {
			rc, ok1 := med[key{"rocketchat", n, ph}]
			no, ok2 := med[key{"noop", n, ph}]
			td, ok3 := med[key{"terraform_data", n, ph}]
			if !ok1 {
				continue
			}
			fmt.Printf("  %-6d %-8s %10.2f %10s %10s %10s %10s\n", n, ph, rc.Seconds, secs(no, ok2), secs(td, ok3), ratio(rc, no, ok2), ratio(rc, td, ok3))
		}
		rc, ok1 := med[key{"rocketchat", n, "plan-sdk-logs-off"}]
		no, ok2 := med[key{"noop", n, "plan-sdk-logs-off"}]
		if ok1 && ok2 {
			fmt.Printf("  %-6d %-8s %10.2f %10.2f %10s %10s   (TF_LOG_SDK*=off)\n", n, "plan", rc.Seconds, no.Seconds, "-", ratio(rc, no, true))
		}
	}
	for _, l := range peerLines {
		fmt.Println(l)
	}
	if haveLim {
		fmt.Printf("==> rate-limited apply: R=%g req/s, achieved %.1f req/s while requesting, without the initial burst (%.0f %% of R; %.0f %% over the wall time), %d answers 429, exit %d, %d errors\n",
			lim.Rate, achieved, rateRatio*100, wallRatio*100, rejected, lim.ExitCode, lim.Errors)
	}
	fmt.Println("==> targets")
	for _, s := range summary {
		fmt.Println(s)
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md.String()), 0o644); err != nil {
			return err
		}
		fmt.Println("==> wrote", *out)
	}
	return nil
}

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

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func mapsKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// latencyLabel is the latency of the latency scenario (BENCH_LATENCY).
func latencyLabel() string {
	if l := os.Getenv("BENCH_LATENCY"); l != "" {
		return l
	}
	return "30ms"
}

func secs(r Result, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2f", r.Seconds)
}

func ratio(a, b Result, ok bool) string {
	if !ok || b.Seconds == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a.Seconds/b.Seconds)
}

func mb(kb int64) string {
	if kb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown CPU"
}

func loadAvg() string {
	if v := os.Getenv("BENCH_LOADAVG"); v != "" {
		return v
	}
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
