// Command providerschema prints the provider's schemas in the format of
// `terraform providers schema -json`, read from the provider itself over
// protocol 6, in-process. `make docs` hands it to tfplugindocs
// (--providers-schema), so the docs do not depend on the installed
// Terraform CLI: a 1.11 CLI reports neither resource identities nor list
// resources nor actions, and tfplugindocs would refuse the identity import
// examples and leave those pages out.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// Source is the provider's key in the schema document: tfplugindocs looks
// the provider up by its short name (or under registry.terraform.io/hashicorp/).
const Source = "rocketchat"

type schemas struct {
	FormatVersion string                     `json:"format_version"`
	Schemas       map[string]*providerSchema `json:"provider_schemas"`
}

type providerSchema struct {
	Provider           *schema                    `json:"provider,omitempty"`
	Resources          map[string]*schema         `json:"resource_schemas,omitempty"`
	DataSources        map[string]*schema         `json:"data_source_schemas,omitempty"`
	EphemeralResources map[string]*schema         `json:"ephemeral_resource_schemas,omitempty"`
	Actions            map[string]*actionSchema   `json:"action_schemas,omitempty"`
	Functions          map[string]*function       `json:"functions,omitempty"`
	Identities         map[string]*identitySchema `json:"resource_identity_schemas,omitempty"`
	ListResources      map[string]*schema         `json:"list_resource_schemas,omitempty"`
}

type schema struct {
	Version int64  `json:"version"`
	Block   *block `json:"block"`
}

type actionSchema struct {
	Block *block `json:"block"`
}

type block struct {
	Attributes      map[string]*attribute `json:"attributes,omitempty"`
	BlockTypes      map[string]*blockType `json:"block_types,omitempty"`
	Description     string                `json:"description,omitempty"`
	DescriptionKind string                `json:"description_kind,omitempty"`
	Deprecated      bool                  `json:"deprecated,omitempty"`
}

type blockType struct {
	NestingMode string `json:"nesting_mode"`
	Block       *block `json:"block"`
	MinItems    int64  `json:"min_items,omitempty"`
	MaxItems    int64  `json:"max_items,omitempty"`
}

type attribute struct {
	Type            json.RawMessage `json:"type,omitempty"`
	NestedType      *nestedType     `json:"nested_type,omitempty"`
	Description     string          `json:"description,omitempty"`
	DescriptionKind string          `json:"description_kind,omitempty"`
	Deprecated      bool            `json:"deprecated,omitempty"`
	Required        bool            `json:"required,omitempty"`
	Optional        bool            `json:"optional,omitempty"`
	Computed        bool            `json:"computed,omitempty"`
	Sensitive       bool            `json:"sensitive,omitempty"`
	WriteOnly       bool            `json:"write_only,omitempty"`
}

type nestedType struct {
	Attributes  map[string]*attribute `json:"attributes"`
	NestingMode string                `json:"nesting_mode"`
}

type identitySchema struct {
	Version    int64                         `json:"version"`
	Attributes map[string]*identityAttribute `json:"attributes"`
}

