package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
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

// requestSpan times a rate-limited run from the emulator's own request log:
// accepted and 429 answers counted, the span from the first request to the
// last, and a log too small for the run refused rather than misread.
func TestRequestSpan(t *testing.T) {
	for _, logSize := range []int{100, 3} {
		srv, err := emulator.New(emulator.Config{Tokens: map[string]string{"t-bench": "bench"}, AdminToken: "t-admin", RateLimit: 2, RequestLogSize: logSize})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		start := time.Now()
		for range 5 { // burst 2: two accepted, then 429s
			req, _ := http.NewRequest("GET", ts.URL+"/v1/plans", nil)
			req.Header.Set("Authorization", "Bearer t-bench")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			time.Sleep(20 * time.Millisecond)
		}
		r := Result{Requests: map[string]int{"GET /v1/plans": 5}}
		err = requestSpan(ts.URL, "t-admin", start, &r)
		ts.Close()
		if logSize < 5 {
			if err == nil || !strings.Contains(err.Error(), "-request-log-size") {
				t.Errorf("log of %d for 5 requests: err = %v, want one naming -request-log-size", logSize, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Accepted != 2 || r.Refused != 3 {
			t.Errorf("accepted %d, refused %d; want 2 and 3", r.Accepted, r.Refused)
		}
		if r.RequestSpan < 0.07 || r.RequestSpan > 5 {
			t.Errorf("span %.3f s for 5 requests 20 ms apart", r.RequestSpan)
		}
	}
}

// resourceBlock is one resource of a generated main.tf, its attributes
// evaluated (jsonencode is the only function the configurations call).
type resourceBlock struct {
	typ, name string
	attrs     map[string]cty.Value
}

type parsedConfig struct {
	providers map[string]map[string]cty.Value
	required  map[string]cty.Value // required_providers entries
	resources []resourceBlock
}

// parseConfig parses and evaluates dir/main.tf; any syntax error, unknown
// block or reference fails the test.
func parseConfig(t *testing.T, dir string) parsedConfig {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclparse.NewParser().ParseHCL(src, "main.tf")
	if diags.HasErrors() {
		t.Fatalf("main.tf does not parse: %s", diags)
	}
	ctx := &hcl.EvalContext{Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc}}
	eval := func(body *hclsyntax.Body) map[string]cty.Value {
		out := map[string]cty.Value{}
		for name, a := range body.Attributes {
			v, diags := a.Expr.Value(ctx)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", a.SrcRange, diags)
			}
			out[name] = v
		}
		return out
	}
	pc := parsedConfig{providers: map[string]map[string]cty.Value{}, required: map[string]cty.Value{}}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		switch b.Type {
		case "terraform":
			for _, rb := range b.Body.Blocks {
				if rb.Type != "required_providers" {
					t.Fatalf("unexpected block terraform.%s", rb.Type)
				}
				pc.required = eval(rb.Body)
			}
		case "provider":
			pc.providers[b.Labels[0]] = eval(b.Body)
		case "resource":
			if len(b.Body.Blocks) > 0 {
				t.Fatalf("resource %v: unexpected nested block", b.Labels)
			}
			pc.resources = append(pc.resources, resourceBlock{b.Labels[0], b.Labels[1], eval(b.Body)})
		default:
			t.Fatalf("unexpected block %q", b.Type)
		}
	}
	return pc
}

func str(t *testing.T, v cty.Value) string {
	t.Helper()
	if v.IsNull() || v.Type() != cty.String {
		t.Fatalf("want a string, got %#v", v)
	}
	return v.AsString()
}

// ruleOf reads a rule's fields from an object (a resource's attributes or
// terraform_data's input) as the API's JSON would carry them.
func ruleOf(t *testing.T, attrs map[string]cty.Value) (string, api.FirewallRuleInput) {
	t.Helper()
	obj := map[string]cty.Value{}
	for k, v := range attrs {
		obj[k] = v
	}
	ws := str(t, obj["workspace_id"])
	delete(obj, "workspace_id")
	b, err := ctyjson.Marshal(cty.ObjectVal(obj), cty.ObjectVal(obj).Type())
	if err != nil {
		t.Fatal(err)
	}
	return ws, decodeRule(t, b)
}

// decodeRule decodes a rule body as strictly as the emulator does.
func decodeRule(t *testing.T, body []byte) api.FirewallRuleInput {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var in api.FirewallRuleInput
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("rule %s: %v", body, err)
	}
	return in
}

