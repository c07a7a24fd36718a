package acctest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	version "github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// OpenTofu before 1.12 writes every ephemeral resource of the configuration
// into a saved plan's resource_changes with the action "open" (Terraform
// leaves ephemeral resources out; OpenTofu 1.12 stopped, opentofu/opentofu
// #3781 and #3897), while printing "No changes". terraform-plugin-testing
// counts any action but no-op as a change, so a step that uses an ephemeral
// resource fails its empty-plan check under OpenTofu 1.11 although nothing
// changes. The provider is not involved: the same provider binary plans
// empty under both CLIs.
var openTofuListsEphemeralOpens = version.Must(version.NewVersion("1.12.0"))

// ephemeralBlock finds an ephemeral resource block in a configuration.
var ephemeralBlock = regexp.MustCompile(`(?m)^ephemeral "`)

// EmptyPlanWithEphemeral adapts the steps whose configuration declares an
// ephemeral resource: under a CLI that lists ephemeral "open" actions in its plans, the
// framework's empty-plan check is replaced by one that allows those entries
// only and fails on any change to a managed resource or an output. Under any
// other CLI the steps are returned as they are.
func EmptyPlanWithEphemeral(t *testing.T, steps ...resource.TestStep) []resource.TestStep {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		return steps // resource.Test skips the test
	}
	c := MustCLI(t)
	if !c.OpenTofu() || !c.Version.Core().LessThan(openTofuListsEphemeralOpens) {
		return steps
	}
	for i := range steps {
		s := &steps[i]
		if s.ExpectNonEmptyPlan || s.ExpectError != nil || !ephemeralBlock.MatchString(s.Config) {
			continue
		}
		s.ExpectNonEmptyPlan = true
		s.ConfigPlanChecks.PostApplyPreRefresh = append(s.ConfigPlanChecks.PostApplyPreRefresh, noChangeButEphemeralOpens{})
		s.ConfigPlanChecks.PostApplyPostRefresh = append(s.ConfigPlanChecks.PostApplyPostRefresh, noChangeButEphemeralOpens{})
	}
	return steps
}

type noChangeButEphemeralOpens struct{}

var _ plancheck.PlanCheck = noChangeButEphemeralOpens{}

func (noChangeButEphemeralOpens) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = PlanChanges(req.Plan)
}

// PlanChanges is an error naming every change a plan proposes to a managed
// resource or an output; ephemeral resources' "open" entries are not changes.
func PlanChanges(p *tfjson.Plan) error {
	var changes []string
	for _, rc := range p.ResourceChanges {
		if rc.Mode == "ephemeral" {
			continue
		}
		if rc.Change != nil && !rc.Change.Actions.NoOp() {
			changes = append(changes, fmt.Sprintf("%s: %v", rc.Address, rc.Change.Actions))
		}
	}
	for name, oc := range p.OutputChanges {
		if oc != nil && !oc.Actions.NoOp() {
			changes = append(changes, fmt.Sprintf("output %s: %v", name, oc.Actions))
		}
	}
	if len(changes) > 0 {
		return fmt.Errorf("the plan is not empty: %v", changes)
	}
	return nil
}
