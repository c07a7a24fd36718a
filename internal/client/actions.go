package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// RequestExport requests a data export of a ready workspace
// (POST /v1/workspaces/{workspace_id}/exports); it answers running.
func (c *Client) RequestExport(ctx context.Context, workspaceID string, in api.ExportInput) (*api.Export, error) {
	p := buildPath("workspaces", workspaceID, "exports")
	return call[api.Export](ctx, c, http.MethodPost, p, in, want{parent: workspaceID})
}

// GetExport reads an export's progress (GET /v1/workspaces/{workspace_id}/exports/{id}).
func (c *Client) GetExport(ctx context.Context, workspaceID, id string) (*api.Export, error) {
	p := buildPath("workspaces", workspaceID, "exports", id)
	return call[api.Export](ctx, c, http.MethodGet, p, nil, want{id: id, parent: workspaceID})
}

// VerifyDomain asks the API to look the domain's TXT record up now
// (POST /v1/workspaces/{workspace_id}/domains/{id}/verify). A missing or
// different record is a validation error on verification_record.
func (c *Client) VerifyDomain(ctx context.Context, workspaceID, id string) (*api.Domain, error) {
	p := buildPath("workspaces", workspaceID, "domains", id, "verify")
	return call[api.Domain](ctx, c, http.MethodPost, p, nil, want{id: id, parent: workspaceID})
}
