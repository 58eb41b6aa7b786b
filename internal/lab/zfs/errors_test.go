package zfs

import (
	"strings"
	"testing"
)

// errCase runs setup commands (which must succeed), then cmd, and checks
// the exit status and the exact stderr (or, with prefix, its beginning).
type errCase struct {
	name   string
	setup  []string
	cmd    string
	stdin  string
	rc     int
	stderr string
	prefix bool // stderr only needs to start with the text (usage follows)
	user   bool // run cmd as the login user, not root
}

func runCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newTestHost(t)
			writeKey(t, h, "/keys/a.key", key(1))
			writeKey(t, h, "/keys/b.key", key(2))
			writeKey(t, h, "/keys/short.key", key(1)[:31])
			writeKey(t, h, "/keys/long.key", append(key(1), '\n'))
			for _, s := range tc.setup {
				must(t, h, s)
			}
			var r result
			if tc.user {
				r = runAs(t, h, h.LoginUser, tc.cmd, tc.stdin)
			} else {
				r = run(t, h, tc.cmd, tc.stdin)
			}
			if r.rc != tc.rc {
				t.Errorf("%s: rc = %d, want %d (stderr %q)", tc.cmd, r.rc, tc.rc, r.err)
			}
			if tc.prefix {
				if !strings.HasPrefix(r.err, tc.stderr) {
					t.Errorf("%s: stderr = %q, want prefix %q", tc.cmd, r.err, tc.stderr)
				}
			} else if r.err != tc.stderr {
				t.Errorf("%s: stderr = %q, want %q", tc.cmd, r.err, tc.stderr)
			}
		})
	}
}

const encA = "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/a.key "

