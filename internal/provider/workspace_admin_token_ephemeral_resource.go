package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ ephemeral.EphemeralResource              = (*workspaceAdminTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*workspaceAdminTokenEphemeralResource)(nil)
)

// NewWorkspaceAdminTokenEphemeralResource returns the
// rocketchat_workspace_admin_token ephemeral resource.
func NewWorkspaceAdminTokenEphemeralResource() ephemeral.EphemeralResource {
	return &workspaceAdminTokenEphemeralResource{}
}

// workspaceAdminTokenEphemeralResource issues a short-lived admin login token
// of a workspace each time Terraform opens it; the token never reaches plan
// or state.
type workspaceAdminTokenEphemeralResource struct {
	client *client.Client
}

type workspaceAdminTokenModel struct {
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Token       types.String `tfsdk:"token"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
}

func (r *workspaceAdminTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_admin_token"
}

func (r *workspaceAdminTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A short-lived admin login token of a workspace (Terraform 1.10+). A new token is issued each time " +
			"Terraform opens the ephemeral resource (during plan and apply); it is never written to plan or state. Use it " +
			"where ephemeral values are accepted: provider blocks, write-only arguments, provisioners, ephemeral outputs " +
			"and locals. The workspace must be `ready`.",
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				MarkdownDescription: "ID of the workspace to issue the token for.",
				Required:            true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The admin login token.",
				Computed:            true,
				Sensitive:           true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the token expires (RFC 3339); tokens live a few minutes.",
				Computed:            true,
			},
		},
	}
}

func (r *workspaceAdminTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *workspaceAdminTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m workspaceAdminTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider was not configured before the ephemeral resource was opened; please report this issue.")
		return
	}
	tok, err := r.client.CreateAdminToken(ctx, m.WorkspaceID.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot issue workspace admin token", err, "workspace_id")
		return
	}
	m.Token = types.StringValue(tok.Token)
	m.ExpiresAt = timeValue(tok.ExpiresAt)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
