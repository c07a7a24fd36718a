package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

// exampleFixture provides what the child resources' examples refer to
// without declaring it: a Premium workspace named "team".
const exampleFixture = `
resource "rocketchat_plan_tier" "team" {
  tier = "premium"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
}
`

// exampleEdits make an example runnable here without changing what it shows:
// a placeholder ID becomes a real one, a user's script becomes a no-op.
var exampleEdits = map[string][2]string{
	"data-sources/rocketchat_workspace":                    {`"ws-0123456789abcdef"`, `rocketchat_workspace.team.id`},
	"ephemeral-resources/rocketchat_workspace_admin_token": {`"./bootstrap-workspace.sh"`, `"test -n \"$ADMIN_TOKEN\""`},
}

var requiredProvidersRE = regexp.MustCompile(`(?ms)^terraform \{\n.*?^\}\n`)

// Every example in examples/ (which the docs show) applies against the
// emulator, and a second plan of it is empty.
func TestAccExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/*/*.tf")
	demo, _ := filepath.Glob("../../examples/*/*.tf") // the estate `make demo` applies
	files = append(files, demo...)
	// Modules (examples/modules/*) are whole configurations with their own
	// terraform test suites, run by internal/moduletest.
	// Guides' before/after configurations (examples/guides/*) are applied in
	// order by the guide's own test.
	files = slices.DeleteFunc(files, func(f string) bool {
		f = filepath.ToSlash(f)
		return strings.Contains(f, "examples/modules/") || strings.Contains(f, "examples/guides/")
	})
	if err != nil || len(files) < 2 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, file := range files {
		name, _ := filepath.Rel("../../examples", filepath.Dir(file))
		if strings.HasPrefix(filepath.Base(file), "import-by-") {
			continue // import blocks with placeholder IDs: a doc snippet, like import.sh
		}
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(filepath.ToSlash(name), "actions/") {
				acctest.RequireFeature(t, acctest.FeatureActions) // action blocks
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			e := acctest.New(t, acctest.WithDomainVerifyDelay(50*time.Millisecond))
			e.ApproveWhilePending()
			cfg := string(src)
			// The in-process provider is not installed under the registry source the
			// example requires; the test framework wires it in instead.
			cfg = requiredProvidersRE.ReplaceAllString(cfg, "")
			if edit, ok := exampleEdits[filepath.ToSlash(name)]; ok {
				cfg = strings.ReplaceAll(cfg, edit[0], edit[1])
			}
			if strings.Contains(cfg, "rocketchat_workspace.team") && !strings.Contains(cfg, `resource "rocketchat_workspace" "team"`) {
				cfg = exampleFixture + cfg
			}
			if regexp.MustCompile(`(?m)^provider "rocketchat" \{`).MatchString(cfg) {
				cfg = strings.ReplaceAll(cfg, `"http://127.0.0.1:8080"`, `"`+e.URL+`"`)
				cfg = regexp.MustCompile(`(?m)^provider "rocketchat" \{\}$`).ReplaceAllString(cfg, `provider "rocketchat" {
  endpoint = "`+e.URL+`"
  token    = "`+acctest.Token+`"
}`)
			} else {
				cfg = e.ProviderConfig() + cfg
			}
			vars := config.Variables{}
			for k, v := range map[string]string{"admin_password": "Correct-Horse-9", "zone_id": "Z0123", "rocketchat_token": acctest.Token} {
				if strings.Contains(cfg, `variable "`+k+`"`) {
					vars[k] = config.StringVariable(v)
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: acctest.EmptyPlanWithEphemeral(t,
					resource.TestStep{Config: cfg, ConfigVariables: vars},
					resource.TestStep{Config: cfg, ConfigVariables: vars, PlanOnly: true},
				),
			})
		})
	}
}
