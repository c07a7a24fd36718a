package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreatePlan orders a plan (POST /v1/plans).
func (c *Client) CreatePlan(ctx context.Context, in api.PlanInput) (*api.Plan, error) {
	p, err := buildPath("plans")
	if err != nil {
		return nil, err
	}
	return call[api.Plan](ctx, c, http.MethodPost, p, in)
}

// GetPlan reads a plan (GET /v1/plans/{plan_id}).
func (c *Client) GetPlan(ctx context.Context, id string) (*api.Plan, error) {
	p, err := buildPath("plans", id)
	if err != nil {
		return nil, err
	}
	return call[api.Plan](ctx, c, http.MethodGet, p, nil)
}

// UpdatePlan sends the full input (PATCH /v1/plans/{plan_id}).
func (c *Client) UpdatePlan(ctx context.Context, id string, in api.PlanInput) (*api.Plan, error) {
	p, err := buildPath("plans", id)
	if err != nil {
		return nil, err
	}
	return call[api.Plan](ctx, c, http.MethodPatch, p, in)
}

// DeletePlan cancels a plan (DELETE /v1/plans/{plan_id}).
func (c *Client) DeletePlan(ctx context.Context, id string) error {
	p, err := buildPath("plans", id)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, p, nil, nil)
}

// ListPlans lists the organization's plans (GET /v1/plans).
func (c *Client) ListPlans(ctx context.Context) ([]api.Plan, error) {
	p, err := buildPath("plans")
	if err != nil {
		return nil, err
	}
	return list[api.Plan](ctx, c, p)
}
