package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Each child resource's page gives an example of its own kind with its own
// quota (the pages of firewall rules and custom domains once spoke of static IPs).
func TestChildPlanNoteNamesItsOwnObjectAndQuota(t *testing.T) {
	for _, g := range []childGate{customDomainGate, firewallRuleGate, staticIPGate} {
		note := g.planNote()
		noun := catalog.ChildNoun(g.feature)
		var q int
		var tier catalog.Tier
		for _, spec := range catalog.Tiers {
			if n := spec.Quota(g.feature); n > 0 {
				q, tier = n, spec.Name
				break
			}
		}
		want := fmt.Sprintf("%d new %s on a %s workspace (quota %d) fail at plan", q+1, noun, tier, q)
		if !strings.Contains(note, want) {
			t.Errorf("%s: the note does not say %q:\n%s", g.noun, want, note)
		}
		for _, other := range []string{"static IPs", "firewall rules", "custom domains"} {
			if other != noun && strings.Contains(note, "new "+other) {
				t.Errorf("%s: the note's example is about %s", g.noun, other)
			}
		}
	}
}

// The default of every wait appears in the docs of the timeouts block.
func TestTimeoutsDocumentTheirDefaults(t *testing.T) {
	b, ok := timeoutsBlock(context.Background(), timeouts.Opts{Create: true, Update: true, Delete: true}).(schema.SingleNestedBlock)
	if !ok {
		t.Fatal("timeoutsBlock is no SingleNestedBlock")
	}
	for name, d := range map[string]time.Duration{"create": defaultCreateTimeout, "update": defaultUpdateTimeout, "delete": defaultDeleteTimeout} {
		want := "default `" + shortDuration(d) + "`"
		if got := b.Attributes[name].GetMarkdownDescription(); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not name its %s", name, got, want)
		}
		if !strings.Contains(b.MarkdownDescription, name+" `"+shortDuration(d)+"`") {
			t.Errorf("the block's description %q misses %s", b.MarkdownDescription, name)
		}
	}
	for d, want := range map[time.Duration]string{20 * time.Minute: "20m", 10 * time.Minute: "10m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 45 * time.Second: "45s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%s) = %q, want %q", d, got, want)
		}
	}
}
