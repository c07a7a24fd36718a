package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

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

// Every variant of the firewall rules scenario manages the same N rules in
// the workspaces the seed creates for it, within the tier's quota; the REST
// provider's releases send bodies and headers the emulator accepts.
func TestRuleConfigs(t *testing.T) {
	const n, token = 250, "bench-token"
	if spec, ok := catalog.Lookup(peerTier); !ok || spec.FirewallRuleQuota < peerPerWorkspace {
		t.Fatalf("tier %s allows fewer than %d firewall rules a workspace", peerTier, peerPerWorkspace)
	}
	if peerWorkspaces(n) != 3 || peerWorkspaces(100) != 1 {
		t.Fatalf("peerWorkspaces: %d, %d", peerWorkspaces(n), peerWorkspaces(100))
	}
	hs := seededEmulator(t, n, token)

	dir := t.TempDir()
	configs := map[string]parsedConfig{}
	for _, v := range ruleVariants {
		d := filepath.Join(dir, v)
		if err := cmdGen([]string{"-kind", "peer-" + v, "-n", fmt.Sprint(n), "-dir", d, "-uri", hs.URL, "-token", token}); err != nil {
			t.Fatal(err)
		}
		configs[v] = parseConfig(t, d)
		want := n
		if isSetVariant(v) {
			want = peerWorkspaces(n)
		}
		if got := len(configs[v].resources); got != want {
			t.Fatalf("%s: %d resources, want %d", v, got, want)
		}
	}
	for _, p := range peerReleases {
		if err := cmdGen([]string{"-kind", "peer-" + p.kind, "-n", "10", "-dir", dir}); err == nil {
			t.Errorf("peer-%s without -uri and -token: no error", p.kind)
		}
	}
	if err := cmdGen([]string{"-kind", "peer-nonsense", "-n", "10", "-dir", dir}); err == nil {
		t.Error("peer-nonsense: no error")
	}

	for v, src := range map[string]string{"rocketchat": "rocketchat/rocketchat", "rocketchat-set": "rocketchat/rocketchat", "noop": "rocketchat/noop", "noop-set": "rocketchat/noop", "raw-set": "rocketchat/raw"} {
		name := strings.TrimSuffix(v, "-set")
		if got := str(t, configs[v].required[name].GetAttr("source")); got != src {
			t.Errorf("%s: source %q, want %q", v, got, src)
		}
	}
	// Each release's provider block, and the headers its requests carry.
	headers := map[string]map[string]string{}
	for _, p := range peerReleases {
		c := configs[p.kind]
		req := c.required["restapi"]
		if src, v := str(t, req.GetAttr("source")), str(t, req.GetAttr("version")); src != "mastercard/restapi" || v != p.version {
			t.Errorf("%s: source %q version %q, want mastercard/restapi %s", p.kind, src, v, p.version)
		}
		pb := c.providers["restapi"]
		if str(t, pb["uri"]) != hs.URL || str(t, pb["id_attribute"]) != "id" || str(t, pb["update_method"]) != http.MethodPatch ||
			!pb["write_returns_object"].True() {
			t.Errorf("%s: provider block %#v", p.kind, pb)
		}
		h := map[string]string{}
		for k, v := range pb["headers"].AsValueMap() {
			h[k] = str(t, v)
		}
		switch p.version {
		case "1.20.0": // no bearer_token attribute in v1: the header
			if _, ok := pb["bearer_token"]; ok || h["Authorization"] != "Bearer "+token {
				t.Errorf("v1.20.0: bearer_token %v, headers %v", pb["bearer_token"], h)
			}
		default: // v3 sends bearer_token as Authorization: Bearer
			if str(t, pb["bearer_token"]) != token || h["Authorization"] != "" {
				t.Errorf("%s: bearer_token %v, headers %v", p.version, pb["bearer_token"], h)
			}
			h["Authorization"] = "Bearer " + token
		}
		headers[p.kind] = h
	}

	perWS := map[string]int{}
	for i := range n {
		want := ruleAt(i, peerPerWorkspace)
		if errs := want.Validate(); len(errs) > 0 {
			t.Fatalf("rule %d: %v", i, errs)
		}
		for _, v := range []string{"rocketchat", "noop"} {
			r := configs[v].resources[i]
			if r.typ != v+"_firewall_rule" {
				t.Fatalf("%s resource %d is a %s", v, i, r.typ)
			}
			ws, got := ruleOf(t, r.attrs)
			if got != want || ws != peerWorkspaceID("rocketchat", i/peerPerWorkspace) {
				t.Fatalf("%s rule %d: %s %+v, want %+v", v, i, ws, got, want)
			}
			if v == "rocketchat" {
				perWS[ws]++
			}
		}

		d := configs["terraform_data"].resources[i]
		if d.typ != "terraform_data" || len(d.attrs) != 1 {
			t.Fatalf("terraform_data resource %d: %+v", i, d)
		}
		if tws, got := ruleOf(t, d.attrs["input"].AsValueMap()); got != want || tws != peerWorkspaceID("rocketchat", i/peerPerWorkspace) {
			t.Fatalf("terraform_data rule %d: %s %+v, want %+v", i, tws, got, want)
		}

		// The set of rule i's workspace holds it under its priority, and so
		// do the set's floors (terraform_data in its input).
		for v, typ := range map[string]string{"rocketchat-set": "rocketchat_firewall_rules", "noop-set": "noop_firewall_rules",
			"raw-set": "raw_firewall_rules", "terraform_data-set": "terraform_data"} {
			set := configs[v].resources[i/peerPerWorkspace]
			body := set.attrs
			if v == "terraform_data-set" {
				if len(body) != 1 {
					t.Fatalf("%s %d: %+v", v, i/peerPerWorkspace, set)
				}
				body = body["input"].AsValueMap()
			}
			if set.typ != typ || str(t, body["workspace_id"]) != peerWorkspaceID("rocketchat-set", i/peerPerWorkspace) {
				t.Fatalf("%s %d: %s %v", v, i/peerPerWorkspace, set.typ, body["workspace_id"])
			}
			entry := body["rules"].AsValueMap()[fmt.Sprint(want.Priority)]
			if entry == cty.NilVal {
				t.Fatalf("%s %d has no rule %d", v, i/peerPerWorkspace, want.Priority)
			}
			attrs := entry.AsValueMap()
			attrs["priority"] = cty.NumberIntVal(want.Priority)
			attrs["workspace_id"] = body["workspace_id"]
			if _, got := ruleOf(t, attrs); got != want {
				t.Fatalf("%s rule %d: %+v, want %+v", v, i, got, want)
			}
		}

		for _, p := range peerReleases {
			o := configs[p.kind].resources[i]
			wantAttrs := 2
			if p.kind == "restapi-v3" {
				wantAttrs = 3
				if !o.attrs["ignore_server_additions"].True() {
					t.Fatalf("%s resource %d: ignore_server_additions not set", p.kind, i)
				}
			}
			if o.typ != "restapi_object" || len(o.attrs) != wantAttrs {
				t.Fatalf("%s resource %d: %+v", p.kind, i, o)
			}
			path, data := str(t, o.attrs["path"]), str(t, o.attrs["data"])
			if got := decodeRule(t, []byte(data)); got != want {
				t.Fatalf("%s rule %d: %+v, want %+v", p.kind, i, got, want)
			}
			wantPath := strings.Replace(api.RouteFirewallRules, "{workspace_id}", peerWorkspaceID(p.kind, i/peerPerWorkspace), 1)
			if path != wantPath {
				t.Fatalf("%s rule %d: path %q, want %q", p.kind, i, path, wantPath)
			}
			// What the REST provider sends on create: POST path with data and
			// its headers; the answer must be the object with its id.
			hr, _ := http.NewRequest(http.MethodPost, hs.URL+path, strings.NewReader(data))
			for k, v := range headers[p.kind] {
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
				t.Fatalf("%s rule %d: POST %s answered %d %+v (%v)", p.kind, i, path, res.StatusCode, created, err)
			}
		}
	}
	for ws, c := range perWS {
		if c > peerPerWorkspace {
			t.Errorf("%s holds %d rules", ws, c)
		}
	}
}

// seededEmulator serves an in-process emulator holding the firewall rules
// scenario's workspaces for n rules, as the emulator's -seed loads them.
func seededEmulator(t *testing.T, n int, token string) *httptest.Server {
	t.Helper()
	srv, err := emulator.New(emulator.Config{Tokens: map[string]string{token: "demo"},
		Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{peerTier: {Mode: catalog.ProvisionImmediate}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	if err := cmdSeed([]string{"-n", fmt.Sprint(n), "-out", seedFile}); err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadSeedFile(seedFile); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs
}

// `benchreport peer` names every release for bench.sh, and only releases
// whose module path allows it for go install.
func TestPeerLines(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(peerLines()), "\n")
	want := []string{
		"restapi 1.20.0 BENCH_PEER_PROVIDER github.com/Mastercard/terraform-provider-restapi@v1.20.0",
		"restapi-v3 3.0.0 BENCH_PEER_V3_PROVIDER -",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("peer lines %q, want %q", lines, want)
	}
}
