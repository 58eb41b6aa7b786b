package provider

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"golang.org/x/crypto/ssh"
)

// testProviderFactories run the provider in-process: Terraform reattaches to
// it, so no registry and no build are involved.
var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	TypeName: providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain keeps every Terraform run offline and independent of the
// developer's setup: the local terraform binary (never a download), an empty
// CLI configuration (no dev_overrides), no version check.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p, err := exec.LookPath("terraform"); err == nil {
			_ = os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		}
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	dir, err := os.MkdirTemp("", "f3s-provider-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = os.Setenv("TF_CLI_CONFIG_FILE", rc)
	return m.Run()
}

// requireTerraform fails (never skips, never downloads) when no terraform
// binary is known: the framework tests are part of every run.
func requireTerraform(t *testing.T) {
	t.Helper()
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		t.Fatal("no terraform binary: put terraform on PATH or set TF_ACC_TERRAFORM_PATH (tests never download it)")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("TF_ACC_TERRAFORM_PATH: %v", err)
	}
}

// unitTest runs a framework test case with the real terraform binary.
func unitTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	requireTerraform(t)
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = testProviderFactories
	}
	resource.UnitTest(t, tc)
}

// testKey is a client key pair for configurations that must pass validation.
type testKey struct {
	PEM       string // OpenSSH private key
	File      string // the same key in a file
	PublicKey string // authorized_keys line
}

func newTestKey(t *testing.T) testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	k := testKey{
		PEM:       string(pemEncode(block)),
		File:      filepath.Join(t.TempDir(), "id_ed25519"),
		PublicKey: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))),
	}
	if err := os.WriteFile(k.File, []byte(k.PEM), 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

func pemEncode(b *pem.Block) []byte { return pem.EncodeToMemory(b) }
