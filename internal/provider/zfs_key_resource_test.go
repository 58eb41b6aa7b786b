package provider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/zfskey"
)

// The article's key path on every node.
const articleZdataKey = "/keys/f0.lan.buetow.org:zdata.key"

// keySpellings are the forms in which a key could leak: the raw bytes,
// hex in either case, base64 in every alphabet.
func keySpellings(key []byte) []string {
	h := hex.EncodeToString(key)
	return []string{string(key), h, strings.ToUpper(h),
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key)}
}

// findKey reports which spelling of a key doc contains.
func findKey(doc []byte, key []byte) (string, bool) {
	names := []string{"raw", "hex", "upper-case hex", "base64", "unpadded base64", "url base64", "unpadded url base64"}
	for i, s := range keySpellings(key) {
		if strings.Contains(string(doc), s) {
			return names[i], true
		}
	}
	return "", false
}

// noKeyLeak fails when a key appears in the state or the plan. The keys are
// read when the check runs: from the lab host's file (od prints it in hex,
// so the test never depends on the provider to learn it), or given.
type noKeyLeak struct {
	t     *testing.T
	l     *lab.Lab
	host  string
	path  string
	given [][]byte
}

func (n noKeyLeak) keys() ([][]byte, error) {
	keys := append([][]byte{}, n.given...)
	if n.l == nil {
		return keys, nil
	}
	out, _, code, err := n.l.Exec(n.host, "od -A n -t x1 -v "+n.path)
	if err != nil {
		return nil, fmt.Errorf("reading the key from %s:%s: %w", n.host, n.path, err)
	}
	if code != 0 {
		return nil, fmt.Errorf("reading the key from %s:%s: exit %d", n.host, n.path, code)
	}
	key, err := hex.DecodeString(strings.Join(strings.Fields(out), ""))
	if err != nil {
		return nil, fmt.Errorf("the key at %s:%s: %w", n.host, n.path, err)
	}
	if len(key) != zfskey.Size {
		return nil, fmt.Errorf("the key at %s:%s is %d bytes", n.host, n.path, len(key))
	}
	return append(keys, key), nil
}

func (n noKeyLeak) scan(what string, v any) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	keys, err := n.keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if form, found := findKey(doc, k); found {
			return fmt.Errorf("the key appears in the %s (%s)", what, form)
		}
	}
	return nil
}

func (n noKeyLeak) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = n.scan("state", req.State)
}

func (n noKeyLeak) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = n.scan("plan", req.Plan)
}

// stateCheck scans the state as the SDK's test harness holds it.
func (n noKeyLeak) stateCheck() resource.TestCheckFunc {
	return func(s *terraform.State) error { return n.scan("state", s) }
}

func TestKeyLeakScan(t *testing.T) {
	key := []byte("0123456789abcdef0123456789ABCDEF")
	n := noKeyLeak{given: [][]byte{key}}
	for _, s := range keySpellings(key) {
		if err := n.scan("state", map[string]string{"x": "before " + s + " after"}); err == nil {
			t.Errorf("the scan misses %q", s)
		}
	}
	if err := n.scan("state", map[string]string{"fingerprint": fmt.Sprintf("%x", sha256.Sum256(key))}); err != nil {
		t.Errorf("the fingerprint counts as a leak: %v", err)
	}
}

// expectPriorCopies checks the copies the plan starts from: what Read saw.
type expectPriorCopies struct {
	addr string
	want map[string]string
}

func (e expectPriorCopies) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		copies, _ := before["copies"].(map[string]any)
		for h, w := range e.want {
			if copies[h] != w {
				resp.Error = fmt.Errorf("%s: copies[%s] read as %v, want %q (all: %v)", e.addr, h, copies[h], w, copies)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", e.addr)
}

// hostKeySum is a key copy's "sha256 MODE OWNER" as the lab host reports it.
func hostKeySum(t *testing.T, l *lab.Lab, hostName, p string) string {
	t.Helper()
	out := mustExec(t, l, hostName, "sha256 -q "+p+" && stat -f '%Lp %Su' "+p)
	return strings.Join(strings.Fields(out), " ")
}

// expectKeyCopies checks that every host has the state's key at p.
func expectKeyCopies(t *testing.T, l *lab.Lab, addr, p, mode string, hosts ...string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, "fingerprint", func(fp string) error {
		for _, h := range hosts {
			if got, want := hostKeySum(t, l, h, p), fp+" "+mode+" root"; got != want {
				return fmt.Errorf("%s:%s is %q, want %q", h, p, got, want)
			}
		}
		return nil
	})
}

