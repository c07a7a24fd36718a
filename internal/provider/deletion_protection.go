package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Deletion protection of workspaces, and the final export before a delete.
//
// The rule is the prior state's: a workspace recorded as protected is never
// planned away, whatever the configuration now says, so turning protection
// off and deleting in one apply is refused (lifting it is its own apply).
// The API enforces the same flag for every other client.

const protectedSummary = "Workspace is protected from deletion"

// protectedDetail says why the workspace would go and the two ways out.
func protectedDetail(id, subdomain, why, undo string) string {
	return fmt.Sprintf("Workspace %s (%s) has deletion_protection = true, and %s. Nothing was changed.\n\n"+
		"Either:\n"+
		"  1. to delete it: set deletion_protection = false and apply that change on its own first (with the workspace still in "+
		"the configuration and nothing else changed on it); then plan this again. A final export of its data is taken before the "+
		"delete unless skip_final_export = true.\n"+
		"  2. to keep it: %s.",
		id, subdomain, why, undo)
}

// guardWorkspaceDeletion fails the plan of a protected workspace that would
// destroy it or replace it. It reads nothing from the API: the refreshed
// prior state holds the flag (protection turned off outside Terraform was
// refreshed into it).
func guardWorkspaceDeletion(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || unchanged(req) {
		return // a create, or nothing changes (most plans: keep them cheap)
	}
	var protected types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("deletion_protection"), &protected)...)
	if resp.Diagnostics.HasError() || !protected.ValueBool() {
		return
	}
	id, sub := mustString(ctx, req.State, "id", &resp.Diagnostics), mustString(ctx, req.State, "subdomain", &resp.Diagnostics)
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddError(protectedSummary, protectedDetail(id, sub,
			"this plan destroys it (`terraform destroy`, its resource block removed, or a `removed` block with destroy = true)",
			"do not destroy it: keep its resource block (or `-target` other resources); to stop managing it without deleting it, "+
				"use a `removed` block with `lifecycle { destroy = false }`"))
		return
	}
	for _, attr := range []string{"subdomain", "plan_id"} {
		if why, ok := replacedBy(ctx, req.State, req.Plan, attr, &resp.Diagnostics); ok {
			old := mustString(ctx, req.State, attr, &resp.Diagnostics)
			resp.Diagnostics.AddAttributeError(path.Root(attr), protectedSummary, protectedDetail(id, sub,
				"this plan replaces it (destroys it, then creates a new one): "+why,
				fmt.Sprintf("set %s back to %q", attr, old)))
		}
	}
}

// unchanged reports whether the plan keeps the prior state as it is.
func unchanged(req resource.ModifyPlanRequest) bool {
	return !req.Plan.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw)
}

// replacedBy reports whether attr (a RequiresReplace string attribute)
// changes from state to plan, and says how.
func replacedBy(ctx context.Context, state tfsdk.State, plan tfsdk.Plan, attr string, diags *diag.Diagnostics) (string, bool) {
	var from, to types.String
	diags.Append(state.GetAttribute(ctx, path.Root(attr), &from)...)
	diags.Append(plan.GetAttribute(ctx, path.Root(attr), &to)...)
	if diags.HasError() || to.Equal(from) {
		return "", false
	}
	if to.IsUnknown() {
		return fmt.Sprintf("%s changes from %q to a value known only after apply (what it refers to is replaced), which forces a new one",
			attr, from.ValueString()), true
	}
	return fmt.Sprintf("%s changes from %q to %q, which forces a new one", attr, from.ValueString(), to.ValueString()), true
}

func mustString(ctx context.Context, state tfsdk.State, attr string, diags *diag.Diagnostics) string {
	var v types.String
	diags.Append(state.GetAttribute(ctx, path.Root(attr), &v)...)
	return v.ValueString()
}

