// Command terraform-provider-raw is the lowest floor `make bench` measures: a
// provider written on terraform-plugin-go alone (protocol 6, no
// terraform-plugin-framework) with the Rocket.Chat provider's resource types
// and schemas (raw_firewall_rules, ...), whose RPCs only decode what
// Terraform sends and answer it: plan and apply fill computed values, read
// returns the state, nothing is validated and nothing leaves the process.
//
// It pays what every gRPC provider pays (process start, schema, msgpack) and
// nothing a provider chooses; beside the no-op provider (the same CRUD on the
// framework) it shows what the framework's per-value work costs a resource
// that holds a thousand values, such as a firewall rule set.
//
// The schemas are the real provider's protocol schemas, asked of it at
// start-up, so the shape follows the provider as it changes.
package main

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	rcprovider "github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

func main() {
	rcprovider.TuneProcess() // the same process settings as the providers it is compared with
	s, err := newServer(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	if err := tf6server.Serve("registry.terraform.io/rocketchat/raw", func() tfprotov6.ProviderServer { return s }); err != nil {
		log.Fatal(err)
	}
}

// resourceShape is what the server knows of a resource type: its schema,
// its value type, and which attributes are computed (by their path of
// attribute names, element keys left out: "rules.id").
type resourceShape struct {
	schema   *tfprotov6.Schema
	typ      tftypes.Type
	computed map[string]bool
}

// server implements the RPCs Terraform calls for managed resources; the
// embedded interface is nil, so any other RPC fails loudly.
type server struct {
	tfprotov6.ProviderServer
	schemas   map[string]*tfprotov6.Schema
	resources map[string]resourceShape
}

func newServer(ctx context.Context) (*server, error) {
	real := providerserver.NewProtocol6(rcprovider.New("bench")())()
	resp, err := real.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("schema of the provider: %s: %s", d.Summary, d.Detail)
		}
	}
	s := &server{schemas: map[string]*tfprotov6.Schema{}, resources: map[string]resourceShape{}}
	for name, sch := range resp.ResourceSchemas {
		raw := "raw" + strings.TrimPrefix(name, "rocketchat")
		computed := map[string]bool{}
		collectComputed(sch.Block, "", computed)
		s.schemas[raw] = sch
		s.resources[raw] = resourceShape{schema: sch, typ: sch.ValueType(), computed: computed}
	}
	return s, nil
}

func collectComputed(b *tfprotov6.SchemaBlock, prefix string, out map[string]bool) {
	for _, a := range b.Attributes {
		collectAttr(a, prefix, out)
	}
	for _, nb := range b.BlockTypes {
		collectComputed(nb.Block, prefix+nb.TypeName+".", out)
	}
}

func collectAttr(a *tfprotov6.SchemaAttribute, prefix string, out map[string]bool) {
	if a.Computed {
		out[prefix+a.Name] = true
	}
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			collectAttr(na, prefix+a.Name+".", out)
		}
	}
}

// fill replaces the computed values that are null (plan: unknown) or unknown
// (apply: a value of their type).
func (r resourceShape) fill(v tftypes.Value, apply bool) (tftypes.Value, error) {
	return tftypes.Transform(v, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		var names []string
		for _, st := range p.Steps() {
			if n, ok := st.(tftypes.AttributeName); ok {
				names = append(names, string(n))
			}
		}
		if len(names) == 0 || !r.computed[strings.Join(names, ".")] {
			return v, nil
		}
		switch {
		case !apply && v.IsNull():
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		case apply && !v.IsKnown():
			return known(v.Type()), nil
		}
		return v, nil
	})
}

func known(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "raw")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	}
	return tftypes.NewValue(t, nil)
}

func (s *server) shape(typeName string) (resourceShape, error) {
	r, ok := s.resources[typeName]
	if !ok {
		return r, fmt.Errorf("unknown resource type %q", typeName)
	}
	return r, nil
}

func (s *server) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: &tfprotov6.ServerCapabilities{PlanDestroy: true}}
	for name := range s.resources {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return &tfprotov6.GetProviderSchemaResponse{
		Provider:                 &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}},
		ResourceSchemas:          s.schemas,
		DataSourceSchemas:        map[string]*tfprotov6.Schema{},
		Functions:                map[string]*tfprotov6.Function{},
		EphemeralResourceSchemas: map[string]*tfprotov6.Schema{},
		ListResourceSchemas:      map[string]*tfprotov6.Schema{},
		ActionSchemas:            map[string]*tfprotov6.ActionSchema{},
		ServerCapabilities:       &tfprotov6.ServerCapabilities{PlanDestroy: true},
	}, nil
}

func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (s *server) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

// ValidateResourceConfig decodes the configuration, as any provider must to
// look at it.
func (s *server) ValidateResourceConfig(_ context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	r, err := s.shape(req.TypeName)
	if err != nil {
		return nil, err
	}
	if _, err := req.Config.Unmarshal(r.typ); err != nil {
		return nil, err
	}
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	r, err := s.shape(req.TypeName)
	if err != nil {
		return nil, err
	}
	v, err := req.RawState.UnmarshalWithOpts(r.typ, tfprotov6.UnmarshalOpts{})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(r.typ, v)
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, err
}

func (s *server) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	dv, err := s.transform(req.TypeName, req.ProposedNewState, false)
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: dv}, err
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	dv, err := s.transform(req.TypeName, req.PlannedState, true)
	return &tfprotov6.ApplyResourceChangeResponse{NewState: dv}, err
}

// transform decodes a value, fills its computed values and encodes it; a
// null value (a destroy) goes back as it came.
func (s *server) transform(typeName string, in *tfprotov6.DynamicValue, apply bool) (*tfprotov6.DynamicValue, error) {
	r, err := s.shape(typeName)
	if err != nil {
		return nil, err
	}
	v, err := in.Unmarshal(r.typ)
	if err != nil || v.IsNull() {
		return in, err
	}
	if v, err = r.fill(v, apply); err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(r.typ, v)
	return &dv, err
}
