package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// labHost is one simulated host of an acceptance test and what f3s_host
// must report for it.
type labHost struct {
	name, os   string // as labtest.Start takes them: "f0:freebsd"
	become     string
	wantOS     string
	wantDistro string
}

// The usual lab hosts of acceptance tests.
var (
	accF0 = labHost{name: "f0", os: "freebsd", become: "doas", wantOS: "FreeBSD", wantDistro: "freebsd"}
	accF1 = labHost{name: "f1", os: "freebsd", become: "doas", wantOS: "FreeBSD", wantDistro: "freebsd"}
	accF2 = labHost{name: "f2", os: "freebsd", become: "doas", wantOS: "FreeBSD", wantDistro: "freebsd"}
	accR0 = labHost{name: "r0", os: "rocky", become: "sudo", wantOS: "Linux", wantDistro: "rocky"}

	accHosts = []labHost{accF0, accR0}
)

// testAccLab starts the lab hosts and returns them with a provider block that
// reaches them the way a user reaches real hosts: the lab's login user and
// key, the host keys pinned, root through doas or sudo.
func testAccLab(t *testing.T, hosts ...labHost) (*lab.Lab, string) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 to run it against the lab", resource.EnvTfAcc)
	}
	requireTerraform(t)
	specs := make([]string, len(hosts))
	for i, h := range hosts {
		specs[i] = h.name + ":" + h.os
	}
	l := labtest.Start(t, specs...)

	var b strings.Builder
	b.WriteString("provider \"f3s\" {\n  hosts = {\n")
	for _, h := range hosts {
		ep, ok := l.Endpoint(h.name)
		if !ok {
			t.Fatalf("lab has no endpoint for %s", h.name)
		}
		fmt.Fprintf(&b, "    %s = {\n      address = %q\n      port = %v\n      user = %q\n"+
			"      private_key_file = %q\n      host_key = %q\n      become = %q\n    }\n",
			h.name, ep.Address, ep.Port, ep.User, ep.PrivateKeyFile, strings.TrimSpace(ep.HostKey), h.become)
	}
	b.WriteString("  }\n}\n")
	return l, b.String()
}
