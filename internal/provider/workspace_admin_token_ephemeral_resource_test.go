package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// hexToken looks like a token the emulator issues (32 random bytes, hex).
var hexToken = regexp.MustCompile(`[0-9a-f]{64}`)

// The token feeds the write-only admin password of a second workspace: an
// argument that accepts ephemeral values and is never stored. The test
// proves the token was issued and delivered, and that nothing of it, nor the
// ephemeral resource itself, reached the state.
func TestAccWorkspaceAdminTokenEphemeralResource(t *testing.T) {
	e := acctest.New(t)
	cfg := e.ProviderConfig() + workspaceConfig("standard", "us-east", "Acme Chat", "") + `
ephemeral "rocketchat_workspace_admin_token" "t" {
  workspace_id = rocketchat_workspace.test.id
}

resource "rocketchat_plan_tier" "second" {
  tier = "standard"
}

resource "rocketchat_workspace" "second" {
  name              = "Acme Chat 2"
  subdomain         = "acme-chat-second"
  plan_id           = rocketchat_plan_tier.second.id
  admin_password_wo = ephemeral.rocketchat_workspace_admin_token.t.token
}
`
	const route = "POST " + api.RouteAdminTokens
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		// Ephemeral resources need 1.10, write-only arguments 1.11.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		// OpenTofu 1.11 lists the ephemeral resource as a planned "open" in every
		// plan: the empty-plan check allows exactly that (see acctest).
		Steps: acctest.EmptyPlanWithEphemeral(t, resource.TestStep{
			Config: cfg,
			Check: func(s *tfState) error {
				if n := e.Emulator.Stats().Requests[route]; n == 0 {
					return fmt.Errorf("the emulator received no %q request; the ephemeral resource was never opened (requests: %v)",
						route, e.Emulator.Stats().Requests)
				}
				for addr, rs := range s.RootModule().Resources {
					if rs.Type == "rocketchat_workspace_admin_token" {
						return fmt.Errorf("the ephemeral resource is in state as %s", addr)
					}
					for k, v := range rs.Primary.Attributes {
						if hexToken.MatchString(v) {
							return fmt.Errorf("%s.%s holds a token-like value in state", addr, k)
						}
					}
				}
				second := s.RootModule().Resources["rocketchat_workspace.second"]
				if second == nil {
					return fmt.Errorf("rocketchat_workspace.second is not in state")
				}
				if v, ok := second.Primary.Attributes["admin_password_wo"]; ok && v != "" {
					return fmt.Errorf("admin_password_wo is in state: %q", v)
				}
				// The token reached the API as the second workspace's password.
				for id, want := range map[string]bool{
					second.Primary.ID: true,
					s.RootModule().Resources["rocketchat_workspace.test"].Primary.ID: false,
				} {
					w, err := e.Client().GetWorkspace(context.Background(), id)
					if err != nil {
						return err
					}
					if w.AdminPasswordSet != want {
						return fmt.Errorf("workspace %s: admin_password_set = %t, want %t", id, w.AdminPasswordSet, want)
					}
				}
				return nil
			},
		}),
	})
}

// An unknown workspace gets no token, and the error says so.
func TestAccWorkspaceAdminTokenEphemeralResource_notFound(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{{
			Config: e.ProviderConfig() + `
ephemeral "rocketchat_workspace_admin_token" "t" {
  workspace_id = "ws-0000000000000000"
}
`,
			ExpectError: regexp.MustCompile(`(?s)Cannot issue workspace admin token.*404`),
		}},
	})
}
