package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreateWorkspace provisions a workspace (POST /v1/workspaces).
func (c *Client) CreateWorkspace(ctx context.Context, in api.WorkspaceInput) (*api.Workspace, error) {
	p := buildPath("workspaces")
	return call[api.Workspace](ctx, c, http.MethodPost, p, in, want{})
}

// GetWorkspace reads a workspace (GET /v1/workspaces/{workspace_id}).
func (c *Client) GetWorkspace(ctx context.Context, id string) (*api.Workspace, error) {
	p := buildPath("workspaces", id)
	return call[api.Workspace](ctx, c, http.MethodGet, p, nil, want{id: id})
}

// UpdateWorkspace changes a workspace (PATCH /v1/workspaces/{workspace_id}).
func (c *Client) UpdateWorkspace(ctx context.Context, id string, in api.WorkspaceInput) (*api.Workspace, error) {
	p := buildPath("workspaces", id)
	return call[api.Workspace](ctx, c, http.MethodPatch, p, in, want{id: id})
}

// DeleteWorkspace deletes a workspace (DELETE /v1/workspaces/{workspace_id}).
func (c *Client) DeleteWorkspace(ctx context.Context, id string) error {
	p := buildPath("workspaces", id)
	return c.do(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListWorkspaces lists the organization's workspaces (GET /v1/workspaces).
func (c *Client) ListWorkspaces(ctx context.Context) ([]api.Workspace, error) {
	p := buildPath("workspaces")
	return list[api.Workspace](ctx, c, p, "")
}

// CreateAdminToken issues a short-lived admin login token
// (POST /v1/workspaces/{workspace_id}/admin-tokens).
func (c *Client) CreateAdminToken(ctx context.Context, workspaceID string) (*api.AdminToken, error) {
	p := buildPath("workspaces", workspaceID, "admin-tokens")
	return call[api.AdminToken](ctx, c, http.MethodPost, p, nil, want{})
}
