package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// A Create never leaves an orphan: an object on the host that state does
// not know. Every resource that makes something on a host ends its Create
// with finishCreate, which decides from the failed step (if any) and from
// reading the object back what state gets:
//
//   - The step's outcome is unknown (the connection dropped after the
//     command was sent) and the object reads back exactly as planned: the
//     command ran to its end, only its exit status was lost. The object is
//     saved, not tainted, and the error becomes a warning: nothing is left
//     to do, and a taint would make the next apply destroy what the user
//     asked for (for a pool, fail on force_destroy).
//   - The object exists but is not (yet) as planned after a step of this
//     Create changed or may have changed it: a partial create. It is saved
//     with the error, which Terraform records as tainted: the next apply
//     replaces it, a destroy removes it.
//   - The object is not there: nothing happened; the error stays and says
//     so, and the next apply simply creates it.
//   - The step that makes the object failed (it ran and exited non-zero)
//     and the object exists: it was there before this Create. It is not
//     this resource's, so it is not saved; the error says how to import it
//     (for resources that refuse to create over an existing object; those
//     that edit in place, a variable or a file, try again next time).
//
// The rule for "tainted or not" is thus the same as in saveApplied (an
// error keeps the object tainted), with one exception: an outcome that was
// only unknown and turns out to be the planned one is no error at all.

// createStage says how far a Create got when a step failed.
type createStage int

const (
	// stageMake: the step that makes the object failed; whether it exists
	// depends on whether that step ran (unknown outcome) or not.
	stageMake createStage = iota
	// stageChange: the object was made; a later step that changes it failed.
	stageChange
	// stageRead: every change was made; only reading the result failed.
	stageRead
)

// createFailure is the step of a Create that failed on the host.
type createFailure struct {
	err   error           // as the domain returned it
	diag  diag.Diagnostic // how the resource reports err
	stage createStage
}

// creation describes what a resource's Create makes, for finishCreate.
type creation[M any] struct {
	hostName string // as configured (several joined for a multi-host object)
	what     string // "ZFS dataset", for the messages
	// readBack fills m from the host and tells whether the object exists.
	readBack readBackFunc[M]
	// complete, when set, tells whether a read-back object is whole,
	// beyond the planned values it must match (which matchesPlan checks):
	// for computed attributes the plan does not know (mounted).
	complete func(m *M) bool
	// oneCommand tells that a single command makes the whole object with
	// every setting: one that exists but is not as planned is not the work
	// of this Create.
	oneCommand bool
	// resume, when set, runs the steps that follow the making one, for a
	// making step whose outcome was unknown and turned out done (a zrepl
	// configuration written, the daemon not yet restarted).
	resume func(ctx context.Context, m *M) *createFailure
	// resourceType and importID, when set, let an error about an object
	// that already exists show the import block that adopts it.
	resourceType string
	importID     string
}

