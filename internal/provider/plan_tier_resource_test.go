package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Every plan rule of the domain whose inputs are known at plan time fails
// `terraform plan` on the attribute at fault, before any mutating request.
func TestAccPlanTier_rulesAtPlanTime(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"vpn on premium":              {`tier = "premium"` + "\n" + `vpn = true`, `vpn needs the dedicated tier; this plan is "premium"\. Remove vpn, or upgrade tier to "dedicated"`},
		"vpn on standard":             {`tier = "standard"` + "\n" + `vpn = true`, `vpn needs the dedicated tier`},
		"ip isolation on standard":    {`tier = "standard"` + "\n" + `ip_isolation = true`, `ip_isolation needs the premium or dedicated tier`},
		"scaling on standard":         {`tier = "standard"` + "\n" + `automated_scaling = true`, `automated_scaling needs the premium or dedicated tier`},
		"routing rules on standard":   {`tier = "standard"` + "\n" + `routing_rules = true`, `routing_rules needs the premium or dedicated tier`},
		"matrix on standard":          {`tier = "standard"` + "\n" + `matrix_addon = true`, `matrix_addon needs the premium or dedicated tier`},
		"asterisk on standard":        {`tier = "standard"` + "\n" + `asterisk_addon = true`, `asterisk_addon needs the premium or dedicated tier`},
		"api rate limit on standard":  {`tier = "standard"` + "\n" + `api_rate_limit = 1200`, `api_rate_limit needs the premium or dedicated tier`},
		"api rate limit out of range": {`tier = "premium"` + "\n" + `api_rate_limit = 10`, `api_rate_limit.*between 60 and 60000`},
		"version freeze on premium":   {`tier = "premium"` + "\n" + `version_freeze = "7.10"`, `version_freeze needs the dedicated tier`},
		"version outside window":      {`tier = "dedicated"` + "\n" + `version_freeze = "5.0"`, `version_freeze.*value must be one of`},
		"postponement on standard":    {`tier = "standard"` + "\n" + `major_upgrade_postponement_days = 10`, `major_upgrade_postponement_days needs the premium or dedicated tier`},
		"postponement over 30 days":   {`tier = "premium"` + "\n" + `major_upgrade_postponement_days = 31`, `major_upgrade_postponement_days.*between 0 and 30`},
		"users over standard cap":     {`tier = "standard"` + "\n" + `max_users = 501`, `501 exceeds the standard tier's cap of 500 users`},
		"users over premium cap":      {`tier = "premium"` + "\n" + `max_users = 3001`, `3001 exceeds the premium tier's cap of 3000 users`},
		"storage over standard cap":   {`tier = "standard"` + "\n" + `max_storage_gb = 51`, `51 exceeds the standard tier's cap of 50 GB`},
		"storage over premium cap":    {`tier = "premium"` + "\n" + `max_storage_gb = 251`, `251 exceeds the premium tier's cap of 250 GB`},
		"omnichannel over cap":        {`tier = "standard"` + "\n" + `omnichannel_conversations_per_month = 5001`, `5001 exceeds the standard tier's cap of 5000 omnichannel`},
		"region on standard":          {`tier = "standard"` + "\n" + `region = "eu-central"`, `region "eu-central" is not available on the standard tier; allowed regions: "us-east", or upgrade tier to "premium"`},
		"region on premium":           {`tier = "premium"` + "\n" + `region = "sa-east"`, `region "sa-east" is not available on the premium tier.*upgrade tier to "dedicated"`},
		"unknown region":              {`tier = "dedicated"` + "\n" + `region = "mars-1"`, `region.*value must be one of`},
		"unknown tier":                {`tier = "enterprise"`, `tier.*value must be one of.*"standard"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := acctest.New(t)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config:      e.ProviderConfig() + fmt.Sprintf("resource \"rocketchat_plan_tier\" \"test\" {\n%s\n}\n", tc.body),
					PlanOnly:    true,
					ExpectError: errorRE(tc.want),
				}},
			})
			if n := e.Mutations(); n != 0 {
				t.Errorf("emulator saw %d mutating request(s) before the plan-time error; want 0", n)
			}
		})
	}
}

func planConfig(body string) string {
	return fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
%s
}

resource "rocketchat_workspace" "test" {
  name      = "Acme"
  subdomain = "acme"
  plan_id   = rocketchat_plan_tier.test.id
}
`, body)
}

