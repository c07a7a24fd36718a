package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The estate of the main scenario, for each of its three kinds: N resources
// of the unit's types in the unit's proportions, every reference pointing at
// the id of a resource the configuration declares, the same graph for all.
func TestUnitConfigs(t *testing.T) {
	const n = 30
	dir := t.TempDir()
	graphs := map[string][]string{}
	for _, kind := range []string{"rocketchat", "noop", "terraform_data"} {
		d := filepath.Join(dir, kind)
		if err := cmdGen([]string{"-kind", kind, "-n", fmt.Sprint(n), "-dir", d}); err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(d, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		f, diags := hclparse.NewParser().ParseHCL(src, "main.tf")
		if diags.HasErrors() {
			t.Fatalf("%s: main.tf does not parse: %s", kind, diags)
		}
		declared := map[string]bool{}
		types := map[string]int{}
		var blocks []*hclsyntax.Block
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type == "resource" {
				declared[b.Labels[0]+"."+b.Labels[1]] = true
				types[strings.TrimPrefix(b.Labels[0], kind+"_")]++
				blocks = append(blocks, b)
			}
		}
		if len(blocks) != n {
			t.Fatalf("%s: %d resources, want %d", kind, len(blocks), n)
		}
		if kind != "terraform_data" {
			for _, bt := range benchTypes {
				if types[bt.name] != n/unitSize*bt.perUnit {
					t.Errorf("%s: %d %s, want %d", kind, types[bt.name], bt.name, n/unitSize*bt.perUnit)
				}
			}
		}
		var graph []string
		for _, b := range blocks {
			attrs := b.Body.Attributes
			if kind == "terraform_data" {
				obj, ok := attrs["input"].Expr.(*hclsyntax.ObjectConsExpr)
				if !ok || len(attrs) != 1 {
					t.Fatalf("terraform_data %s: want one input object", b.Labels[1])
				}
				attrs = hclsyntax.Attributes{}
				for _, item := range obj.Items {
					name := hcl.ExprAsKeyword(item.KeyExpr)
					attrs[name] = &hclsyntax.Attribute{Name: name, Expr: item.ValueExpr}
				}
			}
			for name, a := range attrs {
				for _, ref := range a.Expr.Variables() {
					parts := []string{ref.RootName()}
					for _, tr := range ref[1:] {
						parts = append(parts, tr.(hcl.TraverseAttr).Name)
					}
					if len(parts) != 3 || parts[2] != "id" || !declared[parts[0]+"."+parts[1]] {
						t.Fatalf("%s %s.%s refers to %s", kind, b.Labels[1], name, strings.Join(parts, "."))
					}
					graph = append(graph, b.Labels[1]+"."+name+" -> "+parts[1])
				}
				if len(a.Expr.Variables()) == 0 {
					if _, diags := a.Expr.Value(nil); diags.HasErrors() {
						t.Fatalf("%s %s.%s: %s", kind, b.Labels[1], name, diags)
					}
				}
			}
		}
		slices.Sort(graph)
		graphs[kind] = graph
	}
	if len(graphs["rocketchat"]) != n-n/unitSize || !slices.Equal(graphs["noop"], graphs["rocketchat"]) ||
		!slices.Equal(graphs["terraform_data"], graphs["rocketchat"]) {
		t.Errorf("graphs differ: rocketchat %d edges, noop %d, terraform_data %d", len(graphs["rocketchat"]), len(graphs["noop"]), len(graphs["terraform_data"]))
	}
	if err := cmdGen([]string{"-kind", "rocketchat", "-n", "15", "-dir", dir}); err == nil {
		t.Error("-n 15 (not a multiple of 10): no error")
	}
}
