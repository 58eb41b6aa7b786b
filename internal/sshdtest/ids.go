package sshdtest

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// freeID returns an id that no entry of an /etc/passwd or /etc/group file
// uses, so that the test user owns nothing of the machine's.
func freeID(t testing.TB, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	used := map[int]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, ":"); len(f) > 2 {
			if id, err := strconv.Atoi(f[2]); err == nil {
				used[id] = true
			}
		}
	}
	for id := 42420; ; id++ {
		if !used[id] {
			return id
		}
	}
}
