package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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
