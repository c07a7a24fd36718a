package main

import (
	"fmt"
	"os"
	"os/exec"
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

// Every generated configuration is as `terraform fmt` writes it (what a
// reader of the benchmark's configurations expects).
func TestGeneratedConfigsFormatted(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no terraform on PATH: `terraform fmt -check` cannot run")
	}
	dir := t.TempDir()
	for _, kind := range []string{"rocketchat", "noop", "terraform_data"} {
		if err := cmdGen([]string{"-kind", kind, "-n", "20", "-dir", filepath.Join(dir, kind)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range ruleVariants {
		if err := cmdGen([]string{"-kind", "peer-" + v, "-n", "150", "-dir", filepath.Join(dir, "peer-"+v), "-uri", "http://127.0.0.1:1", "-token", "t"}); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(tf, "fmt", "-check", "-recursive", "-list=true", dir)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "none.tfrc"), "CHECKPOINT_DISABLE=1")
	if out, err := cmd.Output(); err != nil {
		t.Errorf("terraform fmt -check: %v; not formatted:\n%s", err, out)
	}
}
