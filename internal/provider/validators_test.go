package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"
)

func TestStringValidators(t *testing.T) {
	k := newTestKey(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", dir)
	encrypted := encryptedKey(t)

	tests := []struct {
		name      string
		validator validator.String
		value     types.String
		want      string // substring of the error detail; "" for no error
	}{
		{"address: host name", addressValidator{}, str("f0.lan"), ""},
		{"address: IPv4", addressValidator{}, str("192.168.1.130"), ""},
		{"address: IPv6", addressValidator{}, str("fd00::130"), ""},
		{"address: with port", addressValidator{}, str("192.168.1.130:22"), "set the port in port"},
		{"address: IPv6 in brackets", addressValidator{}, str("[fd00::130]"), "without brackets"},
		{"address: scheme", addressValidator{}, str("ssh://f0.lan"), "must not include a scheme"},
		{"address: user", addressValidator{}, str("paul@f0.lan"), "set the user in user"},
		{"address: space", addressValidator{}, str("f0 lan"), "white space"},
		{"address: empty", addressValidator{}, str(""), "must not be empty"},
		{"address: option-like", addressValidator{}, str("-oProxyCommand=x"), "must not start with '-'"},
		{"address: unknown", addressValidator{}, types.StringUnknown(), ""},
		{"address: null", addressValidator{}, types.StringNull(), ""},

		{"host_key: valid", hostKeyValidator{}, str(k.PublicKey), ""},
		{"host_key: with comment", hostKeyValidator{}, str(k.PublicKey + " root@f0"), ""},
		{"host_key: garbage", hostKeyValidator{}, str("ssh-ed25519 AAAAnope"), "authorized_keys format"},
		{"host_key: a private key", hostKeyValidator{}, str(k.PEM), "authorized_keys format"},

		{"private_key: valid", privateKeyValidator{}, str(k.PEM), ""},
		{"private_key: encrypted, passphrase elsewhere", privateKeyValidator{}, str(encrypted), ""},
		{"private_key: a public key", privateKeyValidator{}, str(k.PublicKey), "not a private key"},

		{"duration: valid", durationValidator{}, str("1m30s"), ""},
		{"duration: no unit", durationValidator{}, str("30"), "not a duration"},
		{"duration: zero", durationValidator{}, str("0s"), "must be positive"},
		{"duration: negative", durationValidator{}, str("-5s"), "must be positive"},

		{"existing file: present", existingFileValidator{}, str(file), ""},
		{"existing file: with ~", existingFileValidator{}, str("~/file"), ""},
		{"existing file: missing", existingFileValidator{}, str(filepath.Join(dir, "nope")), "does not exist"},
		{"existing file: a directory", existingFileValidator{}, str(dir), "not a regular file"},
		{"readable file: present", readableFileValidator{}, str(file), ""},
		{"readable file: missing", readableFileValidator{}, str("~/nope"), filepath.Join(dir, "nope") + " does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("hosts").AtMapKey("f0").AtName("x"), ConfigValue: tc.value}
			var resp validator.StringResponse
			tc.validator.ValidateString(context.Background(), req, &resp)
			switch {
			case tc.want == "" && resp.Diagnostics.HasError():
				t.Errorf("unexpected error: %v", resp.Diagnostics)
			case tc.want != "" && !resp.Diagnostics.HasError():
				t.Errorf("no error, want one containing %q", tc.want)
			case tc.want != "":
				d := resp.Diagnostics.Errors()[0]
				if !strings.Contains(d.Detail(), tc.want) {
					t.Errorf("detail %q does not contain %q", d.Detail(), tc.want)
				}
				if !strings.HasPrefix(d.Detail(), `hosts["f0"].x: `) {
					t.Errorf("detail %q does not name the attribute", d.Detail())
				}
				if tc.validator == (privateKeyValidator{}) && strings.Contains(d.Detail(), "PRIVATE KEY") {
					t.Errorf("detail quotes the key: %q", d.Detail())
				}
			}
		})
	}
}

func encryptedKey(t *testing.T) string {
	t.Helper()
	k := newTestKey(t)
	raw, err := ssh.ParseRawPrivateKey([]byte(k.PEM))
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(raw, "", []byte("passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	return string(pemEncode(block))
}

func TestValidateJumpHosts(t *testing.T) {
	jump := func(to string) *hostModel {
		h := &hostModel{Address: str("x")}
		if to != "" {
			h.JumpHost = str(to)
		}
		return h
	}
	tests := []struct {
		name  string
		hosts map[string]*hostModel
		want  []string // "summary at path"
	}{
		{"no jump hosts", map[string]*hostModel{"f0": jump(""), "f1": jump("")}, nil},
		{"chain", map[string]*hostModel{"f0": jump(""), "f1": jump("f0"), "f2": jump("f1")}, nil},
		{"unknown target", map[string]*hostModel{"f0": jump("f9")},
			[]string{`Unknown Jump Host at hosts["f0"].jump_host`}},
		{"itself", map[string]*hostModel{"f0": jump("f0")},
			[]string{`Jump Host Cycle at hosts["f0"].jump_host`}},
		{"two-host cycle reported once", map[string]*hostModel{"f0": jump("f1"), "f1": jump("f0")},
			[]string{`Jump Host Cycle at hosts["f0"].jump_host`}},
		{"chain into a cycle", map[string]*hostModel{"a": jump("f1"), "f1": jump("f2"), "f2": jump("f1")},
			[]string{`Jump Host Cycle at hosts["f1"].jump_host`}},
		{"unknown entry stops the walk", map[string]*hostModel{"f0": jump("f1"), "f1": nil}, nil},
		{"unknown jump_host value", map[string]*hostModel{"f0": {Address: str("x"), JumpHost: types.StringUnknown()}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range validateJumpHosts(tc.hosts) {
				got = append(got, d.Summary()+" at "+diagPath(d))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
