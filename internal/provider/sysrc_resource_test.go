package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// execOnHost runs script as root on a lab host, out of band, and returns
// its stdout and exit status.
func execOnHost(t *testing.T, l *lab.Lab, hostName, script string) (string, int) {
	t.Helper()
	out, _, code, err := l.Exec(hostName, script)
	if err != nil {
		t.Fatalf("lab exec on %s: %v", hostName, err)
	}
	return out, code
}

// mustExec is execOnHost for commands that must succeed.
func mustExec(t *testing.T, l *lab.Lab, hostName, script string) string {
	t.Helper()
	out, stderr, code, err := l.Exec(hostName, script)
	if err != nil || code != 0 {
		t.Fatalf("lab exec on %s: %q exited %d: %v %s", hostName, script, code, err, stderr)
	}
	return out
}

// hostCheck adapts a check of the host to a TestCheckFunc.
func hostCheck(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// The quoted value has every character that a double-quoted rc.conf
// assignment does not take literally.
const (
	sysrcQuoted  = `say "hi" it's $HOME \n ` + "`id`"
	sysrcQuoted2 = `it's "new"`
)

func sysrcConfig(provider, zfskeys, note string) string {
	return provider + fmt.Sprintf(`
resource "f3s_sysrc" "zfskeys" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = %q
}

resource "f3s_sysrc" "datasets" {
  host  = "f0"
  name  = "zfskeys_datasets"
  value = "zdata/enc zdata/enc/nfsdata zroot/bhyve"
}

resource "f3s_sysrc" "note" {
  host  = "f0"
  name  = "f3s_note"
  value = %q
}

resource "f3s_sysrc" "carp" {
  host  = "f0"
  name  = "carp_load"
  value = "YES"
  file  = "/boot/loader.conf"
}
`, zfskeys, note)
}

// sourced is the value of name as the shell sees file: what rc(8) gets.
func sourced(t *testing.T, l *lab.Lab, file, name string) string {
	t.Helper()
	return mustExec(t, l, "f0", fmt.Sprintf(". %s; printf '%%s' \"$%s\"", file, name))
}

func expectSourced(t *testing.T, l *lab.Lab, file, name, want string) resource.TestCheckFunc {
	return hostCheck(func() error {
		if got := sourced(t, l, file, name); got != want {
			return fmt.Errorf("%s in %s is %q on the host, want %q", name, file, got, want)
		}
		return nil
	})
}

func TestAccSysrcResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0)
	rcBefore, _ := execOnHost(t, l, "f0", "cat /etc/rc.conf")
	loaderBefore, _ := execOnHost(t, l, "f0", "cat /boot/loader.conf 2>/dev/null")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sysrcConfig(provider, "YES", sysrcQuoted),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("f3s_sysrc.zfskeys", tfjsonpath.New("id"), knownvalue.StringExact("f0:zfskeys_enable")),
					statecheck.ExpectKnownValue("f3s_sysrc.zfskeys", tfjsonpath.New("file"), knownvalue.StringExact("/etc/rc.conf")),
					statecheck.ExpectKnownValue("f3s_sysrc.note", tfjsonpath.New("value"), knownvalue.StringExact(sysrcQuoted)),
					statecheck.ExpectKnownValue("f3s_sysrc.carp", tfjsonpath.New("id"), knownvalue.StringExact("f0:/boot/loader.conf:carp_load")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					expectSourced(t, l, "/etc/rc.conf", "zfskeys_enable", "YES"),
					expectSourced(t, l, "/etc/rc.conf", "zfskeys_datasets", "zdata/enc zdata/enc/nfsdata zroot/bhyve"),
					expectSourced(t, l, "/etc/rc.conf", "f3s_note", sysrcQuoted),
					expectSourced(t, l, "/boot/loader.conf", "carp_load", "YES"),
				),
			},
			{
				ResourceName:      "f3s_sysrc.note",
				ImportState:       true,
				ImportStateId:     "f0:f3s_note",
				ImportStateVerify: true,
			},
			{
				ResourceName:      "f3s_sysrc.carp",
				ImportState:       true,
				ImportStateId:     "f0:/boot/loader.conf:carp_load",
				ImportStateVerify: true,
			},
			{
				ResourceName:  "f3s_sysrc.carp",
				ImportState:   true,
				ImportStateId: "f0",
				ExpectError:   errorMatching("Invalid Import ID", "HOST:NAME", "HOST:FILE:NAME"),
			},
			{
				// An assignment with quotes is rewritten: the old one goes.
				Config: sysrcConfig(provider, "NO", sysrcQuoted2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_sysrc.zfskeys", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_sysrc.note", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_sysrc.datasets", plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					expectSourced(t, l, "/etc/rc.conf", "zfskeys_enable", "NO"),
					expectSourced(t, l, "/etc/rc.conf", "f3s_note", sysrcQuoted2),
					hostCheck(func() error {
						if out := mustExec(t, l, "f0", "grep -c '^f3s_note=' /etc/rc.conf"); strings.TrimSpace(out) != "1" {
							return fmt.Errorf("/etc/rc.conf has %s assignments of f3s_note, want 1", strings.TrimSpace(out))
						}
						return nil
					}),
				),
			},
			{
				// Drift: the assignment removed on the host.
				PreConfig: func() { mustExec(t, l, "f0", "sysrc -x zfskeys_enable") },
				Config:    sysrcConfig(provider, "NO", sysrcQuoted2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_sysrc.zfskeys", plancheck.ResourceActionCreate),
					},
				},
				Check: expectSourced(t, l, "/etc/rc.conf", "zfskeys_enable", "NO"),
			},
			{
				// Drift: values changed on the host, one in loader.conf. sysrc
				// cannot rewrite an assignment holding \" in place.
				PreConfig: func() {
					mustExec(t, l, "f0", "sysrc -x f3s_note && sysrc f3s_note=changed && sysrc -f /boot/loader.conf carp_load=NO")
				},
				Config: sysrcConfig(provider, "NO", sysrcQuoted2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("f3s_sysrc.note", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_sysrc.carp", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("f3s_sysrc.zfskeys", plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					expectSourced(t, l, "/etc/rc.conf", "f3s_note", sysrcQuoted2),
					expectSourced(t, l, "/boot/loader.conf", "carp_load", "YES"),
				),
			},
		},
		// Destroy leaves both files as they were before.
		CheckDestroy: hostCheck(func() error {
			if after, _ := execOnHost(t, l, "f0", "cat /etc/rc.conf"); after != rcBefore {
				return fmt.Errorf("/etc/rc.conf after destroy:\n%s\nbefore:\n%s", after, rcBefore)
			}
			if after, _ := execOnHost(t, l, "f0", "cat /boot/loader.conf 2>/dev/null"); after != loaderBefore {
				return fmt.Errorf("/boot/loader.conf after destroy:\n%s\nbefore:\n%s", after, loaderBefore)
			}
			return nil
		}),
	})
}

