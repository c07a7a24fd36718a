package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreatePlan orders a plan (POST /v1/plans).
func (c *Client) CreatePlan(ctx context.Context, in api.PlanInput) (*api.Plan, error) {
	p := buildPath("plans")
	return call[api.Plan](ctx, c, http.MethodPost, p, in, want{})
}

// GetPlan reads a plan (GET /v1/plans/{plan_id}).
func (c *Client) GetPlan(ctx context.Context, id string) (*api.Plan, error) {
	p := buildPath("plans", id)
	return call[api.Plan](ctx, c, http.MethodGet, p, nil, want{id: id})
}

// UpdatePlan sends the full input (PATCH /v1/plans/{plan_id}).
func (c *Client) UpdatePlan(ctx context.Context, id string, in api.PlanInput) (*api.Plan, error) {
	p := buildPath("plans", id)
	return call[api.Plan](ctx, c, http.MethodPatch, p, in, want{id: id})
}

// DeletePlan cancels a plan (DELETE /v1/plans/{plan_id}).
func (c *Client) DeletePlan(ctx context.Context, id string) error {
	p := buildPath("plans", id)
	return c.do(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListPlans lists the organization's plans (GET /v1/plans).
func (c *Client) ListPlans(ctx context.Context) ([]api.Plan, error) {
	p := buildPath("plans")
	return list[api.Plan](ctx, c, p, "")
}
