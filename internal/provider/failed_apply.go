package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// readBackFunc fills m from the host and tells whether the object exists.
type readBackFunc[M any] func(ctx context.Context, m *M) (bool, error)

// saveApplied ends a Create or Update whose steps may have changed the host
// before one failed. Without an error it stores m as it is (already read
// back). After an error it reads the object back and stores what the host
// has, along with the error: the framework then keeps a Create's resource
// as tainted (the next apply replaces it, a destroy cleans it up) and an
// Update's state shows what was done, so the next plan shows what is left.
// When the object is not there (nothing happened) the state is left as the
// framework had it; a failed read-back is a warning and leaves it too.
func saveApplied[M any](ctx context.Context, state stateSetter, diags *diag.Diagnostics, hostName string, m *M, readBack readBackFunc[M]) {
	if !diags.HasError() {
		diags.Append(state.Set(ctx, m)...)
		return
	}
	found, err := readBack(ctx, m)
	switch {
	case err != nil:
		diags.Append(readBackAfterFailureDiag(hostName, err))
	case found:
		diags.Append(state.Set(ctx, m)...)
	}
}

// diagsError turns the errors among diagnostics into an error (nil when
// there are none), for a read-back that goes through framework values.
func diagsError(diags diag.Diagnostics) error {
	var errs []error
	for _, d := range diags.Errors() {
		errs = append(errs, errors.New(d.Summary()+": "+d.Detail()))
	}
	return errors.Join(errs...)
}
