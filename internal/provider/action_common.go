package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Actions (Terraform 1.14): day-2 operations on objects that exist, run by
// `terraform apply -invoke=action.<type>.<name>` or by a resource's
// lifecycle action_trigger. They change nothing Terraform manages, so they
// have no state; each maps to one API operation with its own errors, and
// reports its progress as it goes.

// actionBase holds the client every action is configured with.
type actionBase struct {
	client *client.Client
}

func (a *actionBase) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

// actionIDAttribute is a required ID naming an existing object.
func actionIDAttribute(desc string) actionschema.StringAttribute {
	return actionschema.StringAttribute{
		MarkdownDescription: desc,
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// planCheck reads the object named by the action's IDs at plan time, when
// they are known and the provider is configured: an object that does not
// exist is an error on attr before anything runs. IDs known only after apply
// (the object is created in the same run) are checked by the API at invoke.
func planCheck(ctx context.Context, c *client.Client, ids []types.String, attr, what string,
	read func(context.Context) error, diags *diag.Diagnostics) {
	if c == nil {
		return
	}
	for _, id := range ids {
		if id.IsUnknown() || id.IsNull() {
			return
		}
	}
	err := read(ctx)
	switch {
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root(attr), what+" not found",
			fmt.Sprintf("%s %s does not exist (or belongs to another organization): %s", what, ids[len(ids)-1].ValueString(), err))
	case err != nil:
		diags.AddWarning(what+" not checked at plan time", fmt.Sprintf("Reading it failed (%s); the API checks it when the action runs.", err))
	}
}
