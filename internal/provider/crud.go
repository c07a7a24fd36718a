package provider

import (
	"context"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// The CRUD steps every resource shares, so each resource file holds only
// what is its own: the API call and the model mapping.

// apiModel is a resource model (a pointer to it) that fills itself from the
// API's answer.
type apiModel[M, T any] interface {
	*M
	fromAPI(*T)
}

// readResource refreshes a resource with one read (answered from the walk's
// listing of its collection when it can, see readcache.go). A 404 removes it
// from state, with no diagnostic, so the next plan recreates it.
func readResource[M, T any, PM apiModel[M, T]](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse,
	what string, get func(context.Context, PM) (*T, error)) {
	m := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	obj, err := get(ctx, m)
	if client.IsNotFound(err) {
		// The framework wants an identity even for a removed resource; a
		// state from before identity (or from a CLI older than 1.12, which
		// sends none) has none yet, so give it the prior state's.
		resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read "+what, err)
		return
	}
	prior := *m
	m.fromAPI(obj)
	if !reflect.DeepEqual(prior, *m) {
		// When equal, resp.State already holds the prior state. Skipping Set
		// keeps the common no-drift refresh cheap: the framework's struct
		// conversion compiles a regexp per field on every call.
		resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	}
	// Always: a state written by a provider version without identity (or
	// just imported) gets its identity here; otherwise it is rewritten equal.
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
}

// writeResource sends the planned model (a create or an update) and stores
// what the API answers, with its identity. API field errors land on the
// attributes in attrs. It returns the stored model, or nil after an error.
func writeResource[M, T any, PM apiModel[M, T]](ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, identity *tfsdk.ResourceIdentity,
	diags *diag.Diagnostics, summary string, attrs []string, write func(context.Context, PM) (*T, error)) PM {
	m := PM(new(M))
	diags.Append(plan.Get(ctx, m)...)
	if diags.HasError() {
		return nil
	}
	obj, err := write(ctx, m)
	if err != nil {
		addAPIError(diags, summary, err, attrs...)
		return nil
	}
	m.fromAPI(obj)
	diags.Append(state.Set(ctx, m)...)
	diags.Append(syncIdentity(ctx, state, identity)...)
	return m
}

// deleteResource deletes with one call; an object already gone counts as deleted.
func deleteResource[M any](ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse,
	summary string, del func(context.Context, *M) error) {
	m := new(M)
	resp.Diagnostics.Append(req.State.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := del(ctx, m); err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, summary, err)
	}
}

// resumeWaitPlan is the ModifyPlan of a resource whose create or update waits
// for a status: when the refreshed state is not at wantStatus (a wait that an
// interrupt cut short), it plans status as unknown, so the next apply runs an
// in-place Update that resumes the wait instead of leaving it, or replacing it.
// also names the other computed attributes the wait may change.
func resumeWaitPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, wantStatus string, also ...string) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // a create or a destroy
	}
	var status types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
	if resp.Diagnostics.HasError() || status.IsNull() || status.ValueString() == wantStatus {
		return
	}
	for _, name := range append([]string{"status"}, also...) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
}
