package acctest

import (
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
)

func TestParseCLIVersion(t *testing.T) {
	for out, want := range map[string]string{
		"Terraform v1.14.9\non linux_amd64\n":     "Terraform 1.14.9",
		"OpenTofu v1.11.14\non linux_amd64\n":     "OpenTofu 1.11.14",
		"Terraform v1.12.0-beta1\non linux_amd64": "Terraform 1.12.0-beta1",
	} {
		name, v, err := ParseCLIVersion(out)
		if err != nil || name+" "+v.String() != want {
			t.Errorf("%q: %s %v, %v; want %s", out, name, v, err, want)
		}
	}
	for _, bad := range []string{"", "Vault v1.2.3", "Terraform 1.14.9", "Terraform vX"} {
		if _, _, err := ParseCLIVersion(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestCLISupports(t *testing.T) {
	cli := func(name, v string) CLI { return CLI{Name: name, Version: version.Must(version.NewVersion(v))} }
	for _, c := range []struct {
		cli  CLI
		f    Feature
		want bool
	}{
		{cli("Terraform", "1.11.4"), FeatureIdentity, false},
		{cli("Terraform", "1.12.0"), FeatureIdentity, true},
		{cli("Terraform", "1.14.0-rc1"), FeatureActions, true}, // a pre-release of 1.14 has 1.14's features
		{cli("Terraform", "1.13.5"), FeatureListResources, false},
		{cli("Terraform", "1.14.9"), FeatureListResources, true},
		{cli("OpenTofu", "1.11.14"), FeatureIdentity, false},
		{cli("OpenTofu", "1.12.0"), FeatureIdentity, true},
		{cli("OpenTofu", "1.20.0"), FeatureActions, false}, // no OpenTofu release known to have them
	} {
		got, why := c.cli.Supports(c.f)
		if got != c.want || got != (why == "") || (!got && !strings.HasPrefix(why, SkipReasonPrefix)) {
			t.Errorf("%s, %s: %t %q; want %t", c.cli, c.f.Name, got, why, c.want)
		}
	}
}

func TestPlanChanges(t *testing.T) {
	change := func(mode tfjson.ResourceMode, a tfjson.Action) *tfjson.ResourceChange {
		return &tfjson.ResourceChange{Address: string(mode) + ".x", Mode: mode, Change: &tfjson.Change{Actions: tfjson.Actions{a}}}
	}
	opens := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		change("ephemeral", "open"), change(tfjson.ManagedResourceMode, tfjson.ActionNoop)}}
	if err := PlanChanges(opens); err != nil {
		t.Errorf("an ephemeral open counted as a change: %v", err)
	}
	update := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		change("ephemeral", "open"), change(tfjson.ManagedResourceMode, tfjson.ActionUpdate)}}
	if err := PlanChanges(update); err == nil || !strings.Contains(err.Error(), "managed.x") {
		t.Errorf("an update was not reported: %v", err)
	}
	output := &tfjson.Plan{OutputChanges: map[string]*tfjson.Change{"o": {Actions: tfjson.Actions{tfjson.ActionCreate}}}}
	if err := PlanChanges(output); err == nil {
		t.Error("an output change was not reported")
	}
}
