package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

var _ datasource.DataSource = (*regionsDataSource)(nil)

// NewRegionsDataSource returns the rocketchat_regions data source.
func NewRegionsDataSource() datasource.DataSource { return &regionsDataSource{} }

// regionsDataSource lists the catalog's regions, optionally those of one tier; no API call.
type regionsDataSource struct{}

type regionsModel struct {
	Tier    types.String  `tfsdk:"tier"`
	Regions []regionModel `tfsdk:"regions"`
}

type regionModel struct {
	Name            types.String `tfsdk:"name"`
	DisplayName     types.String `tfsdk:"display_name"`
	HostingProvider types.String `tfsdk:"hosting_provider"`
	DataLocation    types.String `tfsdk:"data_location"`
	Tiers           []string     `tfsdk:"tiers"`
}

func (d *regionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_regions"
}

func (d *regionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The regions a workspace can be ordered in, with their hosting provider, data location and " +
			"the tiers allowed there. Read from the provider's built-in catalog: no API call.",
		Attributes: map[string]schema.Attribute{
			"tier": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Only list the regions this tier may use: one of %s. Omit it to list every region.",
					backquoteJoin(catalog.TierNames())),
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(catalog.TierNames()...)},
			},
			"regions": schema.ListNestedAttribute{
				MarkdownDescription: "The regions, in the catalog's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":             str("Region name, as `rocketchat_plan_tier.region` takes it."),
					"display_name":     str("Human-readable name, e.g. `EU West (Gravelines)`."),
					"hosting_provider": str("Who hosts workspaces there (`AWS` or `OVH`)."),
					"data_location":    str("Country where the workspaces' data is hosted."),
					"tiers": schema.ListAttribute{
						MarkdownDescription: "Tiers that may be ordered in the region, lowest first.",
						Computed:            true,
						ElementType:         types.StringType,
					},
				}},
			},
		},
	}
}

func (d *regionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m regionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Regions = []regionModel{}
	for _, r := range catalog.Regions {
		tiers := nonNil(catalog.TiersIn(r.Name))
		if !m.Tier.IsNull() && !slices.Contains(tiers, m.Tier.ValueString()) {
			continue
		}
		m.Regions = append(m.Regions, regionModel{
			Name:            types.StringValue(r.Name),
			DisplayName:     types.StringValue(r.DisplayName),
			HostingProvider: types.StringValue(r.HostingProvider),
			DataLocation:    types.StringValue(r.DataLocation),
			Tiers:           tiers,
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
