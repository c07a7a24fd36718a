package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ datasource.DataSource = (*tierDataSource)(nil)

// NewTierDataSource returns the rocketchat_tier data source.
func NewTierDataSource() datasource.DataSource { return &tierDataSource{} }

// tierDataSource is one row of the catalog, by name; no API call.
type tierDataSource struct{}

func (d *tierDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tier"
}

func (d *tierDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One plan tier of Rocket.Chat Cloud by name: its caps, quotas, regions and features. " +
			"Read from the provider's built-in catalog (the same rules the plan-time checks apply): no API call. " +
			"`rocketchat_plan_tiers` lists every tier.",
		Attributes: tierAttributes(schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Tier name: one of %s.", backquoteJoin(catalog.TierNames())),
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(catalog.TierNames()...)},
		}),
	}
}

func (d *tierDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m tierModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec, ok := catalog.Lookup(catalog.Tier(m.Name.ValueString()))
	if !ok { // the validator already refused it; kept for safety
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Unknown tier",
			fmt.Sprintf("%q is not a tier; allowed values: %s", m.Name.ValueString(), backquoteJoin(catalog.TierNames())))
		return
	}
	m = newTierModel(spec)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
