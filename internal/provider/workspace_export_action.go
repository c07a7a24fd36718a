package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ action.ActionWithConfigure      = (*workspaceExportAction)(nil)
	_ action.ActionWithModifyPlan     = (*workspaceExportAction)(nil)
	_ action.ActionWithValidateConfig = (*workspaceExportAction)(nil)
)

// defaultExportTimeout bounds the wait for an export to complete.
const defaultExportTimeout = 30 * time.Minute

// NewWorkspaceExportAction returns the rocketchat_workspace_export action.
func NewWorkspaceExportAction() action.Action { return &workspaceExportAction{} }

// workspaceExportAction requests a data export of a workspace: the
// "exports on request" every tier's terms include.
type workspaceExportAction struct{ actionBase }

type workspaceExportModel struct {
	WorkspaceID  types.String `tfsdk:"workspace_id"`
	IncludeFiles types.Bool   `tfsdk:"include_files"`
	Wait         types.Bool   `tfsdk:"wait"`
	Timeout      types.String `tfsdk:"timeout"`
}

func (a *workspaceExportAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_export"
}

func (a *workspaceExportAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Requests a data export of a workspace (messages, settings and, optionally, uploaded files): the " +
			"\"exports on request\" every tier includes. The workspace must be `ready` (the API refuses a workspace still being " +
			"provisioned or upgraded). By default the action waits until the export is complete and reports when its download " +
			"link expires (" + fmt.Sprintf("%d days", int(api.ExportRetention.Hours()/24)) + " after completion); the link itself is a credential, so it is " +
			"never printed: download the archive from the Rocket.Chat Cloud console. Terraform 1.14+.",
		Attributes: map[string]actionschema.Attribute{
			"workspace_id": actionIDAttribute("ID of the `rocketchat_workspace` to export."),
			"include_files": actionschema.BoolAttribute{
				MarkdownDescription: "Add the workspace's uploaded files to the export. Defaults to `false` (messages and settings only).",
				Optional:            true,
			},
			"wait": actionschema.BoolAttribute{
				MarkdownDescription: "Wait until the export is complete. Defaults to `true`; `false` returns once the export is accepted.",
				Optional:            true,
			},
			"timeout": actionschema.StringAttribute{
				MarkdownDescription: "How long to wait for the export, as a Go duration (`30m`, `2h`). Defaults to `30m`.",
				Optional:            true,
			},
		},
	}
}

func (a *workspaceExportAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m workspaceExportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if _, err := m.timeout(); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid timeout", err.Error())
	}
}

func (m workspaceExportModel) timeout() (time.Duration, error) {
	if m.Timeout.IsNull() || m.Timeout.IsUnknown() {
		return defaultExportTimeout, nil
	}
	d, err := time.ParseDuration(m.Timeout.ValueString())
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive Go duration such as \"30m\" or \"2h\"", m.Timeout.ValueString())
	}
	return d, nil
}

// ModifyPlan checks at plan time that the workspace exists.
func (a *workspaceExportAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var m workspaceExportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planCheck(ctx, a.client, []types.String{m.WorkspaceID}, "workspace_id", "Workspace", func(ctx context.Context) error {
		_, err := a.client.GetWorkspace(ctx, m.WorkspaceID.ValueString())
		return err
	}, &resp.Diagnostics)
}

func (a *workspaceExportAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m workspaceExportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, err := m.timeout()
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid timeout", err.Error())
		return
	}
	_ = runExport(ctx, a.client, m.WorkspaceID.ValueString(), m.IncludeFiles.ValueBool(), m.Wait.IsNull() || m.Wait.ValueBool(),
		timeout, "raise timeout", func(msg string) { progress(resp, msg) }, &resp.Diagnostics)
}

// runExport requests a data export of workspace wsID and, when wait, waits
// for it to complete within timeout (raise names how to give it longer),
// telling report each step. It returns the export (completed when waited
// for), or nil after adding an error. The rocketchat_workspace_export action
// and the final export of a workspace's delete both run it.
func runExport(ctx context.Context, c *client.Client, wsID string, includeFiles, wait bool, timeout time.Duration,
	raise string, report func(string), diags *diag.Diagnostics) *api.Export {
	e, err := c.RequestExport(ctx, wsID, api.ExportInput{IncludeFiles: includeFiles})
	if err == nil && e.WorkspaceID != wsID {
		err = fmt.Errorf("the API answered with export %q of workspace %q, not of workspace %q", e.ID, e.WorkspaceID, wsID)
	}
	if err != nil {
		addAPIError(diags, "Cannot request the export of workspace "+wsID, err)
		return nil
	}
	what := "messages and settings"
	if e.IncludeFiles {
		what += ", with uploaded files"
	}
	report(fmt.Sprintf("Export %s of workspace %s requested (%s).", e.ID, wsID, what))
	if !wait {
		report("Not waiting for it (wait = false): follow it in the Rocket.Chat Cloud console.")
		return e
	}
	err = waitFor(ctx, timeout, func(ctx context.Context) (bool, error) {
		if e.Status == api.ExportCompleted {
			return true, nil
		}
		next, err := c.GetExport(ctx, wsID, e.ID)
		if err == nil && (next.ID != e.ID || next.WorkspaceID != wsID) {
			err = fmt.Errorf("asked for export %s of workspace %s, the API answered export %q of workspace %q", e.ID, wsID, next.ID, next.WorkspaceID)
		}
		if err == nil {
			e = next
		}
		return err == nil && e.Status == api.ExportCompleted, err
	})
	if err != nil {
		detail := fmt.Sprintf("Waiting for export %s of workspace %s: %s.", e.ID, wsID, err)
		if errors.Is(err, errWaitTimeout) {
			detail += " The export was accepted and keeps running: download it from the Rocket.Chat Cloud console once complete, or " + raise + "."
		}
		diags.AddError("Workspace export did not complete", detail)
		return nil
	}
	report(fmt.Sprintf("Export %s is complete; download it from the Rocket.Chat Cloud console until %s.", e.ID, exportExpiry(e)))
	return e
}

// exportExpiry is when the export's download link stops working.
func exportExpiry(e *api.Export) string {
	if e.ExpiresAt == nil {
		return "unknown"
	}
	return e.ExpiresAt.UTC().Format(time.RFC3339)
}

// progress reports a step, when Terraform listens for progress.
func progress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}