func zfsKeyConfig(provider string, hosts []string, p, mode, extra string) string {
	q := make([]string, len(hosts))
	for i, h := range hosts {
		q[i] = fmt.Sprintf("%q", h)
	}
	return provider + fmt.Sprintf(`
resource "f3s_zfs_key" "zdata" {
  hosts = [%s]
  path  = %q
  mode  = %q
  %s
}
`, strings.Join(q, ", "), p, mode, extra)
}

func mkdirKeys(t *testing.T, l *lab.Lab, hosts ...string) {
	for _, h := range hosts {
		mustExec(t, l, h, "mkdir -p /keys")
	}
}

func TestAccZFSKeyResource(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1, accF2)
	mkdirKeys(t, l, "f0", "f1", "f2")
	const addr = "f3s_zfs_key.zdata"
	const moved = "/keys/zdata.key"
	sameKey := statecheck.CompareValue(compare.ValuesSame())
	newKey := statecheck.CompareValue(compare.ValuesDiffer())
	leak := noKeyLeak{t: t, l: l, host: "f0", path: articleZdataKey}
	movedLeak := noKeyLeak{t: t, l: l, host: "f0", path: moved}
	cfg := func(hosts []string, p, mode, extra string) string {
		return zfsKeyConfig(provider, hosts, p, mode, extra)
	}
	f01, f012 := []string{"f0", "f1"}, []string{"f0", "f1", "f2"}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(f01, articleZdataKey, "0400", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("f0,f1:"+articleZdataKey)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("copies"), knownvalue.MapExact(map[string]knownvalue.Check{
						"f0": knownvalue.StringExact("ok"), "f1": knownvalue.StringExact("ok")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner"), knownvalue.StringExact("root")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("keep_on_destroy"), knownvalue.Bool(false)),
					sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint")),
					newKey.AddStateValue(addr, tfjsonpath.New("fingerprint")),
					leak,
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), leak},
				},
				Check: resource.ComposeTestCheckFunc(
					expectKeyCopies(t, l, addr, articleZdataKey, "400", "f0", "f1"),
					expectNoHostFile(t, l, "f2", articleZdataKey),
					leak.stateCheck(),
				),
			},
			{
				// The import verifies the files and fingerprints them.
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "f0,f1:" + articleZdataKey,
				ImportStateVerify: true,
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "f0,,f1:" + articleZdataKey,
				ExpectError:   errorMatching("Invalid Import ID", "HOSTS:PATH"),
			},
			{
				// A new host gets the same key.
				Config: cfg(f012, articleZdataKey, "0400", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("copies").AtMapKey("f2"), knownvalue.StringExact("ok")),
						leak,
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint")), leak},
				Check:             expectKeyCopies(t, l, addr, articleZdataKey, "400", "f0", "f1", "f2"),
			},
			{
				// The mode changes in place.
				Config: cfg(f012, articleZdataKey, "0440", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint"))},
				Check:             expectKeyCopies(t, l, addr, articleZdataKey, "440", "f0", "f1", "f2"),
			},
			{
				// Drift: a copy deleted, one overwritten, one chmod-ed; the
				// same key goes back everywhere.
				PreConfig: func() {
					mustExec(t, l, "f1", "rm "+articleZdataKey)
					mustExec(t, l, "f2", "dd if=/dev/random of="+articleZdataKey+" bs=32 count=1 status=none")
					mustExec(t, l, "f0", "chmod 0644 "+articleZdataKey)
				},
				Config: cfg(f012, articleZdataKey, "0440", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectPriorCopies{addr, map[string]string{"f0": "mode 0644 (want 0440)", "f1": "missing", "f2": "content differs"}},
						leak,
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint"))},
				Check:             expectKeyCopies(t, l, addr, articleZdataKey, "440", "f0", "f1", "f2"),
			},
			{
				// A host leaves the list: its copy goes.
				Config: cfg(f01, articleZdataKey, "0440", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint"))},
				Check: resource.ComposeTestCheckFunc(
					expectKeyCopies(t, l, addr, articleZdataKey, "440", "f0", "f1"),
					expectNoHostFile(t, l, "f2", articleZdataKey),
				),
			},
			{
				// A new path moves the same key.
				Config: cfg(f01, moved, "0440", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), movedLeak},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue(addr, tfjsonpath.New("fingerprint")), movedLeak},
				Check: resource.ComposeTestCheckFunc(
					expectKeyCopies(t, l, addr, moved, "440", "f0", "f1"),
					expectNoHostFile(t, l, "f0", articleZdataKey),
					expectNoHostFile(t, l, "f1", articleZdataKey),
				),
			},
			{
				// Every copy gone: the plan warns, the apply stops; no new
				// key is made.
				PreConfig: func() {
					mustExec(t, l, "f0", "rm "+moved)
					mustExec(t, l, "f1", "rm "+moved)
				},
				Config:      cfg(f01, moved, "0440", ""),
				ExpectError: errorMatching("ZFS Key Lost", "on none of f0, f1", "allow_regenerate = true"),
			},
			{
				// Only allow_regenerate replaces a lost key, with a new one.
				PreConfig: func() {
					if err := expectNoHostFile(t, l, "f0", moved)(nil); err != nil {
						t.Errorf("the failed apply wrote a key: %v", err)
					}
				},
				Config: cfg(f01, moved, "0440", "allow_regenerate = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{newKey.AddStateValue(addr, tfjsonpath.New("fingerprint")), movedLeak},
				Check:             expectKeyCopies(t, l, addr, moved, "440", "f0", "f1"),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", moved, articleZdataKey),
			expectNoHostFile(t, l, "f1", moved, articleZdataKey),
			expectNoHostFile(t, l, "f2", moved, articleZdataKey),
			hostCheck(func() error {
				// The directory is the key stick's, not the resource's.
				mustExec(t, l, "f0", "test -d /keys")
				return nil
			}),
		),
	})
}

