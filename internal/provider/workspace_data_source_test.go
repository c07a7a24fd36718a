package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

func TestAccWorkspaceDataSource(t *testing.T) {
	e := acctest.New(t)
	const (
		res  = "rocketchat_workspace.test"
		data = "data.rocketchat_workspace.test"
	)
	cfg := e.ProviderConfig() + workspaceConfig("premium", "eu-west", "Acme EU", "") + `
data "rocketchat_workspace" "test" {
  id = rocketchat_workspace.test.id
}
`
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "name", "subdomain", "plan_id", "region", "hosting_provider",
		"data_location", "backup_processor", "url", "status", "created_at", "deletion_protection"} {
		checks = append(checks, statecheck.CompareValuePairs(res, tfjsonpath.New(attr), data, tfjsonpath.New(attr), compare.ValuesSame()))
	}
	checks = append(checks,
		statecheck.ExpectKnownValue(data, tfjsonpath.New("tier"), knownvalue.StringExact("premium")),
		statecheck.CompareValuePairs("rocketchat_plan_tier.test", tfjsonpath.New("tier"), data, tfjsonpath.New("tier"), compare.ValuesSame()),
		statecheck.ExpectKnownValue(data, tfjsonpath.New("hosting_provider"), knownvalue.StringExact("OVH")),
		statecheck.ExpectKnownValue(data, tfjsonpath.New("data_location"), knownvalue.StringExact("France")),
		statecheck.ExpectKnownValue(data, tfjsonpath.New("status"), knownvalue.StringExact("ready")),
		statecheck.ExpectKnownValue(data, tfjsonpath.New("url"), knownvalue.StringExact("https://acme-chat.rocket.chat")),
	)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: checks},
			{
				Config: e.ProviderConfig() + `
data "rocketchat_workspace" "missing" {
  id = "ws-0000000000000000"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Workspace not found.*No workspace with ID "ws-0000000000000000"`),
			},
		},
	})
}