// TestAccSysrcResourceConcurrent applies fifty variables of one file on one
// host in one run, ten at a time (Terraform's default parallelism): the
// per-file lock must keep every one of them.
func TestAccSysrcResourceConcurrent(t *testing.T) {
	t.Parallel()
	const n = 50
	l, provider := testAccLab(t, accF0)
	config := provider + fmt.Sprintf(`
resource "f3s_sysrc" "many" {
  count = %d
  host  = "f0"
  name  = "f3s_many_${count.index}"
  value = "value ${count.index}"
}
`, n)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("f3s_many_%d", i)
	}
	// present counts the variables that /etc/rc.conf assigns as configured.
	present := func() int {
		out, _ := execOnHost(t, l, "f0", "sysrc -e "+strings.Join(names, " "))
		count := 0
		for i, name := range names {
			if strings.Contains(out, fmt.Sprintf("%s=\"value %d\"\n", name, i)) {
				count++
			}
		}
		return count
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: hostCheck(func() error {
				if got := present(); got != n {
					out, _ := execOnHost(t, l, "f0", "grep -c '^f3s_many_' /etc/rc.conf")
					return fmt.Errorf("%d of %d assignments in /etc/rc.conf (%s lines)", got, n, strings.TrimSpace(out))
				}
				return nil
			}),
		}},
		CheckDestroy: hostCheck(func() error {
			if out, code := execOnHost(t, l, "f0", "grep '^f3s_many_' /etc/rc.conf"); code != 1 {
				return fmt.Errorf("assignments left in /etc/rc.conf after destroy:\n%s", out)
			}
			return nil
		}),
	})
}

func TestAccSysrcResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0, accR0)
	tests := []struct {
		name, body string
		want       []string
	}{
		{"name", `host = "f0"
  name = "zfs-enable"
  value = "YES"`, []string{"Invalid Variable Name", "name", `"zfs-enable" is not a variable name`}},
		{"option-shaped name", `host = "f0"
  name = "-x"
  value = "YES"`, []string{"Invalid Variable Name", "name", `"-x" is not a variable name`}},
		{"file", `host = "f0"
  name = "carp_load"
  value = "YES"
  file = "boot/loader.conf"`, []string{"Invalid File", "file", "not an absolute path"}},
		{"value", `host = "f0"
  name = "x"
  value = "a\nb"`, []string{"Invalid Variable Value", "value", "one line"}},
		{"linux host", `host = "r0"
  name = "zfskeys_enable"
  value = "YES"`, []string{"Unsupported Operating System", `f3s_sysrc cannot act on host "r0"`, "FreeBSD only", "Linux (rocky"}},
		{"unknown host", `host = "f9"
  name = "zfskeys_enable"
  value = "YES"`, []string{"Unknown Host", `Host "f9" is not configured`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"f3s_sysrc\" \"bad\" {\n  " + tt.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: errorMatching(tt.want...),
				}},
			})
		})
	}
}

func TestSysrcImportID(t *testing.T) {
	tests := []struct {
		id               string
		host, file, name string
		ok               bool
	}{
		{"f0:zfskeys_enable", "f0", "/etc/rc.conf", "zfskeys_enable", true},
		{"f0:/boot/loader.conf:carp_load", "f0", "/boot/loader.conf", "carp_load", true},
		{"f0:/etc/rc.conf:sshd_enable", "f0", "/etc/rc.conf", "sshd_enable", true},
		{"f0:/odd:dir/rc.conf:x", "f0", "/odd:dir/rc.conf", "x", true},
		{"f0", "", "", "", false},
		{":x", "", "", "", false},
		{"f0:", "", "", "", false},
		{"f0:bad-name", "", "", "", false},
		{"f0:boot/loader.conf:carp_load", "", "", "", false},
	}
	for _, tt := range tests {
		h, f, n, ok := parseSysrcID(tt.id)
		if ok != tt.ok || h != tt.host || f != tt.file || n != tt.name {
			t.Errorf("parseSysrcID(%q) = %q, %q, %q, %v", tt.id, h, f, n, ok)
		}
		if !ok {
			continue
		}
		// The ID reads back, with the default file left out.
		if h2, f2, n2, ok := parseSysrcID(sysrcID(h, f, n)); !ok || h2 != h || f2 != f || n2 != n {
			t.Errorf("sysrcID(%q, %q, %q) = %q does not parse back", h, f, n, sysrcID(h, f, n))
		}
	}
}