// zfsKeyVariables declares the keys as ephemeral variables, as a user
// should pass key_wo: a literal in the configuration would be stored in the
// plan file with the rest of the configuration.
const zfsKeyVariables = `
variable "zdata_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "other_key" {
  type      = string
  sensitive = true
  ephemeral = true
  default   = null
}
`

func TestAccZFSKeyResourceWriteOnly(t *testing.T) {
	t.Parallel()
	l, provider := testAccLab(t, accF0, accF1)
	mkdirKeys(t, l, "f0", "f1")
	one := sha256.Sum256([]byte("first key"))
	two := sha256.Sum256([]byte("second key"))
	leak := noKeyLeak{given: [][]byte{one[:], two[:]}}
	const addr = "f3s_zfs_key.zdata"
	f01 := []string{"f0", "f1"}
	keyed := func(version int, extra string) string {
		return zfsKeyVariables + zfsKeyConfig(provider, f01, articleZdataKey, "0400",
			fmt.Sprintf("key_wo = var.zdata_key\n  key_wo_version = %d", version)) + extra
	}
	vars := func(zdata []byte, other []byte) config.Variables {
		v := config.Variables{"zdata_key": config.StringVariable(hex.EncodeToString(zdata))}
		if other != nil {
			v["other_key"] = config.StringVariable(base64.StdEncoding.EncodeToString(other))
		}
		return v
	}
	other := "/keys/f1.lan.buetow.org:zdata.key"
	otherResource := func(withKey bool) string {
		key := ""
		if withKey {
			key = "key_wo = var.other_key"
		}
		return `
resource "f3s_zfs_key" "other" {
  hosts = ["f0", "f1"]
  path  = "` + other + `"
  ` + key + `
}
`
	}
	var otherSum string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          keyed(1, ""),
				ConfigVariables: vars(one[:], nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("fingerprint"), knownvalue.StringExact(zfskey.Fingerprint(one[:]))),
						leak,
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), leak},
				},
				ConfigStateChecks: []statecheck.StateCheck{leak},
				Check:             resource.ComposeTestCheckFunc(expectKeyCopies(t, l, addr, articleZdataKey, "400", "f0", "f1"), leak.stateCheck()),
			},
			{
				// key_wo changed without its version: not written.
				Config:          keyed(1, ""),
				ConfigVariables: vars(two[:], nil),
				PlanOnly:        true,
			},
			{
				// A new version writes the new key everywhere.
				Config:          keyed(2, ""),
				ConfigVariables: vars(two[:], nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("fingerprint"), knownvalue.StringExact(zfskey.Fingerprint(two[:]))),
						leak,
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{leak},
				Check:             resource.ComposeTestCheckFunc(expectKeyCopies(t, l, addr, articleZdataKey, "400", "f0", "f1"), leak.stateCheck()),
			},
			{
				// A different key already at the path is never overwritten.
				PreConfig: func() {
					mustExec(t, l, "f1", "dd if=/dev/random of="+other+" bs=32 count=1 status=none && chmod 0400 "+other)
					otherSum = hostKeySum(t, l, "f1", other)
				},
				Config:          keyed(2, otherResource(true)),
				ConfigVariables: vars(two[:], one[:]),
				ExpectError:     errorMatching("Unable to Create ZFS Key", "never overwritten"),
			},
			{
				// Without key_wo, the file in place is adopted: its key is
				// copied to f0, nothing new is generated.
				PreConfig: func() {
					if got := hostKeySum(t, l, "f1", other); got != otherSum {
						t.Errorf("a refused create changed %s: %q, was %q", other, got, otherSum)
					}
					if err := expectNoHostFile(t, l, "f0", other)(nil); err != nil {
						t.Errorf("a refused create wrote a key: %v", err)
					}
				},
				Config:          keyed(2, otherResource(false)),
				ConfigVariables: vars(two[:], nil),
				Check: resource.ComposeTestCheckFunc(
					expectKeyCopies(t, l, "f3s_zfs_key.other", other, "400", "f0", "f1"),
					hostCheck(func() error {
						if got := hostKeySum(t, l, "f1", other); got != otherSum {
							return fmt.Errorf("the adopted key changed: %q, was %q", got, otherSum)
						}
						return nil
					}),
				),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			expectNoHostFile(t, l, "f0", articleZdataKey, other),
			expectNoHostFile(t, l, "f1", articleZdataKey, other),
		),
	})
}

