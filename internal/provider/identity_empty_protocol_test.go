package provider_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// An import by identity with any identity attribute of any resource type
// empty or null is refused before any request: an error on that attribute,
// naming it, and nothing imported. The types and attributes come from the
// provider's identity schemas, so a new one is covered as it is added.
func TestProtocolIdentity_emptyAttributesRefused(t *testing.T) {
	p := newProto(t)
	requests := func() int {
		n := 0
		for _, c := range p.env.Emulator.Stats().Requests {
			n += c
		}
		return n
	}
	names := make([]string, 0, len(p.identities.IdentitySchemas))
	for name := range p.identities.IdentitySchemas {
		names = append(names, name)
	}
	sort.Strings(names)
	tried := 0
	for _, name := range names {
		attrs := p.identities.IdentitySchemas[name].IdentityAttributes
		for _, bad := range attrs {
			for label, value := range map[string]tftypes.Value{"empty": str(""), "null": tftypes.NewValue(tftypes.String, nil)} {
				t.Run(name+"/"+bad.Name+"/"+label, func(t *testing.T) {
					vals := map[string]tftypes.Value{}
					for _, a := range attrs {
						vals[a.Name] = str("x-1")
					}
					vals[bad.Name] = value
					before := requests()
					resp, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name,
						Identity: &tfprotov6.ResourceIdentityData{IdentityData: p.dv(p.identityType(name), vals)}})
					if err != nil {
						t.Fatal(err)
					}
					named := false
					for _, d := range resp.Diagnostics {
						if d.Severity == tfprotov6.DiagnosticSeverityError && strings.Contains(d.Detail, `"`+bad.Name+`"`) &&
							d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(bad.Name)) {
							named = true
						}
					}
					if !named {
						t.Errorf("not refused on %s: %q", bad.Name, errorsOf(resp.Diagnostics))
					}
					for _, r := range resp.ImportedResources {
						if null, _ := r.State.IsNull(); r.State != nil && !null {
							t.Error("a state was imported")
						}
					}
					if n := requests() - before; n != 0 {
						t.Errorf("%d requests sent for an identity refused at import", n)
					}
				})
				tried++
			}
		}
	}
	if tried < 2*8 { // 2 values x (plan tier 1 + workspace 1 + 3 children x 2)
		t.Fatalf("tried %d identities; the schemas lost attributes", tried)
	}
}
