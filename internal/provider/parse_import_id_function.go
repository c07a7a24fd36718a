package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = (*parseImportIDFunction)(nil)

// NewParseImportIDFunction returns provider::rocketchat::parse_import_id.
func NewParseImportIDFunction() function.Function { return &parseImportIDFunction{} }

type parseImportIDFunction struct{}

type parseImportIDModel struct {
	WorkspaceID string `tfsdk:"workspace_id"`
	ID          string `tfsdk:"id"`
}

func (f *parseImportIDFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_import_id"
}

func (f *parseImportIDFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Split the import ID of a workspace's child object",
		MarkdownDescription: "Splits `\"<workspace_id>/<id>\"`, the import ID of `rocketchat_custom_domain`, " +
			"`rocketchat_firewall_rule` and `rocketchat_static_ip`, into `workspace_id` and `id`, with the same rules " +
			"as `terraform import`: both parts non-empty, exactly one `/`. Errors with the expected form otherwise.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "id",
				MarkdownDescription: "Import ID of the form `<workspace_id>/<id>`, e.g. `ws-0123/fw-4567`.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: map[string]attr.Type{
			"workspace_id": types.StringType,
			"id":           types.StringType,
		}},
	}
}

func (f *parseImportIDFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var id string
	if resp.Error = req.Arguments.Get(ctx, &id); resp.Error != nil {
		return
	}
	ws, child, err := parseChildID(id, "child")
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, parseImportIDModel{WorkspaceID: ws, ID: child})
}
