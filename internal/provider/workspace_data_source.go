package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ datasource.DataSource              = (*workspaceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*workspaceDataSource)(nil)
)

// NewWorkspaceDataSource returns the rocketchat_workspace data source.
func NewWorkspaceDataSource() datasource.DataSource { return &workspaceDataSource{} }

// workspaceDataSource reads an existing workspace by ID (one GET).
type workspaceDataSource struct {
	client *client.Client
}

type workspaceDataModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Subdomain       types.String `tfsdk:"subdomain"`
	PlanID          types.String `tfsdk:"plan_id"`
	Tier            types.String `tfsdk:"tier"`
	Region          types.String `tfsdk:"region"`
	HostingProvider types.String `tfsdk:"hosting_provider"`
	DataLocation    types.String `tfsdk:"data_location"`
	BackupProcessor types.String `tfsdk:"backup_processor"`
	URL             types.String `tfsdk:"url"`
	Status          types.String `tfsdk:"status"`
	CreatedAt       types.String `tfsdk:"created_at"`
	// DeletionProtection is read only: the managing configuration sets it.
	DeletionProtection types.Bool `tfsdk:"deletion_protection"`
}

func (d *workspaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (d *workspaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An existing Rocket.Chat Cloud workspace of the organization, looked up by ID " +
			"(for example one managed by another configuration). Fails when no such workspace exists.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the workspace, e.g. `ws-0123456789abcdef`.",
				Required:            true,
			},
			"name":             str("Display name."),
			"subdomain":        str("Subdomain of the workspace URL."),
			"plan_id":          str("ID of the plan the workspace is provisioned on."),
			"tier":             str("Tier of the plan the workspace runs on, as read when the data source is read (at plan time, unless it depends on a change still to apply); in the configuration that manages the plan, read `rocketchat_plan_tier.<name>.tier` instead."),
			"region":           str("Region of the plan the workspace runs in."),
			"hosting_provider": str("Hosting provider of the region (`AWS` or `OVH`)."),
			"data_location":    str("Country where the workspace's data is hosted."),
			"backup_processor": str("Who processes backups and analytics (`" + catalog.BackupProcessor + "`)."),
			"url":              str("URL of the workspace."),
			"status":           str("Provisioning status: `pending`, `ready` or `upgrading`."),
			"created_at":       str("When the workspace was ordered (RFC 3339)."),
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Whether the API refuses to delete the workspace (and its plan); set on the `rocketchat_workspace` resource.",
				Computed:            true,
			},
		},
	}
}

func (d *workspaceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (d *workspaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m workspaceDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ID.ValueString()
	w, err := d.client.GetWorkspace(ctx, id)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Workspace not found",
			fmt.Sprintf("No workspace with ID %q exists in the organization of the provider's token. "+
				"Check the ID (it looks like \"ws-0123456789abcdef\") and that the workspace was not deleted.", id))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read workspace", err)
		return
	}
	// One mapping from the API, shared with the resource.
	var r workspaceModel
	r.fromAPI(w)
	m = workspaceDataModel{
		ID: r.ID, Name: r.Name, Subdomain: r.Subdomain, PlanID: r.PlanID, Tier: types.StringValue(w.Tier), Region: r.Region,
		HostingProvider: r.HostingProvider, DataLocation: r.DataLocation, BackupProcessor: r.BackupProcessor,
		URL: r.URL, Status: r.Status, CreatedAt: r.CreatedAt, DeletionProtection: r.DeletionProtection,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
