// Command terraform-provider-noop is the floor `make bench` compares the
// Rocket.Chat provider against: a plugin-framework provider (protocol 6) with
// the same resource types and the same attribute sets (noop_plan_tier,
// noop_workspace, noop_custom_domain, noop_firewall_rule, noop_static_ip),
// whose CRUD only touch memory: Create and Update fill unknown computed values,
// Read returns the state unchanged, Delete does nothing. It pays everything a
// gRPC provider of this shape pays (process start, schema, msgpack, framework
// plumbing) and nothing else: no HTTP, no validators, no plan modifiers.
//
// The schemas are copied from internal/provider at start-up (validators and
// plan modifiers removed, defaults kept), so the shape follows the real
// provider as it changes.
package main

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"reflect"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	rcprovider "github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

func main() {
	rcprovider.TuneProcess() // the same process settings as the provider it is the floor of
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &noopProvider{} }, providerserver.ServeOpts{
		Address:         "registry.terraform.io/rocketchat/noop",
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (p *noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
	resp.Version = "0.0.1"
}

func (p *noopProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (p *noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// Resources mirrors every resource of the Rocket.Chat provider.
func (p *noopProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	rc := rcprovider.New("bench")()
	for _, newRes := range rc.Resources(ctx) {
		real := newRes()
		var md resource.MetadataResponse
		real.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "noop"}, &md)
		var sr resource.SchemaResponse
		real.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			panic(fmt.Sprintf("schema of %s: %v", md.TypeName, sr.Diagnostics))
		}
		s := sr.Schema
		s.Attributes = stripMap(s.Attributes)
		s.Blocks = stripMap(s.Blocks)
		res := &noopResource{typeName: md.TypeName, schema: s}
		out = append(out, func() resource.Resource { return res })
	}
	return out
}

// stripMap copies a map of attributes or blocks without validators and plan modifiers.
func stripMap[T any](m map[string]T) map[string]T {
	if m == nil {
		return nil
	}
	out := make(map[string]T, len(m))
	for k, v := range m {
		out[k] = strip(reflect.ValueOf(v)).Interface().(T)
	}
	return out
}

// strip returns a copy of an attribute, block or nested object struct with
// Validators and PlanModifiers cleared, recursively.
func strip(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		return v // not expected in framework schemas; keep as is
	}
	if v.Kind() != reflect.Struct {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	for i := 0; i < c.NumField(); i++ {
		f := c.Field(i)
		name := c.Type().Field(i).Name
		if !f.CanSet() {
			continue
		}
		switch {
		case name == "Validators" || name == "PlanModifiers":
			f.Set(reflect.Zero(f.Type()))
		case f.Kind() == reflect.Map && (name == "Attributes" || name == "Blocks") && !f.IsNil():
			nm := reflect.MakeMapWithSize(f.Type(), f.Len())
			iter := f.MapRange()
			for iter.Next() {
				ev := iter.Value()
				nm.SetMapIndex(iter.Key(), strip(ev.Elem()))
			}
			f.Set(nm)
		case f.Kind() == reflect.Struct && name == "NestedObject":
			f.Set(strip(f))
		}
	}
	return c
}

type noopResource struct {
	typeName string
	schema   schema.Schema
}

func (r *noopResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.typeName
}

func (r *noopResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

func (r *noopResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	v, err := fillUnknown(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
		return
	}
	resp.State.Raw = v
}

// Read leaves the state as it is (the framework copies the prior state into the response).
func (r *noopResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *noopResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	v, err := fillUnknown(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
		return
	}
	resp.State.Raw = v
}

func (r *noopResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

var seq atomic.Int64

// fillUnknown replaces every unknown value with a known one: a unique string
// ("noop-N"), 0, false, an object of filled attributes, or an empty collection.
func fillUnknown(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return known(v.Type()), nil
	})
}

func known(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, fmt.Sprintf("noop-%d", seq.Add(1)))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.Object{}):
		ot := t.(tftypes.Object)
		vals := make(map[string]tftypes.Value, len(ot.AttributeTypes))
		for name, at := range ot.AttributeTypes {
			vals[name] = known(at)
		}
		return tftypes.NewValue(t, vals)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(t, nil)
}