// guardPlanTierDeletion fails the plan that would destroy or replace a plan
// tier whose workspace is protected. The plan tier's state does not hold its
// workspace, so it asks the API for the plan (one read, only for a plan that
// deletes a plan tier); the workspace comes from the walk's snapshot (no
// request when this configuration refreshed it). A read that fails leaves
// the check to the API at apply.
func guardPlanTierDeletion(ctx context.Context, c *client.Client, gates *gateCache, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if c == nil || req.State.Raw.IsNull() || unchanged(req) {
		return
	}
	why := "this plan destroys it"
	if !req.Plan.Raw.IsNull() {
		how, replaced := replacedBy(ctx, req.State, req.Plan, "region", &resp.Diagnostics)
		if !replaced {
			return
		}
		why = "this plan replaces it: " + how
	}
	id := mustString(ctx, req.State, "id", &resp.Diagnostics)
	p, err := c.GetPlan(ctx, id)
	if err != nil || p.ID != id || p.WorkspaceID == "" {
		return
	}
	var ws *api.Workspace
	if gates != nil {
		if e, err := gates.snapshot(ctx, p.WorkspaceID); err == nil {
			ws = e.ws
		}
	} else {
		ws, _ = c.GetWorkspace(ctx, p.WorkspaceID)
	}
	if ws == nil || ws.ID != p.WorkspaceID || !ws.DeletionProtection {
		return
	}
	resp.Diagnostics.AddError("Plan tier is under a protected workspace", fmt.Sprintf(
		"Plan tier %s runs workspace %s (%s), which has deletion_protection = true, and %s. The API refuses to cancel a plan "+
			"under a protected workspace; nothing was changed.\n\n"+
			"Either:\n"+
			"  1. to delete both: set deletion_protection = false on the workspace and apply that change on its own first; then plan "+
			"this again.\n"+
			"  2. to keep them: undo the change to this plan tier.", id, ws.ID, ws.Subdomain, why))
}

// finalExport takes the export that keeps a workspace's data before its
// delete, within the delete's deadline, and reports the download link and
// its expiry in a warning. An upgrading workspace is exported once ready (the
// API exports ready workspaces only); one never provisioned holds no data.
// It reports whether the delete goes ahead: false after an error, or when
// the workspace is already gone (deleted, then).
func (r *workspaceResource) finalExport(ctx context.Context, m *workspaceModel, deadline time.Time, diags *diag.Diagnostics) bool {
	id := m.ID.ValueString()
	var w *api.Workspace
	err := waitFor(ctx, time.Until(deadline), func(ctx context.Context) (bool, error) {
		var err error
		w, err = r.client.GetWorkspace(ctx, id)
		return err == nil && w.Status != api.StatusUpgrading, err
	})
	switch {
	case client.IsNotFound(err):
		return false
	case err != nil:
		diags.AddError("Workspace not deleted: its final export could not start", fmt.Sprintf("Workspace %s (%s) was not deleted: "+
			"waiting for it to be ready for its final export: %s. Run the apply again (or raise timeouts.delete), or set "+
			"skip_final_export = true (and apply that first) to delete it without an export.", id, m.Subdomain.ValueString(), err))
		return false
	case w.Status == api.StatusPending:
		diags.AddWarning("No final export of workspace "+id, fmt.Sprintf("Workspace %s was never provisioned (status %q): it holds "+
			"no data to export, so it is deleted without a final export.", id, w.Status))
		return true
	}
	report := func(msg string) { tflog.Info(ctx, msg, map[string]any{"workspace_id": id}) }
	var exportDiags diag.Diagnostics
	e := runExport(ctx, r.client, id, true, true, time.Until(deadline), "raise timeouts.delete", report, &exportDiags)
	diags.Append(exportDiags...)
	if e == nil {
		diags.AddError("Workspace not deleted: its final export failed", fmt.Sprintf("Workspace %s (%s) was not deleted, and nothing "+
			"else was changed: the export that keeps its data before a delete did not complete (see the error above). Run the apply "+
			"again, or set skip_final_export = true (and apply that first) to delete it without an export.", id, m.Subdomain.ValueString()))
		return false
	}
	diags.AddWarning("Final export of workspace "+id, strings.Join([]string{
		fmt.Sprintf("Before deleting workspace %s (%s), export %s of its messages, settings and uploaded files was taken.", id, m.Subdomain.ValueString(), e.ID),
		"Download it until " + exportExpiry(e) + ":",
		"  " + e.DownloadURL,
		"The link is signed: anyone who has it can download the archive until it expires. It is shown here once and kept nowhere else.",
	}, "\n"))
	return true
}
