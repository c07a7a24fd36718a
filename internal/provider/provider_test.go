package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

type tfState = terraform.State

func TestAccProvider_missingToken(t *testing.T) {
	e := acctest.New(t)
	t.Setenv("ROCKETCHAT_TOKEN", "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "rocketchat" {
  endpoint = "` + e.URL + `"
}
resource "rocketchat_plan_tier" "test" { tier = "standard" }
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Missing API token.*ROCKETCHAT_TOKEN`),
		}},
	})
}

func TestAccProvider_environment(t *testing.T) {
	e := acctest.New(t)
	t.Setenv("ROCKETCHAT_ENDPOINT", e.URL)
	t.Setenv("ROCKETCHAT_TOKEN", acctest.Token)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: `resource "rocketchat_plan_tier" "test" { tier = "standard" }`,
		}},
	})
}

// errorRE matches a diagnostic however Terraform wraps its lines: every
// space in the pattern matches any run of white space.
func errorRE(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}
