package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// The firewall rules scenario's configurations of the Rocket.Chat provider
// (a set per workspace, and rules one by one) apply to an in-process
// emulator seeded as `benchreport seed` seeds it: every rule lands in its
// variant's workspace, the set costs one PUT per workspace, and the next
// plan is empty. TF_ACC=1 and a Terraform CLI.
func TestAccRuleConfigsApply(t *testing.T) {
	const setN, perRuleN = 150, 20 // two set workspaces (100 and 50 rules), one per-rule workspace
	e := acctest.New(t, acctest.WithProvisioning(catalog.Premium, catalog.ProvisionImmediate, 0))
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	if err := cmdSeed([]string{"-n", fmt.Sprint(setN), "-org", "acme", "-out", seedFile}); err != nil {
		t.Fatal(err)
	}
	if err := e.Emulator.LoadSeedFile(seedFile); err != nil {
		t.Fatal(err)
	}
	config := e.ProviderConfig() + resourcesOf(t, "rocketchat-set", setN) + resourcesOf(t, "rocketchat", perRuleN)

	// wantRules checks that the emulator holds exactly rules [from, to) of
	// the scenario in the variant's workspaces.
	wantRules := func(variant string, n int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for w := range peerWorkspaces(n) {
				ws := peerWorkspaceID(variant, w)
				var got, want []api.FirewallRuleInput
				for r, err := range e.Client().AllFirewallRules(context.Background(), ws) {
					if err != nil {
						return err
					}
					got = append(got, r.FirewallRuleInput)
				}
				for i := w * peerPerWorkspace; i < min(n, (w+1)*peerPerWorkspace); i++ {
					want = append(want, ruleAt(i, peerPerWorkspace))
				}
				byPriority := func(a, b api.FirewallRuleInput) int { return int(a.Priority - b.Priority) }
				slices.SortFunc(got, byPriority)
				if !slices.Equal(got, want) {
					return fmt.Errorf("%s holds %d rules, want %d: %+v", ws, len(got), len(want), got)
				}
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			PreConfig: e.Reset(),
			Config:    config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("rocketchat_firewall_rules.w0", "rules.%", "100"),
				resource.TestCheckResourceAttr("rocketchat_firewall_rules.w1", "rules.%", "50"),
				resource.TestCheckResourceAttr("rocketchat_firewall_rules.w1", "rules.149.cidr", ruleAt(149, peerPerWorkspace).CIDR),
				wantRules("rocketchat-set", setN),
				wantRules("rocketchat", perRuleN),
				func(*terraform.State) error {
					reqs := e.Emulator.Stats().Requests
					if put := reqs["PUT "+api.RouteFirewallRules]; put != peerWorkspaces(setN) {
						return fmt.Errorf("%d PUTs of a rule set for %d workspaces (requests %v)", put, peerWorkspaces(setN), reqs)
					}
					return nil
				},
			),
		}},
	})
}

// resourcesOf generates a variant's configuration of n rules and returns its
// resources, without the terraform and provider blocks (the test serves the
// provider in-process).
func resourcesOf(t *testing.T, variant string, n int) string {
	t.Helper()
	dir := t.TempDir()
	if err := cmdGen([]string{"-kind", "peer-" + variant, "-n", fmt.Sprint(n), "-dir", dir}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "\nresource ")
	if i < 0 {
		t.Fatalf("%s: no resource in\n%s", variant, b)
	}
	return string(b[i:])
}
