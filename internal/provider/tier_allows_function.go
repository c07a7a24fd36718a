package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ function.Function = (*tierAllowsFunction)(nil)

// NewTierAllowsFunction returns provider::rocketchat::tier_allows.
func NewTierAllowsFunction() function.Function { return &tierAllowsFunction{} }

type tierAllowsFunction struct{}

func (f *tierAllowsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "tier_allows"
}

func (f *tierAllowsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a plan tier includes a feature",
		MarkdownDescription: "Returns `true` when the tier includes the tier-gated feature, from the provider's built-in catalog " +
			"(the same rules the plan-time checks apply). Errors on an unknown tier or feature, naming the allowed values.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "tier",
				MarkdownDescription: fmt.Sprintf("Tier name: one of %s.", backquoteJoin(catalog.TierNames())),
			},
			function.StringParameter{
				Name:                "feature",
				MarkdownDescription: fmt.Sprintf("Feature name: one of %s.", backquoteJoin(featureNames())),
			},
		},
		Return: function.BoolReturn{},
	}
}

func (f *tierAllowsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var tier, feature string
	resp.Error = req.Arguments.Get(ctx, &tier, &feature)
	if resp.Error != nil {
		return
	}
	// One error at a time, so Terraform points at the argument at fault.
	spec, ferr := tierArgument(0, tier)
	if ferr == nil && !slices.Contains(featureNames(), feature) {
		ferr = function.NewArgumentFuncError(1, fmt.Sprintf("unknown feature %q; allowed values: %s", feature, quoteList(featureNames())))
	}
	if ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, spec.Allows(catalog.Feature(feature)))
}

// tierArgument looks up the tier named by a function argument.
func tierArgument(pos int64, name string) (catalog.TierSpec, *function.FuncError) {
	spec, ok := catalog.Lookup(catalog.Tier(name))
	if !ok {
		return spec, function.NewArgumentFuncError(pos, fmt.Sprintf("unknown tier %q; allowed values: %s", name, quoteList(catalog.TierNames())))
	}
	return spec, nil
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
