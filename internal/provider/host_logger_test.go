package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestHostLoggerMasksSecrets(t *testing.T) {
	const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
	const passphrase = "correct horse battery staple"
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)

	l := newHostLogger([]string{key, passphrase, ""})
	l.Debug(ctx, "ssh command with "+passphrase, map[string]any{
		"host":                   "f0",
		"command":                "echo " + passphrase + " | zfs load-key",
		"private_key_passphrase": "anything",
	})

	logged := out.String()
	for _, secret := range []string{passphrase, "anything"} {
		if strings.Contains(logged, secret) {
			t.Errorf("log contains secret %q:\n%s", secret, logged)
		}
	}
	for _, want := range []string{`"host":"f0"`, "zfs load-key"} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lost %q:\n%s", want, logged)
		}
	}
}
