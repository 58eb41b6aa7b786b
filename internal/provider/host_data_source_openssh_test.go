package provider

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/sshdtest"
)

// TestAccHostDataSourceOpenSSH reads f3s_host from this machine through a
// real OpenSSH sshd, as its unprivileged user and as root through the real
// doas and sudo.
func TestAccHostDataSourceOpenSSH(t *testing.T) {
	requireOpenSSHAcc(t)
	srv := sshdtest.Start(t, sshdtest.Options{})
	distro := osReleaseID(t)
	becomes := []string{"none", "doas", "sudo"}
	config := openSSHProvider(srv, becomes...)
	var checks []statecheck.StateCheck
	for _, b := range becomes {
		config += fmt.Sprintf("\ndata %q %q {\n  host = %q\n}\n", HostDataSourceType, b, b)
		addr := "data." + HostDataSourceType + "." + b
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(b)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("os"), knownvalue.StringExact("Linux")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("distro"), knownvalue.StringExact(distro)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("kernel"), knownvalue.StringRegexp(regexp.MustCompile(`\S`))),
		)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccHostDataSourceOpenSSHLab reads f3s_host through a real OpenSSH
// sshd whose ForceCommand and sftp subsystem hand over to the lab's FreeBSD
// host f0: the lab's shell runs as the login user f3stest, and become goes
// through the lab's doas.
func TestAccHostDataSourceOpenSSHLab(t *testing.T) {
	requireOpenSSHAcc(t)
	// Not t.TempDir: f3stest runs the lab and must reach its files.
	work, err := os.MkdirTemp("", "f3s-openssh-lab-") //nolint:usetesting // see above
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(work, "f3s-lab")
	build := exec.Command(goBinary(), "build", "-o", bin, "github.com/f3s-storage/terraform-provider-f3s/internal/lab/cmd/f3s-lab")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build f3s-lab: %v\n%s", err, out)
	}
	labDir := filepath.Join(work, "lab")
	// Create the host as "f3s-lab up" would; its own SSH server is not needed.
	l, err := lab.Start(context.Background(), lab.Options{Dir: labDir, Hosts: []lab.HostSpec{{Name: "f0", OS: sim.FreeBSD}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	hand := fmt.Sprintf("%s %%s --dir %s --host f0", bin, labDir)
	srv := sshdtest.Start(t, sshdtest.Options{
		ForceCommand:  fmt.Sprintf(hand, "shell"),
		SFTPSubsystem: fmt.Sprintf(hand, "sftp-server"),
	})
	chownTree(t, labDir, srv.UID, srv.GID)

	addr := "data." + HostDataSourceType + ".f0"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: openSSHProvider(srv, "doas") + fmt.Sprintf("\ndata %q \"f0\" {\n  host = \"doas\"\n}\n", HostDataSourceType),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("os"), knownvalue.StringExact("FreeBSD")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("distro"), knownvalue.StringExact("freebsd")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("release"), knownvalue.StringExact("14.2-RELEASE")),
			},
		}},
	})
}

// requireOpenSSHAcc skips without TF_ACC like every acceptance test; past
// that, a missing terraform, sshd, doas, sudo or root fails under CI=true.
func requireOpenSSHAcc(t *testing.T) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 to run it against a real sshd", resource.EnvTfAcc)
	}
	requireTerraform(t)
	sshdtest.Require(t)
}

// openSSHProvider configures one host per become value, each named after
// it, all reaching srv with strict host key checking.
func openSSHProvider(srv *sshdtest.Server, becomes ...string) string {
	var b strings.Builder
	b.WriteString("provider \"f3s\" {\n  hosts = {\n")
	for _, become := range becomes {
		fmt.Fprintf(&b, "    %s = {\n      address = %q\n      port = %d\n      user = %q\n"+
			"      private_key_file = %q\n      known_hosts_file = %q\n      become = %q\n    }\n",
			become, srv.Address, srv.Port, srv.User, srv.ClientKeyFile, srv.KnownHostsFile, become)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// osReleaseID is this machine's distribution, as f3s_host must report it.
func osReleaseID(t *testing.T) string {
	t.Helper()
	f, err := os.Open("/etc/os-release")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "ID="); ok {
			return strings.Trim(v, `"'`)
		}
	}
	t.Fatalf("/etc/os-release has no ID: %v", sc.Err())
	return ""
}

// chownTree hands a directory tree to the sshd's login user.
func chownTree(t *testing.T, dir string, uid, gid int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func goBinary() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}
