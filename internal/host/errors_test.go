package host

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestOutcomeUnknown(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&TransportError{Host: "f0", Command: "zfs create", MayHaveRun: true, Err: errors.New("EOF")}, true},
		{fmt.Errorf("f0: writing: %w", &TransportError{Host: "f0", MayHaveRun: true, Err: context.Canceled}), true},
		{&TransportError{Host: "f0", Err: errors.New("connection refused")}, false},
		{&CommandError{Host: "f0", Command: "zfs create", ExitCode: 1}, false},
		{errors.New("other"), false},
		{nil, false},
	} {
		if got := OutcomeUnknown(tt.err); got != tt.want {
			t.Errorf("OutcomeUnknown(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
