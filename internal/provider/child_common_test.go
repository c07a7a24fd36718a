package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

// Helpers shared by the tests of the workspace's child resources (custom
// domains, firewall rules, static IPs).

// childConfig is a plan tier and a workspace on it, plus the children.
func childConfig(e *acctest.Env, tier, children string) string {
	return e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  tier = %q
}

resource "rocketchat_workspace" "test" {
  name                = "Acme Chat"
  subdomain           = "acme-chat"
  plan_id             = rocketchat_plan_tier.test.id
  deletion_protection = false
}
%s`, tier, children)
}

// childIDs reads "<workspace_id>" and "<id>" of a child from state.
func childIDs(s *tfState, addr string) (string, string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", "", fmt.Errorf("%s not in state", addr)
	}
	return rs.Primary.Attributes["workspace_id"], rs.Primary.ID, nil
}

// childImportID builds the "<workspace_id>/<id>" import ID of a child.
func childImportID(addr string) resource.ImportStateIdFunc {
	return func(s *tfState) (string, error) {
		ws, id, err := childIDs(s, addr)
		return ws + "/" + id, err
	}
}

// captureChild records a child's IDs for a later out-of-band change.
func captureChild(addr string, ws, id *string) resource.TestCheckFunc {
	return func(s *tfState) error {
		var err error
		*ws, *id, err = childIDs(s, addr)
		return err
	}
}

// disappearsSteps creates the config, deletes the child out of band, expects
// a plan to recreate it, and converges.
func disappearsSteps(t *testing.T, cfg, addr string, del func(ws, id string) error) []resource.TestStep {
	var ws, id string
	return []resource.TestStep{
		{Config: cfg, Check: captureChild(addr, &ws, &id)},
		{
			PreConfig: func() {
				if err := del(ws, id); err != nil {
					t.Fatalf("out-of-band delete of %s: %v", addr, err)
				}
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
		{Config: cfg},
	}
}

// malformedImportStep imports a child with an ID lacking the workspace part.
func malformedImportStep(cfg, addr, kind string) resource.TestStep {
	return resource.TestStep{
		Config:        cfg,
		ResourceName:  addr,
		ImportState:   true,
		ImportStateId: "no-workspace-part",
		ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*` +
			words(fmt.Sprintf(`invalid %s import ID "no-workspace-part": expected "<workspace_id>/<%s_id>"`, kind, kind))),
	}
}

// tierGateSteps checks a tier rule on a workspace that already exists: the
// plan fails on workspace_id before any mutating request, and the config
// without the child still plans cleanly.
func tierGateSteps(e *acctest.Env, before, after string, want *regexp.Regexp) []resource.TestStep {
	return []resource.TestStep{
		{Config: before},
		{PreConfig: e.Reset(), Config: after, PlanOnly: true, ExpectError: want},
		{PreConfig: e.CheckNoMutations(), Config: before, PlanOnly: true},
	}
}

// words matches s literally, letting any space be a line break (Terraform
// wraps diagnostic text).
func words(s string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(s), " ", `\s+`)
}