// finishCreate ends a Create: m as planned and filled by the steps, fail
// the failed step (nil when every step succeeded), state and diags the
// response's. See the comment at the top of this file.
func finishCreate[M any](ctx context.Context, state stateSetter, diags *diag.Diagnostics, m *M, c creation[M], fail *createFailure) {
	if fail == nil {
		if !diags.HasError() {
			diags.Append(state.Set(ctx, m)...)
		}
		return
	}
	lost := host.OutcomeUnknown(fail.err)
	if fail.stage == stageMake && !lost && (c.importID == "" || notStarted(fail.err)) {
		// The making step ran and failed, or never started: nothing was
		// made, and there is no existing object to point at.
		diags.Append(fail.diag)
		return
	}
	planned := *m
	found, err := c.readBack(ctx, m)
	if err != nil {
		*m = planned
		diags.Append(fail.diag)
		if fail.stage == stageMake && !lost {
			return // only looked for an object that was there before
		}
		diags.Append(readBackAfterFailureDiag(c.hostName, err))
		if fail.stage != stageMake {
			// The object exists; its values read back later (Read).
			nullUnknowns(m)
			diags.Append(state.Set(ctx, m)...)
		}
		return
	}
	asPlanned := found && matchesPlan(&planned, m) && (c.complete == nil || c.complete(m))
	foreign := fail.stage == stageMake && (!lost || c.oneCommand)
	switch {
	case asPlanned && lost && fail.stage == stageMake && c.resume != nil:
		if next := c.resume(ctx, m); next != nil {
			diags.Append(withDetail(next.diag, fmt.Sprintf("The connection to host %q was lost after the %s was "+
				"made (%s); the steps after it failed as above. The resource is saved in state as tainted, so the "+
				"next apply replaces it.", c.hostName, c.what, fail.err)))
			diags.Append(state.Set(ctx, m)...)
			return
		}
		diags.Append(createRecoveredDiag(c, fail))
		diags.Append(state.Set(ctx, m)...)
	case asPlanned && (lost || fail.stage == stageRead):
		diags.Append(createRecoveredDiag(c, fail))
		diags.Append(state.Set(ctx, m)...)
	case !found && lost:
		diags.Append(withDetail(fail.diag, fmt.Sprintf("Reading back over a new connection finds no %s on "+
			"host %q: nothing is saved in state, and the next apply creates it.", c.what, c.hostName)))
	case !found:
		diags.Append(fail.diag)
	case foreign && c.importID != "":
		// Not made by this Create: it was there before.
		diags.Append(withDetail(fail.diag, alreadyExistsText(c, asPlanned)))
	case foreign:
		// Only a lost command gets here: the object (a variable, a file)
		// is there but was not changed as planned.
		diags.Append(withDetail(fail.diag, fmt.Sprintf("Reading back over a new connection shows that the %s on "+
			"host %q is not as planned: the command did not take effect. Nothing is saved in state, and the next "+
			"apply tries again.", c.what, c.hostName)))
	default:
		diags.Append(withDetail(fail.diag, fmt.Sprintf("The %s on host %q is not (yet) as planned: the resource "+
			"is saved in state as tainted, so the next apply replaces it and a destroy removes it.", c.what, c.hostName)))
		diags.Append(state.Set(ctx, m)...)
	}
}

// notStarted reports a command that never reached the host: no
// connection, or a session that could not be opened.
func notStarted(err error) bool {
	var te *host.TransportError
	return errors.As(err, &te) && !te.MayHaveRun
}

// matchesPlan tells whether every value the plan knows is the one read
// back: the object is what the configuration asks for. Unknown planned
// values (computed ones) match anything.
func matchesPlan[M any](planned, got *M) bool {
	pv, gv := reflect.ValueOf(planned).Elem(), reflect.ValueOf(got).Elem()
	for i := range pv.NumField() {
		p, ok := pv.Field(i).Interface().(attr.Value)
		if !ok || p.IsUnknown() {
			continue
		}
		g, ok := gv.Field(i).Interface().(attr.Value)
		if !ok || !p.Equal(g) {
			return false
		}
	}
	return true
}

// nullUnknowns replaces unknown values by nulls, so that a planned model
// can be saved as state (which holds no unknowns).
func nullUnknowns[M any](m *M) {
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		a, ok := f.Interface().(attr.Value)
		if !ok || !a.IsUnknown() {
			continue
		}
		var null attr.Value
		switch x := a.(type) {
		case types.String:
			null = types.StringNull()
		case types.Bool:
			null = types.BoolNull()
		case types.Int64:
			null = types.Int64Null()
		case types.Map:
			null = types.MapNull(x.ElementType(context.Background()))
		case types.List:
			null = types.ListNull(x.ElementType(context.Background()))
		case types.Set:
			null = types.SetNull(x.ElementType(context.Background()))
		default:
			continue
		}
		f.Set(reflect.ValueOf(null))
	}
}
