package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

type toyModel struct {
	Name  types.String
	Value types.String
	Size  types.Int64
	Tags  types.Map
	Note  string // not an attribute: ignored
}

type recordedState struct {
	saved *toyModel
}

func (r *recordedState) Set(_ context.Context, v any) diag.Diagnostics {
	m := *v.(*toyModel)
	r.saved = &m
	return nil
}

// TestFinishCreate walks finishCreate's outcomes with a model whose
// read-back the case decides.
func TestFinishCreate(t *testing.T) {
	lost := &host.TransportError{Host: "f0", Command: "mk x", MayHaveRun: true, Err: errors.New("the connection ended without an exit status")}
	refused := &host.TransportError{Host: "f0", Command: "mk x", Err: errors.New("connection refused")}
	failed := &host.CommandError{Host: "f0", Command: "mk x", ExitCode: 1, Stderr: "x already exists"}
	planned := toyModel{Name: types.StringValue("x"), Value: types.StringValue("v"), Size: types.Int64Unknown(), Tags: types.MapUnknown(types.StringType)}
	asPlanned := func(m *toyModel) {
		m.Value, m.Size, m.Tags = types.StringValue("v"), types.Int64Value(3), mapValue(map[string]string{"a": "b"})
	}
	other := func(m *toyModel) {
		m.Value, m.Size, m.Tags = types.StringValue("w"), types.Int64Value(3), mapValue(nil)
	}

	tests := []struct {
		name      string
		fail      *createFailure
		found     func(m *toyModel) // nil: absent
		readErr   error
		spec      func(c *creation[toyModel])
		wantSaved bool
		wantSev   diag.Severity // error when any diagnostic is one, else warning; 0: none
		wantText  []string
		noRead    bool
	}{
		{name: "success", wantSaved: true},
		{name: "lost, made as planned", fail: &createFailure{err: lost, stage: stageMake}, found: asPlanned,
			wantSaved: true, wantSev: diag.SeverityWarning, wantText: []string{"Connection Lost During Create", "made as planned"}},
		{name: "lost, nothing made", fail: &createFailure{err: lost, stage: stageMake},
			wantSev: diag.SeverityError, wantText: []string{"finds no toy", "the next apply creates it"}},
		{name: "lost, partly made", fail: &createFailure{err: lost, stage: stageMake}, found: other,
			wantSaved: true, wantSev: diag.SeverityError, wantText: []string{"not (yet) as planned", "tainted"}},
		{name: "lost, one command, something else there", fail: &createFailure{err: lost, stage: stageMake}, found: other,
			spec:    func(c *creation[toyModel]) { c.oneCommand = true },
			wantSev: diag.SeverityError, wantText: []string{"did not take effect"}},
		{name: "lost, one command, importable", fail: &createFailure{err: lost, stage: stageMake}, found: other,
			spec:    func(c *creation[toyModel]) { c.oneCommand, c.resourceType, c.importID = true, "f3s_toy", "f0:x" },
			wantSev: diag.SeverityError, wantText: []string{"already exists", "not as this configuration", `to = f3s_toy.NAME`, `id = "f0:x"`}},
		{name: "failed, already there as planned", fail: &createFailure{err: failed, stage: stageMake}, found: asPlanned,
			spec:    func(c *creation[toyModel]) { c.resourceType, c.importID = "f3s_toy", "f0:x" },
			wantSev: diag.SeverityError, wantText: []string{"already exists", "as this configuration describes it", "import {"}},
		{name: "failed, edits in place", fail: &createFailure{err: failed, stage: stageMake}, found: asPlanned,
			wantSev: diag.SeverityError, noRead: true},
		{name: "not connected", fail: &createFailure{err: refused, stage: stageMake}, found: asPlanned,
			spec:    func(c *creation[toyModel]) { c.resourceType, c.importID = "f3s_toy", "f0:x" },
			wantSev: diag.SeverityError, noRead: true},
		{name: "later step failed", fail: &createFailure{err: failed, stage: stageChange}, found: other,
			wantSaved: true, wantSev: diag.SeverityError, wantText: []string{"tainted"}},
		{name: "later step lost, done", fail: &createFailure{err: lost, stage: stageChange}, found: asPlanned,
			wantSaved: true, wantSev: diag.SeverityWarning},
		{name: "later step failed, read back fails", fail: &createFailure{err: failed, stage: stageChange}, readErr: errors.New("down"),
			wantSaved: true, wantSev: diag.SeverityError},
		{name: "read back failed once", fail: &createFailure{err: failed, stage: stageRead}, found: asPlanned,
			wantSaved: true, wantSev: diag.SeverityWarning, wantText: []string{"Read Back After Create Retried"}},
		{name: "lost, incomplete", fail: &createFailure{err: lost, stage: stageMake}, found: asPlanned,
			spec:      func(c *creation[toyModel]) { c.complete = func(*toyModel) bool { return false } },
			wantSaved: true, wantSev: diag.SeverityError, wantText: []string{"tainted"}},
		{name: "lost, resumed", fail: &createFailure{err: lost, stage: stageMake}, found: asPlanned,
			spec: func(c *creation[toyModel]) {
				c.resume = func(context.Context, *toyModel) *createFailure { return nil }
			},
			wantSaved: true, wantSev: diag.SeverityWarning},
		{name: "lost, resume failed", fail: &createFailure{err: lost, stage: stageMake}, found: asPlanned,
			spec: func(c *creation[toyModel]) {
				c.resume = func(context.Context, *toyModel) *createFailure {
					return &createFailure{err: failed, diag: diag.NewErrorDiagnostic("Unable to Restart", "no"), stage: stageChange}
				}
			},
			wantSaved: true, wantSev: diag.SeverityError, wantText: []string{"Unable to Restart", "lost after the toy was made"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := planned
			read := false
			c := creation[toyModel]{hostName: "f0", what: "toy", readBack: func(_ context.Context, m *toyModel) (bool, error) {
				read = true
				if tt.readErr != nil {
					return false, tt.readErr
				}
				if tt.found == nil {
					return false, nil
				}
				tt.found(m)
				return true, nil
			}}
			if tt.spec != nil {
				tt.spec(&c)
			}
			if tt.fail != nil {
				tt.fail.diag = diag.NewErrorDiagnostic("Unable to Make Toy", tt.fail.err.Error())
			} else {
				asPlanned(&m)
			}
			var st recordedState
			var diags diag.Diagnostics
			finishCreate(context.Background(), &st, &diags, &m, c, tt.fail)
			if (st.saved != nil) != tt.wantSaved {
				t.Errorf("saved %v, want %v", st.saved, tt.wantSaved)
			}
			if st.saved != nil && (st.saved.Size.IsUnknown() || st.saved.Tags.IsUnknown()) {
				t.Errorf("saved unknown values: %+v", st.saved)
			}
			if read == tt.noRead && tt.fail != nil {
				t.Errorf("read back: %v", read)
			}
			var text string
			for _, d := range diags {
				text += d.Summary() + ": " + d.Detail() + "\n"
			}
			if tt.wantSev == 0 && len(diags) > 0 || tt.wantSev != 0 && diags.HasError() != (tt.wantSev == diag.SeverityError) {
				t.Errorf("diagnostics:\n%s", text)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestMatchesPlan(t *testing.T) {
	planned := toyModel{Name: types.StringValue("x"), Value: types.StringNull(), Size: types.Int64Unknown(), Note: "a"}
	got := toyModel{Name: types.StringValue("x"), Value: types.StringNull(), Size: types.Int64Value(4), Tags: types.MapNull(types.StringType), Note: "b"}
	planned.Tags = types.MapNull(types.StringType)
	if !matchesPlan(&planned, &got) {
		t.Error("unknown planned values and non-attributes must not count")
	}
	got.Value = types.StringValue("set")
	if matchesPlan(&planned, &got) {
		t.Error("a null planned value read back set matches")
	}
}
