package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
)

// dropCase is one resource whose create loses its connection right after
// the command that makes the object ran on the host.
type dropCase struct {
	name  string
	hosts []labHost
	// setup prepares the hosts (a pool for a dataset, say).
	setup func(t *testing.T, l *lab.Lab)
	// config is the resource, with the provider block prepended.
	config string
	addr   string
	// host and pattern are where the connection drops: after the command
	// whose line contains pattern.
	host, pattern string
	// firstErr is what the first apply fails with; nil when reading back
	// shows the create complete (a warning, and the apply succeeds).
	firstErr *regexp.Regexp
	// second is what the second apply plans for the resource.
	second plancheck.ResourceActionType
	// check runs after the second apply; clean after the destroy.
	check, clean func(t *testing.T, l *lab.Lab) error
}

// TestAccCreateSurvivesDroppedConnection drops the connection right after
// the create command of every resource that makes something on a host,
// then applies again without the fault: the second apply converges, the
// plan after it is empty, and the destroy leaves the host clean.
func TestAccCreateSurvivesDroppedConnection(t *testing.T) {
	t.Parallel()
	for _, tc := range dropCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hosts := tc.hosts
			if hosts == nil {
				hosts = []labHost{accF0}
			}
			l, provider := testAccLab(t, hosts...)
			if tc.setup != nil {
				tc.setup(t, l)
			}
			dropped := l.Stats(tc.host).Dropped
			hostFunc := func(f func(t *testing.T, l *lab.Lab) error) resource.TestCheckFunc {
				if f == nil {
					return hostCheck(func() error { return nil })
				}
				return hostCheck(func() error { return f(t, l) })
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   func() { l.Faults(tc.host).DropConnectionOnCommand(tc.pattern) },
						Config:      provider + tc.config,
						ExpectError: tc.firstErr,
					},
					{
						PreConfig: func() {
							// A test whose fault never fired proves nothing.
							if got := l.Stats(tc.host).Dropped; got != dropped+1 {
								t.Fatalf("the connection was dropped %d times, want once: pattern %q matched no command", got-dropped, tc.pattern)
							}
							if st := l.Faults(tc.host).State(); !st.Empty() {
								t.Fatalf("faults left: %s", st)
							}
						},
						Config: provider + tc.config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(tc.addr, tc.second)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: hostFunc(tc.check),
					},
				},
				CheckDestroy: hostFunc(tc.clean),
			})
		})
	}
}

// lostConnection is what a first apply fails with when reading back does
// not show the object complete.
func lostConnection(parts ...string) *regexp.Regexp {
	return errorMatching(append([]string{"the command may or may not have run"}, parts...)...)
}