func TestCreateErrors(t *testing.T) {
	runCases(t, []errCase{
		{name: "no pool", cmd: "zfs create zdata/x", rc: 1, stderr: "cannot create 'zdata/x': no such pool 'zdata'\n"},
		{name: "no parent", cmd: "zfs create zroot/a/b", rc: 1, stderr: "cannot create 'zroot/a/b': parent does not exist\n"},
		{name: "exists", cmd: "zfs create zroot/bhyve", rc: 1, stderr: "cannot create 'zroot/bhyve': dataset already exists\n"},
		{name: "parents exist", cmd: "zfs create -p zroot/bhyve", rc: 0},
		{name: "parents made", cmd: "zfs create -p zroot/a/b/c", rc: 0},
		{name: "bad property", cmd: "zfs create -o foo=bar zroot/x", rc: 1, stderr: "cannot create 'zroot/x': invalid property 'foo'\n"},
		{name: "bad char", cmd: "zfs create 'zroot/x!'", rc: 1, stderr: "cannot create 'zroot/x!': invalid character '!' in name\n"},
		{name: "snapshot name", cmd: "zfs create zroot/x@s", rc: 1, stderr: "cannot create 'zroot/x@s': snapshot delimiter '@' is not expected here\n"},
		{name: "crypto props without encryption", cmd: "zfs create -o keyformat=raw zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Encryption must be turned on to set encryption properties.\n"},
		{name: "no keyformat", cmd: "zfs create -o encryption=on zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Keyformat required for new encryption root.\n"},
		{name: "keylocation without keyformat", cmd: "zfs create -o encryption=on -o keylocation=file:///keys/a.key zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Keyformat required for new encryption root.\n"},
		{name: "key file missing", cmd: "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/nope.key zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Failed to open key material file: No such file or directory\n"},
		{name: "raw key short", cmd: "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/short.key zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Raw key too short (expected 32).\n"},
		{name: "raw key long", cmd: "zfs create -o encryption=on -o keyformat=raw -o keylocation=file:///keys/long.key zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Raw key too long (expected 32).\n"},
		{name: "prompt without input", cmd: "zfs create -o encryption=on -o keyformat=raw zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': Raw key too short (expected 32).\n"},
		{name: "prompt with input", cmd: "zfs create -o encryption=on -o keyformat=raw zroot/x", stdin: string(key(3)), rc: 0},
		{name: "passphrase short", cmd: "zfs create -o encryption=on -o keyformat=passphrase zroot/x", stdin: "short\n", rc: 1,
			stderr: "cannot create 'zroot/x': Passphrase too short (min 8).\n"},
		{name: "bad keylocation", cmd: "zfs create -o encryption=on -o keyformat=raw -o keylocation=keys zroot/x", rc: 1,
			stderr: "cannot create 'zroot/x': invalid keylocation\n"},
		{name: "parent key not loaded", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs create zroot/enc/x", rc: 1, stderr: "cannot create 'zroot/enc/x': encryption root's key is not loaded or provided\n"},
		{name: "parent is a volume", setup: []string{"zfs create -V 1G zroot/vol"}, cmd: "zfs create zroot/vol/x", rc: 1,
			stderr: "cannot create 'zroot/vol/x': parent is not a filesystem\n"},
		{name: "volume size", cmd: "zfs create -V 1000 zroot/vol", rc: 1,
			stderr: "cannot create 'zroot/vol': volume size must be a multiple of volume block size\n"},
		{name: "bad volume size", cmd: "zfs create -V 1X zroot/vol", rc: 1, stderr: "bad volume size '1X': invalid numeric suffix 'X'\n"},
		{name: "missing argument", cmd: "zfs create", rc: 2, stderr: "missing filesystem argument\nusage:\n\tcreate [-Pnpuv]", prefix: true},
		{name: "missing =", cmd: "zfs create -o foo zroot/x", rc: 2, stderr: "missing '=' for property=value argument\nusage:\n", prefix: true},
		{name: "too many", cmd: "zfs create zroot/x zroot/y", rc: 2, stderr: "too many arguments\nusage:\n", prefix: true},
		{name: "bad option", cmd: "zfs create -z zroot/x", rc: 2, stderr: "invalid option 'z'\nusage:\n", prefix: true},
		{name: "not root", cmd: "zfs create zroot/x", user: true, rc: 1, stderr: "cannot create 'zroot/x': permission denied\n"},
	})
}

func TestSetInheritErrors(t *testing.T) {
	runCases(t, []errCase{
		{name: "readonly", cmd: "zfs set encryption=off zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': 'encryption' is readonly\n"},
		{name: "computed", cmd: "zfs set used=10 zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': 'used' is readonly\n"},
		{name: "keylocation unencrypted", cmd: "zfs set keylocation=file:///keys/a.key zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': keylocation must be 'none' for unencrypted datasets\n"},
		{name: "keylocation child", setup: []string{encA + "zroot/enc", "zfs create zroot/enc/c"},
			cmd: "zfs set keylocation=file:///keys/a.key zroot/enc/c", rc: 255,
			stderr: "cannot set property for 'zroot/enc/c': keylocation may only be set on encryption roots\n"},
		{name: "keylocation none", setup: []string{encA + "zroot/enc"}, cmd: "zfs set keylocation=none zroot/enc", rc: 255,
			stderr: "cannot set property for 'zroot/enc': keylocation must not be 'none' for encrypted datasets\n"},
		{name: "keylocation ok", setup: []string{encA + "zroot/enc"}, cmd: "zfs set keylocation=prompt zroot/enc", rc: 0},
		{name: "invalid property", cmd: "zfs set foo=bar zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': invalid property 'foo'\n"},
		{name: "bad index", cmd: "zfs set atime=maybe zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': 'atime' must be one of 'on | off'\n"},
		{name: "bad number", cmd: "zfs set quota=lots zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': bad numeric value 'lots'\n"},
		{name: "bad mountpoint", cmd: "zfs set mountpoint=data zroot/bhyve", rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': 'mountpoint' must be an absolute path, 'none', or 'legacy'\n"},
		{name: "missing dataset", cmd: "zfs set atime=on zroot/nope", rc: 1,
			stderr: "cannot open 'zroot/nope': dataset does not exist\n"},
		{name: "no arguments", cmd: "zfs set", rc: 2, stderr: "missing arguments\nusage:\n\tset <property=value>", prefix: true},
		{name: "no dataset", cmd: "zfs set atime=on", rc: 2, stderr: "missing dataset name(s)\nusage:\n", prefix: true},
		{name: "order", cmd: "zfs set atime=on zroot exec=on", rc: 2, stderr: "invalid argument order\nusage:\n", prefix: true},
		{name: "not root", cmd: "zfs set atime=on zroot/bhyve", user: true, rc: 255,
			stderr: "cannot set property for 'zroot/bhyve': permission denied\n"},
		{name: "user property", cmd: "zfs set org.f3s:managed=yes zroot/bhyve", rc: 0},
		{name: "inherit keylocation", cmd: "zfs inherit keylocation zroot/bhyve", rc: 1,
			stderr: "'keylocation' property cannot be inherited\n"},
		{name: "inherit quota", cmd: "zfs inherit quota zroot/bhyve", rc: 1,
			stderr: "'quota' property cannot be inherited\nuse 'zfs set quota=none' to clear\nuse 'zfs inherit -S quota' to revert to received value\n"},
		{name: "inherit readonly prop", cmd: "zfs inherit encryption zroot/bhyve", rc: 1,
			stderr: "encryption property is read-only\n"},
		{name: "inherit invalid", cmd: "zfs inherit foo zroot/bhyve", rc: 2, stderr: "invalid property 'foo'\nusage:\n", prefix: true},
		{name: "inherit missing", cmd: "zfs inherit atime zroot/nope", rc: 1, stderr: "cannot open 'zroot/nope': dataset does not exist\n"},
		{name: "inherit recursive", cmd: "zfs inherit -r atime zroot/var", rc: 0},
	})
}

func TestSnapshotDestroyRenameErrors(t *testing.T) {
	runCases(t, []errCase{
		{name: "snapshot missing dataset", cmd: "zfs snapshot zroot/nope@s", rc: 2,
			stderr: "cannot open 'zroot/nope': dataset does not exist\nusage:\n\tsnapshot", prefix: true},
		{name: "snapshot exists", setup: []string{"zfs snapshot zroot/bhyve@s"}, cmd: "zfs snapshot zroot/bhyve@s", rc: 1,
			stderr: "cannot create snapshot 'zroot/bhyve@s': dataset already exists\n"},
		{name: "snapshot -r exists", setup: []string{"zfs snapshot zroot/bhyve/rocky@s"}, cmd: "zfs snapshot -r zroot/bhyve@s", rc: 1,
			stderr: "cannot create snapshot 'zroot/bhyve/rocky@s': dataset already exists\nno snapshots were created\n"},
		{name: "destroy missing snapshot", cmd: "zfs destroy zroot/bhyve@nope", rc: 1,
			stderr: "could not find any snapshots to destroy; check snapshot names.\n"},
		{name: "destroy held snapshot", setup: []string{"zfs snapshot zroot/bhyve@h", "zfs hold keep zroot/bhyve@h"},
			cmd: "zfs destroy zroot/bhyve@h", rc: 1, stderr: "cannot destroy snapshot zroot/bhyve@h: dataset is busy\n"},
		{name: "destroy released snapshot", setup: []string{"zfs snapshot zroot/bhyve@h", "zfs hold keep zroot/bhyve@h", "zfs release keep zroot/bhyve@h"},
			cmd: "zfs destroy zroot/bhyve@h", rc: 0},
		{name: "destroy children", cmd: "zfs destroy zroot/bhyve", rc: 1,
			stderr: "cannot destroy 'zroot/bhyve': filesystem has children\nuse '-r' to destroy the following datasets:\nzroot/bhyve/rocky\n"},
		{name: "destroy missing", cmd: "zfs destroy zroot/nope", rc: 1, stderr: "cannot open 'zroot/nope': dataset does not exist\n"},
		{name: "destroy bookmark missing", cmd: "zfs destroy zroot/bhyve#b", rc: 1, stderr: "bookmark 'zroot/bhyve#b' does not exist.\n"},
		{name: "destroy not root", cmd: "zfs destroy zroot/bhyve/rocky", user: true, rc: 1,
			stderr: "cannot destroy 'zroot/bhyve/rocky': permission denied\n"},
		{name: "destroy system", cmd: "zfs destroy zroot/var/tmp", rc: 1, stderr: "cannot unmount '/var/tmp': pool or dataset is busy\n"},
		{name: "hold twice", setup: []string{"zfs snapshot zroot/bhyve@h", "zfs hold keep zroot/bhyve@h"}, cmd: "zfs hold keep zroot/bhyve@h", rc: 1,
			stderr: "cannot hold snapshot 'zroot/bhyve@h': tag already exists on this dataset\n"},
		{name: "release unknown", setup: []string{"zfs snapshot zroot/bhyve@h"}, cmd: "zfs release keep zroot/bhyve@h", rc: 1,
			stderr: "cannot release hold from snapshot 'zroot/bhyve@h': no such tag on this dataset\n"},
		{name: "rename exists", cmd: "zfs rename zroot/bhyve zroot/home", rc: 1, stderr: "cannot rename 'zroot/bhyve': dataset already exists\n"},
		{name: "rename across pools", setup: []string{"zpool create zdata /dev/ada1"}, cmd: "zfs rename zroot/bhyve zdata/bhyve", rc: 1,
			stderr: "cannot rename to 'zdata/bhyve': datasets must be within same pool\n"},
		{name: "rename out of encryption root", setup: []string{encA + "zroot/enc", "zfs create zroot/enc/c"},
			cmd: "zfs rename zroot/enc/c zroot/c", rc: 1,
			stderr: "cannot rename 'zroot/enc/c': cannot move encrypted child outside of its encryption root\n"},
		{name: "rename missing parent", cmd: "zfs rename zroot/bhyve zroot/a/b", rc: 1, stderr: "cannot rename to 'zroot/a/b': parent does not exist\n"},
		{name: "rename with parents", cmd: "zfs rename -p zroot/bhyve zroot/a/b", rc: 0},
		{name: "rollback not latest", setup: []string{"zfs snapshot zroot/bhyve@a", "zfs snapshot zroot/bhyve@b"}, cmd: "zfs rollback zroot/bhyve@a", rc: 1,
			stderr: "cannot rollback to 'zroot/bhyve@a': more recent snapshots or bookmarks exist\nuse '-r' to force deletion of the following snapshots and bookmarks:\nzroot/bhyve@b\n"},
		{name: "rollback -r", setup: []string{"zfs snapshot zroot/bhyve@a", "zfs snapshot zroot/bhyve@b"}, cmd: "zfs rollback -r zroot/bhyve@a", rc: 0},
	})
}

func TestKeyAndMountErrors(t *testing.T) {
	runCases(t, []errCase{
		{name: "already loaded", setup: []string{encA + "zroot/enc"}, cmd: "zfs load-key zroot/enc", rc: 255,
			stderr: "Key load error: Key already loaded for 'zroot/enc'.\n"},
		{name: "not encrypted", cmd: "zfs load-key zroot/bhyve", rc: 255, stderr: "Key load error: 'zroot/bhyve' is not encrypted.\n"},
		{name: "not a root", setup: []string{encA + "zroot/enc", "zfs create zroot/enc/c", "zfs unmount zroot/enc/c", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key zroot/enc/c", rc: 255, stderr: "Key load error: Keys must be loaded for encryption root of 'zroot/enc/c' (zroot/enc).\n"},
		{name: "wrong key", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key -L file:///keys/b.key zroot/enc", rc: 255, stderr: "Key load error: Incorrect key provided for 'zroot/enc'.\n"},
		{name: "key file missing", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key -L file:///keys/nope zroot/enc", rc: 255,
			stderr: "Key load error: Failed to open key material file: No such file or directory\n"},
		{name: "short key", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key -L file:///keys/short.key zroot/enc", rc: 255, stderr: "Key load error: Raw key too short (expected 32).\n"},
		{name: "right key", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key zroot/enc", rc: 0},
		{name: "recursive counts", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs load-key -r zroot", rc: 0},
		{name: "missing dataset", cmd: "zfs load-key zroot/nope", rc: 1, stderr: "cannot open 'zroot/nope': dataset does not exist\n"},
		{name: "unload busy", setup: []string{encA + "zroot/enc"}, cmd: "zfs unload-key zroot/enc", rc: 255,
			stderr: "Key unload error: 'zroot/enc' is busy.\n"},
		{name: "mount already", cmd: "zfs mount zroot/bhyve", rc: 1, stderr: "cannot mount 'zroot/bhyve': filesystem already mounted\n"},
		{name: "mount legacy", setup: []string{"zfs create -o mountpoint=legacy zroot/l"}, cmd: "zfs mount zroot/l", rc: 1,
			stderr: "cannot mount 'zroot/l': legacy mountpoint\nuse mount(8) to mount this filesystem\n"},
		{name: "mount none", cmd: "zfs mount zroot/ROOT", rc: 1, stderr: "cannot mount 'zroot/ROOT': no mountpoint set\n"},
		{name: "mount canmount off", cmd: "zfs mount zroot/usr", rc: 1, stderr: "cannot mount 'zroot/usr': 'canmount' property is set to 'off'\n"},
		{name: "mount no key", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs mount zroot/enc", rc: 1, stderr: "cannot mount 'zroot/enc': encryption key not loaded\n"},
		{name: "mount -l", setup: []string{encA + "zroot/enc", "zfs unmount zroot/enc", "zfs unload-key zroot/enc"},
			cmd: "zfs mount -l zroot/enc", rc: 0},
		{name: "unmount not mounted", setup: []string{"zfs unmount zroot/bhyve/rocky"}, cmd: "zfs unmount zroot/bhyve/rocky", rc: 1,
			stderr: "cannot unmount 'zroot/bhyve/rocky': not currently mounted\n"},
		{name: "unmount busy", cmd: "zfs unmount zroot/bhyve", rc: 1, stderr: "cannot unmount '/zroot/bhyve': pool or dataset is busy\n"},
		{name: "unmount by path", cmd: "zfs unmount /zroot/bhyve/rocky", rc: 0},
	})
}

func TestSendReceiveErrors(t *testing.T) {
	base := []string{encA + "zroot/enc", "zfs snapshot zroot/enc@a", "zfs snapshot zroot/bhyve/rocky@a"}
	runCases(t, []errCase{
		{name: "exists", setup: base, cmd: "zfs send zroot/bhyve/rocky@a | zfs recv zroot/bhyve", rc: 1,
			stderr: "cannot receive new filesystem stream: destination 'zroot/bhyve' exists\nmust specify -F to overwrite it\n"},
		{name: "force with snapshots", setup: append(base, "zfs snapshot zroot/home@x"), cmd: "zfs send zroot/bhyve/rocky@a | zfs recv -F zroot/home", rc: 1,
			stderr: "cannot receive new filesystem stream: destination has snapshots (eg. zroot/home@x)\nmust destroy them to overwrite it\n"},
		{name: "force encrypted", setup: append(base, encA+"zroot/enc2"), cmd: "zfs send zroot/bhyve/rocky@a | zfs recv -F zroot/enc2", rc: 1,
			stderr: "cannot receive new filesystem stream: zfs receive -F cannot be used to destroy an encrypted filesystem or overwrite an unencrypted one with an encrypted one\n"},
		{name: "incremental missing", setup: append(base, "zfs snapshot zroot/bhyve/rocky@b"), cmd: "zfs send -i @a zroot/bhyve/rocky@b | zfs recv zroot/copy", rc: 1,
			stderr: "cannot receive incremental stream: destination 'zroot/copy' does not exist\n"},
		{name: "incremental mismatch", setup: append(base, "zfs snapshot zroot/bhyve/rocky@b", "zfs snapshot zroot/bhyve/rocky@c",
			"zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy", "zfs snapshot zroot/copy@mine"),
			cmd: "zfs send -i @b zroot/bhyve/rocky@c | zfs recv zroot/copy", rc: 1,
			stderr: "cannot receive incremental stream: most recent snapshot of zroot/copy does not\nmatch incremental source\n"},
		{name: "incremental ok", setup: append(base, "zfs snapshot zroot/bhyve/rocky@b", "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy"),
			cmd: "zfs send -i zroot/bhyve/rocky@a zroot/bhyve/rocky@b | zfs recv zroot/copy", rc: 0},
		{name: "raw on unencrypted", setup: append(base, "zfs snapshot zroot/enc@b", "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy"),
			cmd: "zfs send -w -i @a zroot/enc@b | zfs recv zroot/copy", rc: 1,
			stderr: "cannot receive incremental stream: cannot perform raw receive on top of existing unencrypted dataset\n"},
		// zfs_receive_one refuses a full stream onto an existing dataset
		// before the kernel looks for the snapshot (EEXIST, "cannot restore").
		{name: "full onto existing with the snapshot", setup: append(base, "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy"),
			cmd: "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy", rc: 1,
			stderr: "cannot receive new filesystem stream: destination 'zroot/copy' exists\nmust specify -F to overwrite it\n"},
		{name: "full onto existing snapshot name", setup: append(base, "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy"),
			cmd: "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy@a", rc: 1,
			stderr: "cannot receive new filesystem stream: destination 'zroot/copy' exists\nmust specify -F to overwrite it\n"},
		{name: "full forced onto existing snapshot", setup: append(base, "zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy"),
			cmd: "zfs send zroot/bhyve/rocky@a | zfs recv -F zroot/copy", rc: 1,
			stderr: "cannot receive new filesystem stream: destination has snapshots (eg. zroot/copy@a)\nmust destroy them to overwrite it\n"},
		{name: "incremental snapshot exists", setup: append(base, "zfs snapshot zroot/bhyve/rocky@b",
			"zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy", "zfs send -i @a zroot/bhyve/rocky@b | zfs recv zroot/copy"),
			cmd: "zfs send -i @a zroot/bhyve/rocky@b | zfs recv zroot/copy", rc: 1, stderr: "cannot restore to zroot/copy@b: destination already exists\n"},
		// The kernel's EEXIST comes after libzfs's raw check.
		{name: "raw before snapshot exists", setup: append(base, "zfs snapshot zroot/enc@b",
			"zfs send zroot/bhyve/rocky@a | zfs recv zroot/copy", "zfs snapshot zroot/copy@b"),
			cmd: "zfs send -w -i @a zroot/enc@b | zfs recv zroot/copy", rc: 1,
			stderr: "cannot receive incremental stream: cannot perform raw receive on top of existing unencrypted dataset\n"},
		{name: "inherited key", setup: append(base, "zfs unmount zroot/enc", "zfs unload-key zroot/enc"),
			cmd: "zfs send zroot/bhyve/rocky@a | zfs recv zroot/enc/rocky", rc: 1,
			stderr: "cannot receive new filesystem stream: inherited key must be loaded\n"},
		{name: "source key", setup: append(base, "zfs unmount zroot/enc", "zfs unload-key zroot/enc"),
			cmd: "zfs send zroot/enc@a > /dev/null", rc: 1, stderr: "warning: cannot send 'zroot/enc@a': source key must be loaded\n"},
		{name: "props without raw", setup: base, cmd: "zfs send -p zroot/enc@a > /dev/null", rc: 1,
			stderr: "cannot send zroot/enc@a: encrypted dataset zroot/enc may not be sent with properties without the raw flag\n"},
		{name: "not a stream", cmd: "echo hello | zfs recv zroot/copy", rc: 1, stderr: "cannot receive: invalid stream (bad magic number)\n"},
		{name: "empty stream", cmd: "zfs recv zroot/copy", rc: 1, stderr: "cannot receive: failed to read from stream\n"},
		{name: "send missing", cmd: "zfs send zroot/bhyve@nope", rc: 1, stderr: "cannot open 'zroot/bhyve@nope': dataset does not exist\n"},
	})
}

func TestZpoolErrors(t *testing.T) {
	runCases(t, []errCase{
		{name: "slash", cmd: "zpool create tank/x /dev/ada1", rc: 1,
			stderr: "cannot create 'tank/x': invalid character '/' in pool name\nuse 'zfs create' to create a dataset\n"},
		{name: "relative mountpoint", cmd: "zpool create -m data zdata /dev/ada1", rc: 1,
			stderr: "invalid mountpoint 'data': must be an absolute path, 'legacy', or 'none'\n"},
		{name: "mountpoint not empty", cmd: "zpool create -m /zroot/bhyve zdata /dev/ada1", rc: 1,
			stderr: "mountpoint '/zroot/bhyve' exists and is not empty\nuse '-m' option to provide a different default\n"},
		{name: "missing device", cmd: "zpool create zdata /dev/da9", rc: 1, stderr: "cannot resolve path '/dev/da9'\n"},
		{name: "missing short device", cmd: "zpool create zdata da9", rc: 1,
			stderr: "cannot open 'da9': no such device in /dev\nmust be a full path or shorthand device name\n"},
		{name: "short device", cmd: "zpool create zdata ada1", rc: 0},
		{name: "active pool", cmd: "zpool create zdata /dev/ada0", rc: 1,
			stderr: "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/ada0 is part of active pool 'zroot'\n"},
		{name: "active pool forced", cmd: "zpool create -f zdata /dev/ada0", rc: 1,
			stderr: "invalid vdev specification\nthe following errors must be manually repaired:\n/dev/ada0 is part of active pool 'zroot'\n"},
		{name: "exported pool", setup: []string{"zpool create zdata /dev/ada1", "zpool export zdata"}, cmd: "zpool create zother /dev/ada1", rc: 1,
			stderr: "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/ada1 is part of exported pool 'zdata'\n"},
		{name: "exists", setup: []string{"zpool create zdata /dev/ada1"}, cmd: "zpool create zdata /dev/da0", rc: 1,
			stderr: "cannot create 'zdata': pool already exists\n"},
		{name: "same device twice", cmd: "zpool create zdata mirror /dev/ada1 /dev/ada1", rc: 1,
			stderr: "cannot create 'zdata': one or more vdevs refer to the same device, or one of\nthe devices is part of an active md or lvm device\n"},
		{name: "mirror of one", cmd: "zpool create zdata mirror /dev/ada1", rc: 1,
			stderr: "invalid vdev specification: mirror requires at least 2 devices\n"},
		{name: "mirror", cmd: "zpool create zdata mirror /dev/ada1 /dev/da0", rc: 0},
		{name: "bad name", cmd: "zpool create 1data /dev/ada1", rc: 1, stderr: "cannot create '1data': name must begin with a letter\n"},
		{name: "missing vdevs", cmd: "zpool create zdata", rc: 2, stderr: "missing vdev specification\nusage:\n", prefix: true},
		{name: "not root", cmd: "zpool create zdata /dev/ada1", user: true, rc: 1, stderr: "cannot create 'zdata': permission denied\n"},
		{name: "list unknown", cmd: "zpool list foo", rc: 1, stderr: "cannot open 'foo': no such pool\n"},
		{name: "destroy unknown", cmd: "zpool destroy foo", rc: 1, stderr: "cannot open 'foo': no such pool\n"},
		{name: "destroy zroot", cmd: "zpool destroy zroot", rc: 1, stderr: "could not destroy 'zroot': could not unmount datasets\n"},
		{name: "export zroot", cmd: "zpool export zroot", rc: 1, stderr: "cannot export 'zroot': pool is busy\n"},
		{name: "import unknown", cmd: "zpool import foo", rc: 1, stderr: "cannot import 'foo': no such pool available\n"},
		{name: "import imported", setup: []string{"zpool create zdata /dev/ada1"}, cmd: "zpool import zdata", rc: 1,
			stderr: "cannot import 'zdata': a pool with that name already exists\nuse the form 'zpool import <pool | id> <newpool>' to give it a new name\n"},
		{name: "import exported", setup: []string{"zpool create zdata /dev/ada1", "zpool export zdata"}, cmd: "zpool import zdata", rc: 0},
		{name: "unknown command", cmd: "zpool frobnicate", rc: 2, stderr: "unrecognized command 'frobnicate'\nusage: zpool command args ...\n", prefix: true},
		{name: "zfs unknown command", cmd: "zfs frobnicate", rc: 2, stderr: "unrecognized command 'frobnicate'\nusage: zfs command args ...\n", prefix: true},
		{name: "get bad property", cmd: "zfs get foo zroot", rc: 2, stderr: "bad property list: invalid property 'foo'\nusage:\n", prefix: true},
		{name: "get missing", cmd: "zfs get mountpoint zroot/nope", rc: 1, stderr: "cannot open 'zroot/nope': dataset does not exist\n"},
		{name: "list bad field", cmd: "zfs list -o foo", rc: 2, stderr: "bad property list: invalid property 'foo'\nusage:\n", prefix: true},
		{name: "list nothing", cmd: "zfs list -t snapshot", rc: 0, stderr: "no datasets available\n"},
	})
}