// A downgrade is an error at plan time, decided from prior state, and never
// turned into a replacement.
func TestAccPlanTier_noDowngrade(t *testing.T) {
	for name, tc := range map[string]struct{ from, to string }{
		"premium to standard":   {"premium", "standard"},
		"dedicated to premium":  {"dedicated", "premium"},
		"dedicated to standard": {"dedicated", "standard"},
	} {
		t.Run(name, func(t *testing.T) {
			e := acctest.New(t)
			e.ApproveWhilePending()
			region := `region = "us-east"`
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{
					{Config: e.ProviderConfig() + planConfig(fmt.Sprintf("tier = %q\n%s", tc.from, region))},
					{
						PreConfig:   e.Reset(),
						Config:      e.ProviderConfig() + planConfig(fmt.Sprintf("tier = %q\n%s", tc.to, region)),
						PlanOnly:    true,
						ExpectError: errorRE(fmt.Sprintf(`cannot downgrade from "%s" to "%s"`, tc.from, tc.to)),
					},
					{
						PreConfig: e.CheckNoMutations(),
						Config:    e.ProviderConfig() + planConfig(fmt.Sprintf("tier = %q\n%s", tc.from, region)),
						PlanOnly:  true,
					},
				},
			})
		})
	}
}

// Upgrades happen in place across all three tiers; IDs never change, and
// Dedicated waits for its manual approval.
func TestAccPlanTier_upgradePathInPlace(t *testing.T) {
	e := acctest.New(t)
	planID := statecheck.CompareValue(compare.ValuesSame())
	wsID := statecheck.CompareValue(compare.ValuesSame())
	step := func(tier, extra string, action, wsAction plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			Config: e.ProviderConfig() + planConfig(fmt.Sprintf("tier = %q\n%s", tier, extra)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("rocketchat_plan_tier.test", action),
				plancheck.ExpectResourceAction("rocketchat_workspace.test", wsAction),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				planID.AddStateValue("rocketchat_plan_tier.test", tfjsonpath.New("id")),
				wsID.AddStateValue("rocketchat_workspace.test", tfjsonpath.New("id")),
				expectAttr("rocketchat_plan_tier.test", "tier", knownvalue.StringExact(tier)),
				expectAttr("rocketchat_plan_tier.test", "status", knownvalue.StringExact("active")),
			},
		}
	}
	standard := step("standard", "", plancheck.ResourceActionCreate, plancheck.ResourceActionCreate)
	premium := step("premium", "automated_scaling = true\nmatrix_addon = true\nmax_users = 2500", plancheck.ResourceActionUpdate, plancheck.ResourceActionNoop)
	dedicated := step("dedicated", "automated_scaling = true\nmatrix_addon = true\nvpn = true\nversion_freeze = \"7.11\"", plancheck.ResourceActionUpdate, plancheck.ResourceActionNoop)
	dedicated.PreConfig = e.ApproveWhilePending
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			standard, premium, dedicated,
			{ResourceName: "rocketchat_plan_tier.test", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
		},
	})
}

// An upgrade that the API completes in its answer (immediate provisioning)
// costs one PATCH and no poll: the plan is active in the answer itself.
func TestAccPlanTier_immediateUpgradeDoesNotPoll(t *testing.T) {
	e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: e.ProviderConfig() + planConfig(`tier = "standard"`)},
			{
				PreConfig: e.Reset(),
				Config:    e.ProviderConfig() + planConfig(`tier = "premium"`),
				Check: func(*tfState) error {
					reqs := e.Emulator.Stats().Requests
					if reqs["PATCH "+api.RoutePlan] != 1 || reqs["GET "+api.RoutePlan] != 0 {
						return fmt.Errorf("an immediate upgrade made %d PATCH and %d GET of the plan; want 1 and 0 (%v)",
							reqs["PATCH "+api.RoutePlan], reqs["GET "+api.RoutePlan], reqs)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("rocketchat_plan_tier.test", "status", knownvalue.StringExact("active")),
					expectAttr("rocketchat_workspace.test", "status", knownvalue.StringExact("ready")),
				},
			},
		},
	})
}