func dropCases() []dropCase {
	noop, create, replace := plancheck.ResourceActionNoop, plancheck.ResourceActionCreate, plancheck.ResourceActionReplace
	pool := func(t *testing.T, l *lab.Lab) { mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1") }
	unchanged := func(hostName, script string) (setup func(*testing.T, *lab.Lab), clean func(*testing.T, *lab.Lab) error) {
		var before string
		setup = func(t *testing.T, l *lab.Lab) { before = mustExec(t, l, hostName, script) }
		clean = func(t *testing.T, l *lab.Lab) error { return hostOutput(t, l, hostName, script, before) }
		return setup, clean
	}
	rcSetup, rcClean := unchanged("f0", "cat /etc/rc.conf")
	hostsSetup, hostsClean := unchanged("f0", "cat /etc/hosts")
	hostsSetup2, hostsClean2 := unchanged("f0", "cat /etc/hosts")
	fstabSetup, fstabClean := unchanged("f0", "cat /etc/fstab")
	cronSetup, cronClean := unchanged("f0", "crontab -l 2>&1; true")
	return []dropCase{
		{
			name: "zpool",
			config: `
resource "f3s_zpool" "zdata" {
  host          = "f0"
  name          = "zdata"
  vdevs         = [{ type = "disk", devices = ["/dev/ada1"] }]
  mountpoint    = "/data"
  force_destroy = true
}
`,
			addr: "f3s_zpool.zdata", host: "f0", pattern: "zpool create", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zpool list -H -o name,health zdata", "zdata\tONLINE\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zpool list -H -o name", "zroot\n")
			},
		},
		{
			name:  "zfs_dataset",
			setup: pool,
			config: `
resource "f3s_zfs_dataset" "enc" {
  host       = "f0"
  deletion_protection = false
  name       = "zdata/enc"
  properties = { compression = "lz4" }
}
`,
			addr: "f3s_zfs_dataset.enc", host: "f0", pattern: "zfs create", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs get -H -o value compression zdata/enc", "lz4\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs list -H -o name -r zdata", "zdata\n")
			},
		},
		{
			// The copy is received; its properties are set by a later
			// command that never runs: a partial create, saved tainted.
			name: "zfs_dataset from a snapshot",
			setup: func(t *testing.T, l *lab.Lab) {
				mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && zfs create zdata/src && "+
					"echo hello > /data/src/hello.txt && zfs snapshot zdata/src@s1")
			},
			config: `
resource "f3s_zfs_dataset" "copy" {
  host            = "f0"
  deletion_protection = false
  name            = "zdata/copy"
  source_snapshot = "zdata/src@s1"
  mountpoint      = "/data/elsewhere"
}
`,
			addr: "f3s_zfs_dataset.copy", host: "f0", pattern: "zfs recv",
			firstErr: lostConnection("is not (yet) as planned", "saved in state as tainted"), second: replace,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "cat /data/elsewhere/hello.txt", "hello\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs list -H -o name -r zdata", "zdata\nzdata/src\n")
			},
		},
		{
			name: "zfs_snapshot",
			setup: func(t *testing.T, l *lab.Lab) {
				mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && zfs create zdata/enc")
			},
			config: `
resource "f3s_zfs_snapshot" "before" {
  host    = "f0"
  dataset = "zdata/enc"
  name    = "before"
}
`,
			addr: "f3s_zfs_snapshot.before", host: "f0", pattern: "zfs snapshot", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs list -H -o name -t snapshot", "zdata/enc@before\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs list -H -o name -t snapshot", "")
			},
		},
		{
			name: "zfs_properties",
			setup: func(t *testing.T, l *lab.Lab) {
				mustExec(t, l, "f0", "zpool create -m /data zdata /dev/ada1 && zfs create zdata/enc")
			},
			config: `
resource "f3s_zfs_properties" "enc" {
  host               = "f0"
  dataset            = "zdata/enc"
  properties         = { readonly = "on", atime = "off" }
  restore_on_destroy = true
}
`,
			addr: "f3s_zfs_properties.enc", host: "f0", pattern: "zfs set", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs get -H -o property,value -s local readonly,atime zdata/enc | sort", "atime\toff\nreadonly\ton\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "zfs get -H -o property,value -s local readonly,atime zdata/enc", "")
			},
		},
		{
			name:  "zfs_key",
			setup: func(t *testing.T, l *lab.Lab) { mustExec(t, l, "f0", "mkdir -p /keys && chmod 700 /keys") },
			config: `
resource "f3s_zfs_key" "zdata" {
  hosts = ["f0"]
  path  = "/keys/f0.key"
}
`,
			// The key is written through a temporary file beside it.
			addr: "f3s_zfs_key.zdata", host: "f0", pattern: ".f0.key.f3s-", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "stat -f '%Lp %z' /keys/f0.key", "400 32\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "ls -A /keys", "")
			},
		},
		{
			// newfs ran; the fstab line and the mount never came: nothing
			// that reads as key media is there, and the next apply mounts
			// the formatted stick without formatting it again.
			name:  "key_media",
			setup: fstabSetup,
			config: `
resource "f3s_key_media" "keys" {
  host        = "f0"
  device      = "/dev/da0"
  mount_point = "/keys"
  format      = true
}
`,
			addr: "f3s_key_media.keys", host: "f0", pattern: "newfs",
			firstErr: lostConnection("finds no key media", "the next apply creates it"), second: create,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "mount | grep da0", "/dev/da0 on /keys (ufs, local, soft-updates)\n")
			},
			clean: fstabClean,
		},
		{
			name:  "sysrc",
			setup: rcSetup,
			config: `
resource "f3s_sysrc" "zfskeys" {
  host  = "f0"
  name  = "zfskeys_enable"
  value = "YES"
}
`,
			addr: "f3s_sysrc.zfskeys", host: "f0", pattern: "zfskeys_enable=YES", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "sysrc -n zfskeys_enable", "YES\n")
			},
			clean: rcClean,
		},
		{
			name:  "service",
			setup: rcSetup,
			config: `
resource "f3s_service" "rpcbind" {
  host    = "f0"
  name    = "rpcbind"
  enabled = true
  state   = "running"
}
`,
			addr: "f3s_service.rpcbind", host: "f0", pattern: "service rpcbind onestart", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "service rpcbind status | grep -c 'is running'", "1\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				if err := hostOutput(t, l, "f0", "service rpcbind status", "rpcbind is not running.\n"); err != nil {
					return err
				}
				return rcClean(t, l)
			},
		},
		{
			name: "package",
			config: `
resource "f3s_package" "zrepl" {
  host = "f0"
  name = "zrepl"
}
`,
			addr: "f3s_package.zrepl", host: "f0", pattern: "pkg install", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "pkg query %v zrepl", "0.6.1_1\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "pkg info -e zrepl || echo absent", "absent\n")
			},
		},
		{
			name: "file",
			config: `
resource "f3s_file" "conf" {
  host    = "f0"
  path    = "/usr/local/etc/drop.conf"
  content = "it's here\n"
  mode    = "0640"
}
`,
			addr: "f3s_file.conf", host: "f0", pattern: ".drop.conf.f3s-", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "stat -f %Lp /usr/local/etc/drop.conf && cat /usr/local/etc/drop.conf", "640\nit's here\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "ls /usr/local/etc/drop.conf 2>/dev/null; true", "")
			},
		},
		{
			name:  "file_block",
			setup: hostsSetup,
			config: `
resource "f3s_file_block" "vip" {
  host    = "f0"
  path    = "/etc/hosts"
  name    = "vip"
  content = "192.168.2.138 f3s-storage-ha\n"
}
`,
			addr: "f3s_file_block.vip", host: "f0", pattern: ".hosts.f3s-", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "grep -c f3s-storage-ha /etc/hosts", "1\n")
			},
			clean: hostsClean,
		},
		{
			name:  "file_line",
			setup: hostsSetup2,
			config: `
resource "f3s_file_line" "vip" {
  host = "f0"
  path = "/etc/hosts"
  line = "192.168.2.138 f3s-storage-ha"
}
`,
			addr: "f3s_file_line.vip", host: "f0", pattern: ".hosts.f3s-", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "grep -c f3s-storage-ha /etc/hosts", "1\n")
			},
			clean: hostsClean2,
		},
		{
			name:  "cron_job",
			setup: cronSetup,
			config: `
resource "f3s_cron_job" "failback" {
  host     = "f0"
  name     = "carp-auto-failback"
  schedule = "* * * * *"
  command  = "/usr/local/bin/carp-auto-failback.sh"
}
`,
			// crontab -u root - installs; crontab -u root -l only lists.
			addr: "f3s_cron_job.failback", host: "f0", pattern: "crontab -u root -'", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "crontab -l | grep -c carp-auto-failback.sh", "1\n")
			},
			clean: cronClean,
		},
		{
			name: "zrepl_config",
			config: `
resource "f3s_zrepl_config" "f1" {
  host = "f0"
  sink_job {
    name    = "sink"
    serve   = { type = "tcp", listen = "192.168.2.130:8888", clients = { "192.168.2.131" = "f1" } }
    root_fs = "zdata/sink"
  }
}
`,
			addr: "f3s_zrepl_config.f1", host: "f0", pattern: ".zrepl.yml.f3s-", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "grep -c 'root_fs:.*zdata/sink' /usr/local/etc/zrepl/zrepl.yml", "1\n")
			},
			clean: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f0", "ls /usr/local/etc/zrepl/zrepl.yml 2>/dev/null; true", "")
			},
		},
		{
			// The signal reached the daemon: the run it started shows it.
			name:  "zrepl_wakeup",
			hosts: []labHost{accF0, accF1},
			setup: zreplArticleStorage,
			config: zreplArticleHCL("1m") + zreplServicesHCL + `
resource "f3s_zrepl_wakeup" "nfsdata" {
  host         = "f0"
  job          = "f0_to_f1_nfsdata"
  wait_timeout = "1m"
  depends_on   = [f3s_service.zrepl_f0, f3s_service.zrepl_f1]
}
`,
			addr: "f3s_zrepl_wakeup.nfsdata", host: "f0", pattern: "zrepl signal wakeup", second: noop,
			check: func(t *testing.T, l *lab.Lab) error {
				return hostOutput(t, l, "f1", "zfs list -H -o name "+zreplStandby, zreplStandby+"\n")
			},
		},
	}
}

