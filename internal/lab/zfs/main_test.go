package zfs

import (
	"os"
	"testing"
)

// TestMain checks, in every test of the package, each use of what zfs
// knows of a dataset's files against a walk of them (known.go).
func TestMain(m *testing.M) {
	verifyKnown = true
	os.Exit(m.Run())
}