type identityAttribute struct {
	Type              json.RawMessage `json:"type"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

type function struct {
	Description        string          `json:"description,omitempty"`
	Summary            string          `json:"summary,omitempty"`
	DeprecationMessage string          `json:"deprecation_message,omitempty"`
	ReturnType         json.RawMessage `json:"return_type"`
	Parameters         []*parameter    `json:"parameters,omitempty"`
	VariadicParameter  *parameter      `json:"variadic_parameter,omitempty"`
}

type parameter struct {
	Name        string          `json:"name,omitempty"`
	Description string          `json:"description,omitempty"`
	IsNullable  bool            `json:"is_nullable,omitempty"`
	Type        json.RawMessage `json:"type"`
}

// typeJSON writes a type in the notation of `terraform providers schema
// -json` (cty's): "string", ["list","string"], ["object",{"a":"bool"}], ...
func typeJSON(t tftypes.Type) json.RawMessage {
	b, err := json.Marshal(typeValue(t))
	if err != nil {
		panic(err) // only strings, slices and maps of them
	}
	return b
}

func typeValue(t tftypes.Type) any {
	switch {
	case t.Is(tftypes.String):
		return "string"
	case t.Is(tftypes.Number):
		return "number"
	case t.Is(tftypes.Bool):
		return "bool"
	case t.Is(tftypes.DynamicPseudoType):
		return "dynamic"
	}
	switch tt := t.(type) {
	case tftypes.List:
		return []any{"list", typeValue(tt.ElementType)}
	case tftypes.Set:
		return []any{"set", typeValue(tt.ElementType)}
	case tftypes.Map:
		return []any{"map", typeValue(tt.ElementType)}
	case tftypes.Tuple:
		elems := make([]any, len(tt.ElementTypes))
		for i, e := range tt.ElementTypes {
			elems[i] = typeValue(e)
		}
		return []any{"tuple", elems}
	case tftypes.Object:
		attrs := make(map[string]any, len(tt.AttributeTypes))
		for name, a := range tt.AttributeTypes {
			attrs[name] = typeValue(a)
		}
		if len(tt.OptionalAttributes) == 0 {
			return []any{"object", attrs}
		}
		optional := make([]string, 0, len(tt.OptionalAttributes))
		for name := range tt.OptionalAttributes {
			optional = append(optional, name)
		}
		sort.Strings(optional)
		return []any{"object", attrs, optional}
	}
	panic(fmt.Sprintf("providerschema: unsupported type %s", t))
}

func kind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func nesting(m fmt.Stringer) string {
	switch s := m.String(); s {
	case "SINGLE":
		return "single"
	case "LIST":
		return "list"
	case "SET":
		return "set"
	case "MAP":
		return "map"
	case "GROUP":
		return "group"
	default:
		return s
	}
}

func convAttr(a *tfprotov6.SchemaAttribute) *attribute {
	out := &attribute{
		Description: a.Description, DescriptionKind: kind(a.DescriptionKind), Deprecated: a.Deprecated,
		Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive, WriteOnly: a.WriteOnly,
	}
	if a.NestedType != nil {
		nt := &nestedType{Attributes: map[string]*attribute{}, NestingMode: nesting(a.NestedType.Nesting)}
		for _, na := range a.NestedType.Attributes {
			nt.Attributes[na.Name] = convAttr(na)
		}
		out.NestedType = nt
	} else {
		out.Type = typeJSON(a.Type)
	}
	return out
}

func convBlock(b *tfprotov6.SchemaBlock) *block {
	out := &block{Description: b.Description, DescriptionKind: kind(b.DescriptionKind), Deprecated: b.Deprecated}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*attribute{}
		for _, a := range b.Attributes {
			out.Attributes[a.Name] = convAttr(a)
		}
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockType{}
		for _, nb := range b.BlockTypes {
			out.BlockTypes[nb.TypeName] = &blockType{NestingMode: nesting(nb.Nesting), Block: convBlock(nb.Block), MinItems: nb.MinItems, MaxItems: nb.MaxItems}
		}
	}
	return out
}

func convSchema(s *tfprotov6.Schema) *schema {
	return &schema{Version: s.Version, Block: convBlock(s.Block)}
}

func convSchemas(in map[string]*tfprotov6.Schema) map[string]*schema {
	out := make(map[string]*schema, len(in))
	for name, s := range in {
		out[name] = convSchema(s)
	}
	return out
}

func convParam(p *tfprotov6.FunctionParameter) *parameter {
	if p == nil {
		return nil
	}
	return &parameter{Name: p.Name, Description: p.Description, IsNullable: p.AllowNullValue, Type: typeJSON(p.Type)}
}

func build(ctx context.Context) (*schemas, error) {
	srv, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return nil, err
	}
	ps, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	ids, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	for _, d := range append(ps.Diagnostics, ids.Diagnostics...) {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	out := &providerSchema{
		Provider:           convSchema(ps.Provider),
		Resources:          convSchemas(ps.ResourceSchemas),
		DataSources:        convSchemas(ps.DataSourceSchemas),
		EphemeralResources: convSchemas(ps.EphemeralResourceSchemas),
		ListResources:      convSchemas(ps.ListResourceSchemas),
		Actions:            map[string]*actionSchema{},
		Functions:          map[string]*function{},
		Identities:         map[string]*identitySchema{},
	}
	for name, a := range ps.ActionSchemas {
		out.Actions[name] = &actionSchema{Block: convBlock(a.Schema.Block)}
	}
	for name, f := range ps.Functions {
		fn := &function{Description: f.Description, Summary: f.Summary, DeprecationMessage: f.DeprecationMessage,
			ReturnType: typeJSON(f.Return.Type), VariadicParameter: convParam(f.VariadicParameter)}
		for _, p := range f.Parameters {
			fn.Parameters = append(fn.Parameters, convParam(p))
		}
		out.Functions[name] = fn
	}
	for name, s := range ids.IdentitySchemas {
		is := &identitySchema{Version: s.Version, Attributes: map[string]*identityAttribute{}}
		for _, a := range s.IdentityAttributes {
			is.Attributes[a.Name] = &identityAttribute{Type: typeJSON(a.Type), Description: a.Description,
				RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport}
		}
		out.Identities[name] = is
	}
	return &schemas{FormatVersion: "1.0", Schemas: map[string]*providerSchema{Source: out}}, nil
}

func main() {
	s, err := build(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}
