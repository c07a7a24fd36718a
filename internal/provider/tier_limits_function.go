package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ function.Function = (*tierLimitsFunction)(nil)

// NewTierLimitsFunction returns provider::rocketchat::tier_limits.
func NewTierLimitsFunction() function.Function { return &tierLimitsFunction{} }

type tierLimitsFunction struct{}

// tierLimitsModel is the function's result; the caps are null when the tier
// has no fixed cap.
type tierLimitsModel struct {
	MaxUsers                 types.Int64 `tfsdk:"max_users"`
	MaxStorageGB             types.Int64 `tfsdk:"max_storage_gb"`
	OmnichannelConversations types.Int64 `tfsdk:"omnichannel_conversations_per_month"`
	StaticIPQuota            types.Int64 `tfsdk:"static_ip_quota"`
	FirewallRuleQuota        types.Int64 `tfsdk:"firewall_rule_quota"`
	CustomDomainQuota        types.Int64 `tfsdk:"custom_domain_quota"`
}

var tierLimitsType = map[string]attr.Type{
	"max_users":                           types.Int64Type,
	"max_storage_gb":                      types.Int64Type,
	"omnichannel_conversations_per_month": types.Int64Type,
	"static_ip_quota":                     types.Int64Type,
	"firewall_rule_quota":                 types.Int64Type,
	"custom_domain_quota":                 types.Int64Type,
}

func (f *tierLimitsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "tier_limits"
}

func (f *tierLimitsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Usage caps and per-workspace quotas of a plan tier",
		MarkdownDescription: "Returns the tier's usage caps (`max_users`, `max_storage_gb`, `omnichannel_conversations_per_month`; " +
			"`null` when the tier has no fixed cap, i.e. quoted to size) and its per-workspace quotas of static IPs, firewall rules " +
			"and custom domains, from the provider's built-in catalog. Errors on an unknown tier.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "tier",
				MarkdownDescription: fmt.Sprintf("Tier name: one of %s.", backquoteJoin(catalog.TierNames())),
			},
		},
		Return: function.ObjectReturn{AttributeTypes: tierLimitsType},
	}
}

func (f *tierLimitsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var tier string
	if resp.Error = req.Arguments.Get(ctx, &tier); resp.Error != nil {
		return
	}
	spec, ferr := tierArgument(0, tier)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	// The same values rocketchat_tier exposes.
	t := newTierModel(spec)
	resp.Error = resp.Result.Set(ctx, tierLimitsModel{
		MaxUsers:                 t.MaxUsers,
		MaxStorageGB:             t.MaxStorageGB,
		OmnichannelConversations: t.OmnichannelConversations,
		StaticIPQuota:            t.StaticIPQuota,
		FirewallRuleQuota:        t.FirewallRuleQuota,
		CustomDomainQuota:        t.CustomDomainQuota,
	})
}
