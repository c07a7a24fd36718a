package provider

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Default timeouts of the operations that wait.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

// pollInterval bounds how often waits poll the API: short first so fast
// transitions return at once, growing so long waits stay cheap.
var pollInterval = struct{ min, max time.Duration }{100 * time.Millisecond, 3 * time.Second}

// errWaitTimeout marks a wait that ran out of time (the caller explains why).
var errWaitTimeout = errors.New("timed out")

// errWaitInterrupted marks a wait stopped by Terraform (Ctrl-C: the framework
// cancels the request's context), which is not a timeout: the object is fine,
// only the wait was cut short.
var errWaitInterrupted = errors.New("interrupted")

// waitFor polls until done reports true, the check fails, the timeout passes
// (errWaitTimeout) or the caller's context is cancelled (errWaitInterrupted).
func waitFor(ctx context.Context, timeout time.Duration, check func(context.Context) (bool, error)) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stopped := func() error {
		if parent.Err() != nil {
			return fmt.Errorf("%w (Terraform asked the provider to stop)", errWaitInterrupted)
		}
		return fmt.Errorf("%w after %s", errWaitTimeout, timeout)
	}
	interval := pollInterval.min
	for {
		done, err := check(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return stopped()
			}
			return err
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return stopped()
		case <-time.After(interval):
		}
		interval = min(interval*3/2, pollInterval.max)
	}
}

// configureClient extracts the client the provider configured (resources get
// it inside *providerData, data sources as is).
func configureClient(data any, diags *diag.Diagnostics) *client.Client {
	switch d := data.(type) {
	case nil:
		return nil // the provider is not configured yet (validate)
	case *client.Client:
		return d
	case *providerData:
		return d.client
	}
	diags.AddError("Unexpected provider data", fmt.Sprintf("expected *client.Client, got %T; please report this issue", data))
	return nil
}

// addAPIError turns an API error into diagnostics: each field error lands on
// the attribute of the same name, so Terraform points at the line at fault.
// Every diagnostic names the API's request ID when there is one (the error's
// text carries it; field errors get it appended), to quote to support.
func addAPIError(diags *diag.Diagnostics, summary string, err error, attrs ...string) {
	fields := client.FieldErrors(err)
	if len(fields) == 0 {
		detail := err.Error()
		var unknownCA x509.UnknownAuthorityError
		if errors.As(err, &unknownCA) {
			detail += "\n\nThe endpoint's certificate is signed by an authority this machine does not trust: set ca_cert_file (or " + EnvCACertFile + ") to its CA bundle."
		}
		if errors.Is(err, client.ErrUntrustedAnswer) {
			detail += "\n\n" + untrustedAnswerNote
		}
		diags.AddError(summary, detail)
		return
	}
	id := client.RequestID(err)
	for _, f := range fields {
		if id != "" {
			f.Message += " (request ID " + id + ")"
		}
		addViolation(diags, summary, f, attrs...)
	}
}

// untrustedAnswerNote explains an answer the provider does not act on: it
// neither removes an object from state nor stores another object's ID on
// the strength of such an answer.
const untrustedAnswerNote = "This answer is not the API's own, or is about another object than the one asked for: " +
	"a proxy, gateway or load balancer between Terraform and the API may have answered. " +
	"The provider did not act on it: the state was left as it was. " +
	"If this was a create, the API may have created the object anyway: check for it before you apply again."

// addViolation adds one rule violation on its attribute when the resource has
// an attribute of that name (attrs), else as a resource-level error.
func addViolation(diags *diag.Diagnostics, summary string, v api.FieldError, attrs ...string) {
	detail := v.Message
	if !strings.HasPrefix(detail, v.Field) {
		detail = v.Field + ": " + detail
	}
	for _, a := range attrs {
		if a == v.Field {
			diags.AddAttributeError(path.Root(v.Field), summary, detail)
			return
		}
	}
	diags.AddError(summary, detail)
}

// parseChildID splits "<workspace_id>/<id>", the import ID of child resources.
func parseChildID(id, kind string) (string, string, error) {
	ws, child, ok := strings.Cut(id, "/")
	if !ok || ws == "" || child == "" || strings.Contains(child, "/") {
		return "", "", fmt.Errorf("invalid %s import ID %q: expected \"<workspace_id>/<%s_id>\", e.g. \"ws-0123abcd/4567ef01\"", kind, id, kind)
	}
	return ws, child, nil
}

// Conversions between framework values and optional API fields.

func int64Ptr(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	i := v.ValueInt64()
	return &i
}

func stringPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func int64Value(p *int64) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*p)
}

func stringValue(p *string) types.String {
	if p == nil {
		return types.StringNull()
	}
	return types.StringValue(*p)
}

// optionalString maps "" to null, for optional attributes the API omits when empty.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
