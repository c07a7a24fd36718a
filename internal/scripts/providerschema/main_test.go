package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The document holds what a 1.11 CLI leaves out (identities, list resources,
// actions) beside the rest, in the JSON notation of `terraform providers schema -json`.
func TestBuild(t *testing.T) {
	s, err := build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := s.Schemas[Source]
	if p == nil || len(p.Resources) != 6 || len(p.Identities) != 6 || len(p.ListResources) != 5 || len(p.Actions) != 2 ||
		len(p.DataSources) == 0 || len(p.Functions) == 0 || len(p.EphemeralResources) == 0 {
		t.Fatalf("incomplete document: %+v", p)
	}
	id := p.Identities["rocketchat_firewall_rule"].Attributes["workspace_id"]
	if id == nil || !id.RequiredForImport || string(id.Type) != `"string"` {
		t.Fatalf("%+v", id)
	}
	dom := p.Resources["rocketchat_custom_domain"].Block
	if nt := dom.Attributes["verification_record"].NestedType; nt == nil || nt.NestingMode != "single" || len(nt.Attributes) != 3 {
		t.Fatalf("nested attribute %+v", dom.Attributes["verification_record"])
	}
	if bt := dom.BlockTypes["timeouts"]; bt == nil || bt.NestingMode != "single" {
		t.Fatalf("timeouts block %+v", bt)
	}
	if !p.Resources["rocketchat_workspace"].Block.Attributes["admin_password_wo"].WriteOnly {
		t.Fatal("write-only lost")
	}
	for _, c := range []struct {
		t    tftypes.Type
		want string
	}{
		{tftypes.List{ElementType: tftypes.String}, `["list","string"]`},
		{tftypes.Map{ElementType: tftypes.Number}, `["map","number"]`},
		{tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.Bool, "b": tftypes.DynamicPseudoType}, OptionalAttributes: map[string]struct{}{"b": {}}}, `["object",{"a":"bool","b":"dynamic"},["b"]]`},
		{tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Set{ElementType: tftypes.Bool}}}, `["tuple",["string",["set","bool"]]]`},
	} {
		if got := string(typeJSON(c.t)); got != c.want {
			t.Errorf("%s: %s, want %s", c.t, got, c.want)
		}
	}
	raw, err := json.Marshal(s)
	if err != nil || !strings.Contains(string(raw), `"format_version":"1.0"`) {
		t.Fatalf("%v", err)
	}
}
