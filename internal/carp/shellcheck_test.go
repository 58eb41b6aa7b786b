package carp

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// shellcheck runs `shellcheck -s sh -` over script. Without shellcheck the
// test is skipped with a message, except in CI (CI=true), where .ci/run
// installs it and its absence is a failure.
func shellcheck(t *testing.T, name, script string) {
	t.Helper()
	bin, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shellcheck is not installed (CI=true): %v", err)
		}
		t.Skipf("shellcheck is not installed: %s not checked (apt-get install shellcheck)", name)
	}
	cmd := exec.Command(bin, "-s", "sh", "-")
	cmd.Stdin = bytes.NewReader([]byte(script))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("shellcheck -s sh %s: %v\n%s\n--- script:\n%s", name, err, out.String(), script)
	}
}