// The peer scenario's three configurations manage the same N rules; the
// restapi one sends bodies and headers the emulator accepts, into the
// workspaces the seed creates, within the tier's quota.
func TestPeerConfigs(t *testing.T) {
	const n, token = 250, "bench-token"
	if spec, ok := catalog.Lookup(peerTier); !ok || spec.FirewallRuleQuota < peerPerWorkspace {
		t.Fatalf("tier %s allows fewer than %d firewall rules a workspace", peerTier, peerPerWorkspace)
	}
	if peerWorkspaces(n) != 3 || peerWorkspaces(100) != 1 {
		t.Fatalf("peerWorkspaces: %d, %d", peerWorkspaces(n), peerWorkspaces(100))
	}

	// The seed, as the emulator's -seed loads it.
	srv, err := emulator.New(emulator.Config{Tokens: map[string]string{token: "demo"},
		Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{peerTier: {Mode: catalog.ProvisionImmediate}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	if err := cmdSeed([]string{"-n", fmt.Sprint(n), "-out", seedFile}); err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadSeedFile(seedFile); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	dir := t.TempDir()
	configs := map[string]parsedConfig{}
	for _, kind := range []string{"rocketchat", "restapi", "terraform_data"} {
		d := filepath.Join(dir, kind)
		if err := cmdGen([]string{"-kind", "peer-" + kind, "-n", fmt.Sprint(n), "-dir", d, "-uri", hs.URL, "-token", token}); err != nil {
			t.Fatal(err)
		}
		configs[kind] = parseConfig(t, d)
		if got := len(configs[kind].resources); got != n {
			t.Fatalf("%s: %d resources, want %d", kind, got, n)
		}
	}
	if err := cmdGen([]string{"-kind", "peer-restapi", "-n", "10", "-dir", dir}); err == nil {
		t.Error("peer-restapi without -uri and -token: no error")
	}

	rc, ra, td := configs["rocketchat"], configs["restapi"], configs["terraform_data"]
	if src := str(t, rc.required["rocketchat"].GetAttr("source")); src != "rocketchat/rocketchat" {
		t.Errorf("rocketchat source %q", src)
	}
	req := ra.required["restapi"]
	if src, v := str(t, req.GetAttr("source")), str(t, req.GetAttr("version")); src != "mastercard/restapi" || v != peerVersion {
		t.Errorf("restapi source %q version %q, want mastercard/restapi %s", src, v, peerVersion)
	}
	p := ra.providers["restapi"]
	if str(t, p["uri"]) != hs.URL || str(t, p["id_attribute"]) != "id" || str(t, p["update_method"]) != http.MethodPatch ||
		!p["write_returns_object"].True() {
		t.Errorf("restapi provider block: %#v", p)
	}
	headers := map[string]string{}
	for k, v := range p["headers"].AsValueMap() {
		headers[k] = str(t, v)
	}

	perWS := map[string]int{}
	for i := range n {
		want := ruleAt(i, peerPerWorkspace)
		if errs := want.Validate(); len(errs) > 0 {
			t.Fatalf("rule %d: %v", i, errs)
		}
		r := rc.resources[i]
		if r.typ != "rocketchat_firewall_rule" {
			t.Fatalf("rocketchat resource %d is a %s", i, r.typ)
		}
		ws, got := ruleOf(t, r.attrs)
		if got != want || ws != peerWorkspaceID("rocketchat", i/peerPerWorkspace) {
			t.Fatalf("rocketchat rule %d: %s %+v, want %+v", i, ws, got, want)
		}
		perWS[ws]++

		d := td.resources[i]
		if d.typ != "terraform_data" || len(d.attrs) != 1 {
			t.Fatalf("terraform_data resource %d: %+v", i, d)
		}
		if tws, got := ruleOf(t, d.attrs["input"].AsValueMap()); got != want || tws != ws {
			t.Fatalf("terraform_data rule %d: %s %+v, want %s %+v", i, tws, got, ws, want)
		}

		o := ra.resources[i]
		if o.typ != "restapi_object" || len(o.attrs) != 2 {
			t.Fatalf("restapi resource %d: %+v", i, o)
		}
		path, data := str(t, o.attrs["path"]), str(t, o.attrs["data"])
		if got := decodeRule(t, []byte(data)); got != want {
			t.Fatalf("restapi rule %d: %+v, want %+v", i, got, want)
		}
		wantPath := strings.Replace(api.RouteFirewallRules, "{workspace_id}", peerWorkspaceID("restapi", i/peerPerWorkspace), 1)
		if path != wantPath {
			t.Fatalf("restapi rule %d: path %q, want %q", i, path, wantPath)
		}
		// What the REST provider sends on create: POST path with data and
		// its headers; the answer must be the object with its id.
		hr, _ := http.NewRequest(http.MethodPost, hs.URL+path, strings.NewReader(data))
		for k, v := range headers {
			hr.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		var created api.FirewallRule
		err = json.NewDecoder(res.Body).Decode(&created)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated || err != nil || created.ID == "" || created.FirewallRuleInput != want {
			t.Fatalf("restapi rule %d: POST %s answered %d %+v (%v)", i, path, res.StatusCode, created, err)
		}
	}
	for ws, c := range perWS {
		if c > peerPerWorkspace {
			t.Errorf("%s holds %d rules", ws, c)
		}
	}
}

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
