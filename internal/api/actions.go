package api

import "time"

// Day-2 operations on existing objects (Terraform actions call them).
const (
	// RouteExports requests a data export of a workspace ("exports on request").
	RouteExports = "/v1/workspaces/{workspace_id}/exports"
	// RouteExport reads an export's progress.
	RouteExport = "/v1/workspaces/{workspace_id}/exports/{export_id}"
	// RouteDomainVerify re-checks a custom domain's TXT record now.
	RouteDomainVerify = "/v1/workspaces/{workspace_id}/domains/{domain_id}/verify"
	// RouteAdminDNS publishes a TXT record in the emulator's simulated DNS.
	RouteAdminDNS = "/admin/v1/dns/{name}"
)

// Export statuses.
const (
	ExportRunning   = "running"
	ExportCompleted = "completed"
)

// Rules of the action endpoints' field errors.
const (
	RuleDNSRecordMissing  = "dns_record_missing"
	RuleDNSRecordMismatch = "dns_record_mismatch"
)

// ExportRetention is how long a completed export can be downloaded.
const ExportRetention = 7 * 24 * time.Hour

// ExportInput is the body of POST /v1/workspaces/{workspace_id}/exports.
type ExportInput struct {
	// IncludeFiles adds uploaded files to the export (messages and settings always are).
	IncludeFiles bool `json:"include_files"`
}

// Export is a data export of a workspace.
type Export struct {
	ID           string `json:"id"`
	WorkspaceID  string `json:"workspace_id"`
	IncludeFiles bool   `json:"include_files"`
	// Status is "running", then "completed".
	Status      string     `json:"status"`
	RequestedAt time.Time  `json:"requested_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	// ExpiresAt is when the download link of a completed export stops working.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// DownloadURL is a signed link to the archive, set once completed.
	DownloadURL string `json:"download_url,omitempty"`
}

// DNSTXTInput is the body of PUT /admin/v1/dns/{name}: the TXT values the
// emulator's simulated DNS answers for that name (none deletes it).
type DNSTXTInput struct {
	TXT []string `json:"txt"`
}
