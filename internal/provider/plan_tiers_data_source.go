package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ datasource.DataSource = (*planTiersDataSource)(nil)

// NewPlanTiersDataSource returns the rocketchat_plan_tiers data source.
func NewPlanTiersDataSource() datasource.DataSource { return &planTiersDataSource{} }

// planTiersDataSource publishes the whole tier catalog. It makes no API call:
// internal/catalog is the single source of truth, shared with the plan-time
// checks and the API.
type planTiersDataSource struct{}

type planTiersModel struct {
	Tiers []tierModel `tfsdk:"tiers"`
}

// tierModel is one tier of the catalog, as rocketchat_tier and each element
// of rocketchat_plan_tiers expose it.
type tierModel struct {
	Name                     types.String `tfsdk:"name"`
	DisplayName              types.String `tfsdk:"display_name"`
	Rank                     types.Int64  `tfsdk:"rank"`
	Infrastructure           types.String `tfsdk:"infrastructure"`
	RegionPolicy             types.String `tfsdk:"region_policy"`
	VersionPolicy            types.String `tfsdk:"version_policy"`
	Availability             types.String `tfsdk:"availability"`
	Support                  types.String `tfsdk:"support"`
	Provisioning             types.String `tfsdk:"provisioning"`
	MaxUsers                 types.Int64  `tfsdk:"max_users"`
	MaxStorageGB             types.Int64  `tfsdk:"max_storage_gb"`
	OmnichannelConversations types.Int64  `tfsdk:"omnichannel_conversations_per_month"`
	StaticIPKind             types.String `tfsdk:"static_ip_kind"`
	StaticIPQuota            types.Int64  `tfsdk:"static_ip_quota"`
	FirewallRuleQuota        types.Int64  `tfsdk:"firewall_rule_quota"`
	CustomDomainQuota        types.Int64  `tfsdk:"custom_domain_quota"`
	Regions                  []string     `tfsdk:"regions"`
	Features                 []string     `tfsdk:"features"`
}

// newTierModel turns a catalog row into its Terraform value.
func newTierModel(s catalog.TierSpec) tierModel {
	return tierModel{
		Name:                     types.StringValue(string(s.Name)),
		DisplayName:              types.StringValue(s.DisplayName),
		Rank:                     types.Int64Value(int64(s.Rank)),
		Infrastructure:           types.StringValue(s.Infrastructure),
		RegionPolicy:             types.StringValue(s.RegionPolicy),
		VersionPolicy:            types.StringValue(s.VersionPolicy),
		Availability:             types.StringValue(s.Availability),
		Support:                  types.StringValue(s.Support),
		Provisioning:             types.StringValue(string(s.Provisioning)),
		MaxUsers:                 capValue(s.MaxUsers),
		MaxStorageGB:             capValue(s.MaxStorageGB),
		OmnichannelConversations: capValue(s.MaxOmnichannelConversationsMonth),
		StaticIPKind:             types.StringValue(string(s.StaticIPKind)),
		StaticIPQuota:            types.Int64Value(int64(s.StaticIPQuota)),
		FirewallRuleQuota:        types.Int64Value(int64(s.FirewallRuleQuota)),
		CustomDomainQuota:        types.Int64Value(int64(s.CustomDomainQuota)),
		Regions:                  nonNil(catalog.RegionsFor(s)),
		Features:                 tierFeatures(s),
	}
}

// capValue maps a usage cap to a number, or null when the tier has no fixed
// cap (quoted to size).
func capValue(v int64) types.Int64 {
	if v == catalog.NoCap {
		return types.Int64Null()
	}
	return types.Int64Value(v)
}

// tierFeatures lists the features the tier allows, in the catalog's order.
func tierFeatures(s catalog.TierSpec) []string {
	out := []string{}
	for _, f := range catalog.Features {
		if s.Allows(f.Name) {
			out = append(out, string(f.Name))
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func featureNames() []string {
	names := make([]string, len(catalog.Features))
	for i, f := range catalog.Features {
		names[i] = string(f.Name)
	}
	return names
}

// tierAttributes is the schema of one tier; name is the only attribute that
// differs (an argument of rocketchat_tier, computed in rocketchat_plan_tiers).
func tierAttributes(name schema.StringAttribute) map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	list := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
	}
	noCap := " `null` when the tier has no fixed cap (quoted to size)."
	return map[string]schema.Attribute{
		"name":                                name,
		"display_name":                        str("Marketing name of the tier, e.g. `Premium Cloud`."),
		"rank":                                num("Position in the upgrade order (0 is the lowest); a move to a lower rank is a downgrade, which is refused."),
		"infrastructure":                      str("How the tier's workspaces are hosted."),
		"region_policy":                       str("Which regions the tier may use, in words (`regions` lists them)."),
		"version_policy":                      str("How software upgrades are handled on the tier."),
		"availability":                        str("Availability commitment."),
		"support":                             str("Support hours and recovery time objective."),
		"provisioning":                        str("How a workspace becomes ready: `immediate`, `delayed` or `manual` (after an operator's approval)."),
		"max_users":                           num("Largest `max_users` a plan of this tier may set." + noCap),
		"max_storage_gb":                      num("Largest `max_storage_gb` a plan of this tier may set." + noCap),
		"omnichannel_conversations_per_month": num("Largest `omnichannel_conversations_per_month` a plan of this tier may set." + noCap),
		"static_ip_kind":                      str("Kind of static address the tier gets: `none`, `shared` or `dedicated`."),
		"static_ip_quota":                     num("Most `rocketchat_static_ip` objects per workspace."),
		"firewall_rule_quota":                 num("Most `rocketchat_firewall_rule` objects per workspace."),
		"custom_domain_quota":                 num("Most `rocketchat_custom_domain` objects per workspace."),
		"regions":                             list("Regions the tier may be ordered in."),
		"features":                            list(fmt.Sprintf("Tier-gated features the tier allows, among %s.", backquoteJoin(featureNames()))),
	}
}

func (d *planTiersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plan_tiers"
}

func (d *planTiersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every plan tier of Rocket.Chat Cloud, in upgrade order, with its caps, quotas, regions and features. " +
			"Read from the provider's built-in catalog (the same rules the plan-time checks apply): no API call.",
		Attributes: map[string]schema.Attribute{
			"tiers": schema.ListNestedAttribute{
				MarkdownDescription: "The tiers, lowest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: tierAttributes(schema.StringAttribute{
					MarkdownDescription: "Tier name, as `rocketchat_plan_tier.tier` takes it.",
					Computed:            true,
				})},
			},
		},
	}
}

func (d *planTiersDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	m := planTiersModel{Tiers: make([]tierModel, len(catalog.Tiers))}
	for i, s := range catalog.Tiers {
		m.Tiers[i] = newTierModel(s)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