// hostOutput compares what script prints on a lab host.
func hostOutput(t *testing.T, l *lab.Lab, hostName, script, want string) error {
	t.Helper()
	got, code := execOnHost(t, l, hostName, script)
	if got != want {
		return fmt.Errorf("%s on %s printed %q (exit %d), want %q", script, hostName, got, code, want)
	}
	return nil
}

// TestAccCreateAdoptionHint: a create that fails because the object is
// already on the host says so and shows the import block that adopts it;
// that block, pasted, makes the next apply converge.
func TestAccCreateAdoptionHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, setup, config, importBlock string
		want                             *regexp.Regexp
	}{
		{
			name:  "zpool, as configured",
			setup: "zpool create -m /data zdata /dev/ada1",
			config: `
resource "f3s_zpool" "zdata" {
  host          = "f0"
  name          = "zdata"
  vdevs         = [{ type = "disk", devices = ["/dev/ada1"] }]
  mountpoint    = "/data"
  force_destroy = true
}
`,
			importBlock: "import {\n  to = f3s_zpool.zdata\n  id = \"f0:zdata\"\n}\n",
			want: errorMatching("Unable to Create ZFS Pool", "/dev/ada1 is part of active pool 'zdata'",
				`A ZFS pool of this name already exists on host "f0", as this configuration describes it`,
				"import {", "to = f3s_zpool.NAME", `id = "f0:zdata"`, "}"),
		},
		{
			name:  "zfs_dataset, not as configured",
			setup: "zpool create -m /data zdata /dev/ada1 && zfs create -o compression=zstd zdata/enc",
			config: `
resource "f3s_zfs_dataset" "enc" {
  host       = "f0"
  deletion_protection = false
  name       = "zdata/enc"
  properties = { compression = "lz4" }
}
`,
			importBlock: "import {\n  to = f3s_zfs_dataset.enc\n  id = \"f0:zdata/enc\"\n}\n",
			want: errorMatching("Unable to Create ZFS Dataset", "dataset already exists",
				`A ZFS dataset of this name already exists on host "f0" and is not as this configuration describes it`,
				"to = f3s_zfs_dataset.NAME", `id = "f0:zdata/enc"`),
		},
		{
			name:  "zfs_snapshot",
			setup: "zpool create -m /data zdata /dev/ada1 && zfs create zdata/enc && zfs snapshot zdata/enc@before",
			config: `
resource "f3s_zfs_snapshot" "before" {
  host    = "f0"
  dataset = "zdata/enc"
  name    = "before"
}
`,
			importBlock: "import {\n  to = f3s_zfs_snapshot.before\n  id = \"f0:zdata/enc@before\"\n}\n",
			want: errorMatching("Unable to Create ZFS Snapshot", "already exists",
				"as this configuration describes it", "to = f3s_zfs_snapshot.NAME", `id = "f0:zdata/enc@before"`),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, provider := testAccLab(t, accF0)
			mustExec(t, l, "f0", tc.setup)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: provider + tc.config, ExpectError: tc.want},
					{
						// The import block from the message; the dataset's
						// compression is then brought to the configuration.
						Config: provider + tc.config + tc.importBlock,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}