// An upgrade to Dedicated that is never approved honours timeouts.update.
func TestAccPlanTier_dedicatedUpgradeTimeout(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: e.ProviderConfig() + planConfig(`tier = "premium"`)},
			{
				Config:      e.ProviderConfig() + planConfig("tier = \"dedicated\"\ntimeouts {\n update = \"1s\"\n}"),
				ExpectError: errorRE(`dedicated tier is provisioned only after a manual approval`),
			},
		},
	})
}

func TestAccPlanTier_disappears(t *testing.T) {
	e := acctest.New(t)
	cfg := e.ProviderConfig() + `resource "rocketchat_plan_tier" "test" { tier = "standard" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					plans, err := e.Client().ListPlans(t.Context())
					if err != nil || len(plans) != 1 {
						t.Fatalf("list plans: %v %v", plans, err)
					}
					if err := e.Client().DeletePlan(t.Context(), plans[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: cfg},
		},
	})
}

// When the tier is unknown at plan time (computed elsewhere), the plan check
// cannot run then. Terraform validates the configuration again at apply,
// once the value is known, so the same words stop the apply before any
// request (the API would reject it too: see the emulator's plan tests).
func TestAccPlanTier_rulesAtApplyWhenUnknown(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: e.ProviderConfig() + `
resource "terraform_data" "tier" {
  input = "premium"
}

resource "rocketchat_plan_tier" "test" {
  tier = terraform_data.tier.output
  vpn  = true
}
`,
			ExpectError: errorRE(`vpn needs the dedicated tier; this plan is "premium". Remove vpn, or upgrade tier to "dedicated"`),
		}},
	})
	if n := e.Emulator.Counts("acme")["plans"]; n != 0 {
		t.Errorf("a rejected order left %d plan(s)", n)
	}
	if n := e.Emulator.Stats().Requests["POST /v1/plans"]; n != 0 {
		t.Errorf("the API saw %d order(s); want none", n)
	}
}

// Destroying a plan tier ends the contract; the API refuses while a
// workspace still runs on it, so the workspace is never silently downgraded.
func TestAccPlanTier_destroyRefusedWhileInUse(t *testing.T) {
	e := acctest.New(t)
	// The workspace leaves Terraform's management but keeps running.
	forget := e.ProviderConfig() + `
resource "rocketchat_plan_tier" "test" {
  tier = "standard"
}

removed {
  from = rocketchat_workspace.test
  lifecycle {
    destroy = false
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: e.ProviderConfig() + planConfig(`tier = "standard"`)},
			{Config: forget},
			{
				Config:      e.ProviderConfig() + `# the plan tier is removed from the configuration`,
				ExpectError: errorRE(`Cannot cancel plan tier.*plan is in use by workspace ws-[0-9a-f]+; delete the workspace first`),
			},
			{
				PreConfig: func() {
					ws, err := e.Client().ListWorkspaces(t.Context())
					if err != nil || len(ws) != 1 {
						t.Fatalf("the workspace must still run: %v %v", ws, err)
					}
					if err := e.Client().DeleteWorkspace(t.Context(), ws[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.ProviderConfig() + `# the plan tier is removed from the configuration`,
			},
		},
	})
	if n := e.Emulator.Counts("acme")["plans"]; n != 0 {
		t.Errorf("%d plan(s) left after the workspace was gone", n)
	}
}

// An upgrade and a change of the workspace in the same apply: the workspace's
// update waits for the upgrade, so its status is right at the end of the
// apply, and the next plan is empty.
func TestAccPlanTier_upgradeWithWorkspaceChange(t *testing.T) {
	e := acctest.New(t)
	cfg := func(tier, name string) string {
		return e.ProviderConfig() + fmt.Sprintf(`
resource "rocketchat_plan_tier" "test" {
  tier = %q
}

resource "rocketchat_workspace" "test" {
  name      = %q
  subdomain = "acme"
  plan_id   = rocketchat_plan_tier.test.id
}
`, tier, name)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{Config: cfg("standard", "Acme")},
			{
				Config: cfg("premium", "Acme Premium"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_plan_tier.test", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("rocketchat_workspace.test", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("rocketchat_plan_tier.test", "tier", knownvalue.StringExact("premium")),
					expectAttr("rocketchat_plan_tier.test", "status", knownvalue.StringExact("active")),
					expectAttr("rocketchat_workspace.test", "status", knownvalue.StringExact("ready")),
				},
			},
		},
	})
}
