package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                = (*workspaceResource)(nil)
	_ resource.ResourceWithConfigure   = (*workspaceResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*workspaceResource)(nil)
)

// NewWorkspaceResource returns the rocketchat_workspace resource.
func NewWorkspaceResource() resource.Resource { return &workspaceResource{} }

type workspaceResource struct {
	client *client.Client
	reads  *readCaches
	gates  *gateCache
}

type workspaceModel struct {
	ID                     types.String   `tfsdk:"id"`
	Name                   types.String   `tfsdk:"name"`
	Subdomain              types.String   `tfsdk:"subdomain"`
	PlanID                 types.String   `tfsdk:"plan_id"`
	AdminPasswordWO        types.String   `tfsdk:"admin_password_wo"`
	AdminPasswordWOVersion types.Int64    `tfsdk:"admin_password_wo_version"`
	Region                 types.String   `tfsdk:"region"`
	HostingProvider        types.String   `tfsdk:"hosting_provider"`
	DataLocation           types.String   `tfsdk:"data_location"`
	BackupProcessor        types.String   `tfsdk:"backup_processor"`
	URL                    types.String   `tfsdk:"url"`
	Status                 types.String   `tfsdk:"status"`
	CreatedAt              types.String   `tfsdk:"created_at"`
	DeletionProtection     types.Bool     `tfsdk:"deletion_protection"`
	SkipFinalExport        types.Bool     `tfsdk:"skip_final_export"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

var workspaceAttributes = []string{"name", "subdomain", "plan_id", "admin_password_wo", "deletion_protection"}

func (r *workspaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

// computedChanging is a computed attribute the API may change on its own
// (an upgrade of the plan, a move of hosting provider): a refresh records the
// change quietly, and a plan that updates the resource shows it as unknown
// rather than promising the old value.
func computedChanging(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

// computedStable is a computed attribute that never changes once known.
func computedStable(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func (r *workspaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Rocket.Chat Cloud workspace, provisioned on a `rocketchat_plan_tier`. Creation is asynchronous: " +
			"the resource waits until the workspace is `ready` (Standard: at once; Premium: after the provisioning delay; " +
			"Dedicated: after a manual approval), within `timeouts.create`. A create that times out leaves the workspace in " +
			"state as tainted, never untracked. A create interrupted by Terraform (Ctrl-C) keeps the workspace in state, " +
			"not tainted, with its current `status`: the next apply resumes the wait (within `timeouts.create`) instead of " +
			"replacing it.\n\n" +
			"**Why no `tier` here.** The tier is the plan's: upgrading a `rocketchat_plan_tier` changes the workspace's tier " +
			"in the same apply, but through the plan, so a `tier` attribute on this resource could only show the old value " +
			"until the next refresh (and make the next plan show output changes). Read the tier, and every plan-derived " +
			"option, from `rocketchat_plan_tier.<name>.tier`, which is right at the end of every apply. The attributes kept " +
			"here are the workspace's own and fixed (`region`, `url`, ...), or settle before the apply that changes them " +
			"ends (`status` is `ready` again once the plan's upgrade wait returns).",
		Attributes: map[string]schema.Attribute{
			"id": computedStable("Identifier of the workspace."),
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Display name, 1 to %d printable characters. Changes in place.", api.MaxNameLength),
				Required:            true,
				Validators:          []validator.String{apiStringValidator{"a workspace name", api.ValidateName}},
			},
			"subdomain": schema.StringAttribute{
				MarkdownDescription: "Subdomain of the workspace URL (`https://<subdomain>.rocket.chat`): 3 to 63 lowercase letters, " +
					"digits and hyphens, unique across Rocket.Chat Cloud. Fixed at order time: changing it forces a new workspace.",
				Required:      true,
				Validators:    []validator.String{apiStringValidator{"an RFC 1123 label", api.ValidateSubdomain}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"plan_id": schema.StringAttribute{
				MarkdownDescription: "ID of the `rocketchat_plan_tier` the workspace is provisioned on; one workspace per plan. " +
					"The plan decides tier and region. Changing it forces a new workspace (tier upgrades happen on the plan, in place).",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"admin_password_wo": schema.StringAttribute{
				MarkdownDescription: "Initial password of the workspace administrator. Write-only (Terraform 1.11+): sent to the API, " +
					"never stored in plan or state. It is sent on create, and again whenever `admin_password_wo_version` changes.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"admin_password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Change this number to send `admin_password_wo` again (rotate the password).",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"region":           computedStable("Region of the plan the workspace runs in."),
			"hosting_provider": computedChanging("Hosting provider of the region (`AWS` or `OVH`). The cloud may change it after notice without changing the service."),
			"data_location":    computedStable("Country where the workspace's data is hosted."),
			"backup_processor": computedStable("Who processes backups and analytics (`" + catalog.BackupProcessor + "`)."),
			"url":              computedStable("URL of the workspace, fixed at order time."),
			"status": computedChanging("Provisioning status: `pending`, `ready` or `upgrading` (while its plan moves to a higher tier). " +
				"A workspace found not `ready` (a wait that was interrupted) is planned as an in-place update that waits for `ready`."),
			"created_at": computedStable("When the workspace was ordered (RFC 3339)."),
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Protects the workspace from deletion. Defaults to `true`. While `true`, a plan that would destroy " +
					"or replace the workspace (`terraform destroy`, a removed resource block or `removed` block, a changed `subdomain` " +
					"or `plan_id`) fails at plan time, and the API refuses to delete it, or its plan tier, whatever the client. To delete " +
					"it, set `false` and apply that change on its own first: a plan that turns protection off and deletes is refused " +
					"too. Turned off outside Terraform, the next plan turns it on again.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(api.DefaultDeletionProtection),
			},
			"skip_final_export": schema.BoolAttribute{
				MarkdownDescription: "Defaults to `false`: before deleting the workspace, the provider requests a final data export " +
					"(messages, settings and uploaded files), waits for it within `timeouts.delete`, and reports its download link " +
					"and expiry in a warning; an export that fails stops the delete, the workspace untouched. `true` deletes without " +
					"an export. Like `deletion_protection`, it is read from state when deleting: apply a change to it before the " +
					"apply that deletes. Not sent to the API.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

func (r *workspaceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.reads = configureReads(req.ProviderData)
	r.gates = configureGates(req.ProviderData)
}

func (m *workspaceModel) fromAPI(w *api.Workspace) {
	m.ID = types.StringValue(w.ID)
	m.Name = types.StringValue(w.Name)
	m.Subdomain = types.StringValue(w.Subdomain)
	m.PlanID = types.StringValue(w.PlanID)
	m.Region = types.StringValue(w.Region)
	m.HostingProvider = types.StringValue(w.HostingProvider)
	m.DataLocation = types.StringValue(w.DataLocation)
	m.BackupProcessor = types.StringValue(w.BackupProcessor)
	m.URL = types.StringValue(w.URL)
	m.Status = types.StringValue(w.Status)
	m.CreatedAt = timeValue(w.CreatedAt)
	m.DeletionProtection = types.BoolValue(w.DeletionProtection)
	if m.SkipFinalExport.IsNull() || m.SkipFinalExport.IsUnknown() {
		m.SkipFinalExport = types.BoolValue(false) // imported, or a state from before the attribute
	}
	m.AdminPasswordWO = types.StringNull() // write-only: never in state
}

func (r *workspaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("admin_password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, err := r.client.CreateWorkspace(ctx, api.WorkspaceInput{
		Name: m.Name.ValueString(), Subdomain: m.Subdomain.ValueString(), PlanID: m.PlanID.ValueString(),
		AdminPassword: password.ValueString(), DeletionProtection: m.DeletionProtection.ValueBoolPointer(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot create workspace", err, workspaceAttributes...)
		return
	}
	// Track the workspace before waiting: if the wait fails, it stays in
	// state instead of being lost.
	m.fromAPI(w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
	r.waitReady(ctx, &m, w, timeout, &resp.State, &resp.Diagnostics, true)
}

// waitReady waits until the workspace is ready and records it. An interrupt
// (Ctrl-C) is a warning, not an error, so Terraform keeps the workspace in
// state untainted with its current status; ModifyPlan then plans the next
// apply's Update, which resumes the wait. A timeout after a create is an
// error (the workspace is kept as tainted, and replaced on the next apply).
func (r *workspaceResource) waitReady(ctx context.Context, m *workspaceModel, w *api.Workspace, timeout time.Duration,
	state *tfsdk.State, diags *diag.Diagnostics, created bool) {
	err := waitFor(ctx, timeout, func(ctx context.Context) (bool, error) {
		if w.Status == api.StatusReady {
			return true, nil
		}
		got, err := r.client.GetWorkspace(ctx, m.ID.ValueString())
		if err == nil {
			w = got
		}
		return err == nil && w.Status == api.StatusReady, err
	})
	m.fromAPI(w)
	diags.Append(state.Set(ctx, m)...)
	switch {
	case err == nil:
		r.gates.seed(w) // this walk's children plan against it without reading it again
	case errors.Is(err, errWaitInterrupted):
		diags.AddWarning("Interrupted while waiting for the workspace",
			fmt.Sprintf("Terraform was interrupted while waiting for workspace %s to become ready (status %q). The workspace "+
				"is kept in state, not tainted: the next apply resumes the wait instead of replacing it.", m.ID.ValueString(), w.Status))
	case created:
		diags.AddError("Workspace provisioning did not complete", provisioningWaitMessage(m, w.Tier, err))
	default:
		diags.AddError("Workspace provisioning did not complete", fmt.Sprintf("Waiting for workspace %s to become ready: %s. "+
			"It stays in state with its current status; the next apply waits again.", m.ID.ValueString(), err))
	}
}

func provisioningWaitMessage(m *workspaceModel, tier string, err error) string {
	msg := fmt.Sprintf("Waiting for workspace %s to become ready: %s.", m.ID.ValueString(), err)
	if errors.Is(err, errWaitTimeout) {
		spec, _ := catalog.Lookup(catalog.Tier(tier))
		switch spec.Provisioning {
		case catalog.ProvisionManual:
			msg += fmt.Sprintf(" The %s tier is provisioned only after a manual approval (quoted delivery).", spec.Name)
		case catalog.ProvisionDelayed:
			msg += fmt.Sprintf(" The %s tier takes time to provision; raise timeouts.create if needed.", spec.Name)
		}
		msg += " The workspace exists and is kept in state as tainted: the next apply replaces it, or run `terraform untaint` once it is ready."
	}
	return msg
}

func (r *workspaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, "workspace", func(ctx context.Context, m *workspaceModel) (*api.Workspace, error) {
		w, err := r.reads.workspace(ctx, r.client, m.ID.ValueString())
		if err == nil {
			r.gates.seed(w) // this walk's children plan against it without reading it again
		}
		return w, err
	})
}

// ModifyPlan plans an in-place update when the refreshed workspace is not
// ready (a wait cut short by an interrupt, or an upgrade still running): the
// update resumes the wait, so the workspace is never replaced for it. It
// refuses a plan that would delete a protected workspace (deletion_protection.go).
func (r *workspaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resumeWaitPlan(ctx, req, resp, api.StatusReady)
	guardWorkspaceDeletion(ctx, req, resp)
}

func (r *workspaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	in := api.WorkspaceInput{Name: plan.Name.ValueString(), Subdomain: plan.Subdomain.ValueString(), PlanID: plan.PlanID.ValueString(),
		DeletionProtection: plan.DeletionProtection.ValueBoolPointer()}
	if !plan.AdminPasswordWOVersion.Equal(state.AdminPasswordWOVersion) {
		var password types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("admin_password_wo"), &password)...)
		in.AdminPassword = password.ValueString()
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var w *api.Workspace
	var err error
	if plan.Name.Equal(state.Name) && plan.AdminPasswordWOVersion.Equal(state.AdminPasswordWOVersion) &&
		plan.DeletionProtection.Equal(state.DeletionProtection) {
		// Only the status (ModifyPlan) or skip_final_export (the provider's
		// own) was planned to change: nothing to send, resume the wait.
		w, err = r.client.GetWorkspace(ctx, plan.ID.ValueString())
	} else {
		w, err = r.client.UpdateWorkspace(ctx, plan.ID.ValueString(), in)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot update workspace", err, workspaceAttributes...)
		return
	}
	r.waitReady(ctx, &plan, w, timeout, &resp.State, &resp.Diagnostics, false)
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
}

// Delete refuses a workspace protected in state (a replacement ModifyPlan
// cannot see: of a tainted workspace, or by -replace), takes
// the final export unless skip_final_export, then deletes and waits until the
// workspace is gone, all within timeouts.delete.
func (r *workspaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	deadline := time.Now().Add(timeout)
	id := m.ID.ValueString()
	if m.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddError(protectedSummary, protectedDetail(id, m.Subdomain.ValueString(), "this apply deletes it (a replacement Terraform planned "+
			"without a change of its configuration: a tainted workspace, or `-replace`)", "plan without `-replace`, or run `terraform untaint` on it"))
		return
	}
	if !m.SkipFinalExport.ValueBool() && !r.finalExport(ctx, &m, deadline, &resp.Diagnostics) {
		return // refused, or already gone
	}
	if err := r.client.DeleteWorkspace(ctx, id); err != nil {
		if !client.IsNotFound(err) {
			addAPIError(&resp.Diagnostics, "Cannot delete workspace", err)
		}
		return
	}
	err := waitFor(ctx, time.Until(deadline), func(ctx context.Context) (bool, error) {
		_, err := r.client.GetWorkspace(ctx, id)
		if client.IsNotFound(err) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		resp.Diagnostics.AddError("Workspace deletion did not complete", fmt.Sprintf("Waiting for workspace %s to be gone: %s.", id, err))
	}
}

func (r *workspaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importTop(ctx, req, resp)
}
