package api

// Routes of the public API (all under /v1, Bearer token of one organization).
// Go 1.22 ServeMux patterns, used by the emulator to route and by the OpenAPI
// conformance test.
const (
	RoutePlans         = "/v1/plans"
	RoutePlan          = "/v1/plans/{plan_id}"
	RouteWorkspaces    = "/v1/workspaces"
	RouteWorkspace     = "/v1/workspaces/{workspace_id}"
	RouteDomains       = "/v1/workspaces/{workspace_id}/domains"
	RouteDomain        = "/v1/workspaces/{workspace_id}/domains/{domain_id}"
	RouteFirewallRules = "/v1/workspaces/{workspace_id}/firewall-rules"
	RouteFirewallRule  = "/v1/workspaces/{workspace_id}/firewall-rules/{rule_id}"
	RouteStaticIPs     = "/v1/workspaces/{workspace_id}/static-ips"
	RouteStaticIP      = "/v1/workspaces/{workspace_id}/static-ips/{ip_id}"
	RouteAdminTokens   = "/v1/workspaces/{workspace_id}/admin-tokens"
)

// Admin routes (separate prefix, separate admin token).
const (
	AdminPrefix            = "/admin/v1"
	RouteAdminApprove      = "/admin/v1/workspaces/{workspace_id}/approve"
	RouteAdminApproveAll   = "/admin/v1/approve-all"
	RouteAdminVerifyDomain = "/admin/v1/domains/{domain_id}/verify"
	RouteAdminReset        = "/admin/v1/reset"
	RouteAdminFaults       = "/admin/v1/faults"
	RouteAdminStats        = "/admin/v1/stats"
	RouteAdminProvisioning = "/admin/v1/provisioning"
)