func TestAccZFSKeyResourceInvalid(t *testing.T) {
	t.Parallel()
	_, provider := testAccLab(t, accF0)
	f0 := []string{"f0"}
	tests := []struct {
		name, config string
		err          *regexp.Regexp
	}{
		{"relative path", zfsKeyConfig(provider, f0, "keys/zdata.key", "0400", ""), errorMatching("Invalid Key Path", "path")},
		{"path with a space", zfsKeyConfig(provider, f0, "/keys/my key", "0400", ""), errorMatching("Invalid Key Path", "white space")},
		{"unknown host", zfsKeyConfig(provider, []string{"f0", "f9"}, articleZdataKey, "0400", ""), errorMatching("Unknown Host", `"f9"`)},
		{"no hosts", zfsKeyConfig(provider, nil, articleZdataKey, "0400", ""), regexp.MustCompile(`(?s)hosts.*at least 1`)},
		{"duplicate hosts", zfsKeyConfig(provider, []string{"f0", "f0"}, articleZdataKey, "0400", ""), errorMatching("Duplicate List Value", "hosts")},
		{"world-readable", zfsKeyConfig(provider, f0, articleZdataKey, "0644", ""), errorMatching("Invalid Mode", "other users")},
		{"short key", zfsKeyConfig(provider, f0, articleZdataKey, "0400", `key_wo = "00112233"`), errorMatching("Invalid Key", "key_wo")},
		{"passphrase", zfsKeyConfig(provider, f0, articleZdataKey, "0400", `key_wo = "correct horse battery staple"`), errorMatching("Invalid Key", "neither")},
		{"version alone", zfsKeyConfig(provider, f0, articleZdataKey, "0400", `key_wo_version = 1`), regexp.MustCompile(`(?s)key_wo.*must be specified`)},
	}
	var steps []resource.TestStep
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{Config: tt.config, PlanOnly: true, ExpectError: tt.err})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

func TestParseZFSKeyID(t *testing.T) {
	tests := []struct {
		id    string
		hosts []string
		path  string
		ok    bool
	}{
		{"f0,f1,f2:" + articleZdataKey, []string{"f0", "f1", "f2"}, articleZdataKey, true},
		{"f0:/keys/zdata.key", []string{"f0"}, "/keys/zdata.key", true},
		{"f0,f1:keys/zdata.key", nil, "", false},
		{"f0,,f1:/keys/zdata.key", nil, "", false},
		{"f0,f0:/keys/zdata.key", nil, "", false},
		{":/keys/zdata.key", nil, "", false},
		{"f0", nil, "", false},
		{"f0:/keys/my key", nil, "", false},
	}
	for _, tt := range tests {
		hosts, p, ok := parseZFSKeyID(tt.id)
		if ok != tt.ok || p != tt.path || strings.Join(hosts, ",") != strings.Join(tt.hosts, ",") {
			t.Errorf("parseZFSKeyID(%q) = %v, %q, %v; want %v, %q, %v", tt.id, hosts, p, ok, tt.hosts, tt.path, tt.ok)
		}
		if ok && zfsKeyID(hosts, p) != tt.id {
			t.Errorf("zfsKeyID does not give %q back", tt.id)
		}
	}
}
