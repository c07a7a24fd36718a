package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ function.Function = (*canUpgradeFunction)(nil)

// NewCanUpgradeFunction returns provider::rocketchat::can_upgrade.
func NewCanUpgradeFunction() function.Function { return &canUpgradeFunction{} }

type canUpgradeFunction struct{}

func (f *canUpgradeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "can_upgrade"
}

func (f *canUpgradeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	tiers := backquoteJoin(catalog.TierNames())
	resp.Definition = function.Definition{
		Summary: "Whether a plan may move from one tier to another in place",
		MarkdownDescription: "Returns `true` when a `rocketchat_plan_tier` may change from tier `from` to tier `to` in place: " +
			"the same tier or a higher one. Tiers only move up during the term, so a downgrade returns `false`. " +
			"Errors on an unknown tier.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "from", MarkdownDescription: fmt.Sprintf("Current tier: one of %s.", tiers)},
			function.StringParameter{Name: "to", MarkdownDescription: fmt.Sprintf("Wanted tier: one of %s.", tiers)},
		},
		Return: function.BoolReturn{},
	}
}

func (f *canUpgradeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var from, to string
	if resp.Error = req.Arguments.Get(ctx, &from, &to); resp.Error != nil {
		return
	}
	if _, ferr := tierArgument(0, from); ferr != nil {
		resp.Error = ferr
		return
	}
	if _, ferr := tierArgument(1, to); ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, catalog.CheckTierChange(catalog.Tier(from), catalog.Tier(to)) == nil)
}
