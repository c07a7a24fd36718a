package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Unit tests of the functions' Run, without Terraform or the emulator:
// results, and which argument an error points at.
func TestFunctionsRun(t *testing.T) {
	str := func(s ...string) []attr.Value {
		out := make([]attr.Value, len(s))
		for i, v := range s {
			out[i] = types.StringValue(v)
		}
		return out
	}
	for name, tc := range map[string]struct {
		fn      function.Function
		args    []attr.Value
		result  attr.Value // a zero value of the result type
		want    string     // the result's String(), when no error
		errArg  int64
		errText string
	}{
		"allows":           {NewTierAllowsFunction(), str("dedicated", "vpn"), types.BoolNull(), "true", 0, ""},
		"not allows":       {NewTierAllowsFunction(), str("premium", "version_freeze"), types.BoolNull(), "false", 0, ""},
		"allows bad tier":  {NewTierAllowsFunction(), str("gold", "vpn"), types.BoolNull(), "", 0, `unknown tier "gold"; allowed values: "standard", "premium", "dedicated"`},
		"allows bad feat":  {NewTierAllowsFunction(), str("premium", "x"), types.BoolNull(), "", 1, `unknown feature "x"; allowed values: "custom_domains"`},
		"upgrade":          {NewCanUpgradeFunction(), str("standard", "premium"), types.BoolNull(), "true", 0, ""},
		"downgrade":        {NewCanUpgradeFunction(), str("dedicated", "standard"), types.BoolNull(), "false", 0, ""},
		"upgrade bad to":   {NewCanUpgradeFunction(), str("standard", "gold"), types.BoolNull(), "", 1, `unknown tier "gold"`},
		"parse":            {NewParseImportIDFunction(), str("ws-1/sip-2"), types.ObjectNull(map[string]attr.Type{"workspace_id": types.StringType, "id": types.StringType}), `{"id":"sip-2","workspace_id":"ws-1"}`, 0, ""},
		"parse bad":        {NewParseImportIDFunction(), str("ws-1"), types.ObjectNull(map[string]attr.Type{"workspace_id": types.StringType, "id": types.StringType}), "", 0, `expected "<workspace_id>/<child_id>"`},
		"limits dedicated": {NewTierLimitsFunction(), str("dedicated"), types.ObjectNull(tierLimitsType), `{"custom_domain_quota":100,"firewall_rule_quota":1000,"max_storage_gb":<null>,"max_users":<null>,"omnichannel_conversations_per_month":<null>,"static_ip_quota":16}`, 0, ""},
		"limits standard":  {NewTierLimitsFunction(), str("standard"), types.ObjectNull(tierLimitsType), `{"custom_domain_quota":5,"firewall_rule_quota":0,"max_storage_gb":50,"max_users":500,"omnichannel_conversations_per_month":5000,"static_ip_quota":0}`, 0, ""},
		"limits bad tier":  {NewTierLimitsFunction(), str(""), types.ObjectNull(tierLimitsType), "", 0, `unknown tier ""`},
	} {
		t.Run(name, func(t *testing.T) {
			req := function.RunRequest{Arguments: function.NewArgumentsData(tc.args)}
			resp := function.RunResponse{Result: function.NewResultData(tc.result)}
			tc.fn.Run(context.Background(), req, &resp)
			if tc.errText != "" {
				if resp.Error == nil {
					t.Fatalf("no error, want %q", tc.errText)
				}
				if !strings.Contains(resp.Error.Text, tc.errText) {
					t.Errorf("error %q does not contain %q", resp.Error.Text, tc.errText)
				}
				if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != tc.errArg {
					t.Errorf("error points at argument %v, want %d", resp.Error.FunctionArgument, tc.errArg)
				}
				return
			}
			if resp.Error != nil {
				t.Fatalf("error: %s", resp.Error)
			}
			if got := resp.Result.Value().String(); got != tc.want {
				t.Errorf("result %s, want %s", got, tc.want)
			}
		})
	}
}
