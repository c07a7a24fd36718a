package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

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
