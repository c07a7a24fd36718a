package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

var (
	_ action.ActionWithConfigure  = (*customDomainVerifyAction)(nil)
	_ action.ActionWithModifyPlan = (*customDomainVerifyAction)(nil)
)

// NewCustomDomainVerifyAction returns the rocketchat_custom_domain_verify action.
func NewCustomDomainVerifyAction() action.Action { return &customDomainVerifyAction{} }

// customDomainVerifyAction asks the API to look a custom domain's TXT
// record up now, instead of waiting for the periodic check: the step after
// creating the record at a DNS provider.
type customDomainVerifyAction struct{ actionBase }

type customDomainVerifyModel struct {
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	CustomDomainID types.String `tfsdk:"custom_domain_id"`
}

func (a *customDomainVerifyAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_custom_domain_verify"
}

func (a *customDomainVerifyAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Re-checks a custom domain's verification now: the API looks the domain's TXT record " +
			"(`verification_record`) up at once instead of at its next periodic check. On success the domain is `verified` " +
			"and its certificate `issued` (the `rocketchat_custom_domain` resource records it at its next refresh). A missing " +
			"record, or one with another value, is an error that names the record to create and its expected value. " +
			"A domain already verified stays verified. Typical use: after the resource that creates the TXT record at your " +
			"DNS provider, with an `action_trigger`. Terraform 1.14+.",
		Attributes: map[string]actionschema.Attribute{
			"workspace_id":     actionIDAttribute("ID of the `rocketchat_workspace` the custom domain belongs to."),
			"custom_domain_id": actionIDAttribute("ID of the `rocketchat_custom_domain` to verify (its `id`)."),
		},
	}
}

// ModifyPlan checks at plan time that the custom domain exists.
func (a *customDomainVerifyAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var m customDomainVerifyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planCheck(ctx, a.client, []types.String{m.WorkspaceID, m.CustomDomainID}, "custom_domain_id", "Custom domain", func(ctx context.Context) error {
		_, err := a.client.GetDomain(ctx, m.WorkspaceID.ValueString(), m.CustomDomainID.ValueString())
		return err
	}, &resp.Diagnostics)
}

func (a *customDomainVerifyAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m customDomainVerifyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wsID, id := m.WorkspaceID.ValueString(), m.CustomDomainID.ValueString()
	progress(resp, fmt.Sprintf("Looking up the verification record of custom domain %s.", id))
	d, err := a.client.VerifyDomain(ctx, wsID, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Custom domain "+id+" is not verified", err)
		return
	}
	if d.Status != api.StatusVerified {
		resp.Diagnostics.AddError("Custom domain "+id+" is not verified",
			fmt.Sprintf("The API answered status %q for %s; please report this issue.", d.Status, d.Hostname))
		return
	}
	progress(resp, fmt.Sprintf("%s is verified; certificate %s.", d.Hostname, d.CertificateStatus))
}
