package provider

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/labtest"
)

// benchDatasets is how many f3s_zfs_dataset resources the plan refreshes.
const benchDatasets = 200

// BenchmarkZFSDatasetPlan200 declares 200 datasets on one lab host, applies
// them once, and measures `terraform plan` over them: wall time per plan,
// remote commands per dataset read and SSH connections per plan, from the
// lab's counters. The target is one connection and at most one command per
// read. Terraform runs the in-process provider through reattach, as the
// acceptance tests do, since a *testing.B cannot drive resource.Test.
func BenchmarkZFSDatasetPlan200(b *testing.B) {
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		b.Skip("no terraform binary: put terraform on PATH or set TF_ACC_TERRAFORM_PATH")
	}
	// In debug mode the provider's and the SDK's logs go to this process's
	// stderr, at trace level unless told otherwise: both cost and clutter.
	for _, v := range []string{"TF_LOG_PROVIDER", "TF_LOG_PROVIDER_F3S", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		b.Setenv(v, "off")
	}
	ctx := context.Background()
	l := labtest.Start(b, "f0:freebsd")
	mustExecB(b, l, "zfs create zroot/bench")

	dir := b.TempDir()
	config := benchProvider(b, l, "f0") + fmt.Sprintf(`
resource "f3s_zfs_dataset" "d" {
  count = %d
  host  = "f0"
  name  = "zroot/bench/d${count.index}"
  properties = {
    compression         = "zstd"
    quota               = "1G"
    "com.example:index" = tostring(count.index)
  }
}
`, benchDatasets)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		b.Fatal(err)
	}
	tf, reattach := benchTerraform(ctx, b, dir, tfPath)

	start := time.Now()
	if err := tf.Init(ctx, reattach); err != nil {
		b.Fatalf("terraform init: %v", err)
	}
	if err := tf.Apply(ctx, reattach); err != nil {
		b.Fatalf("terraform apply: %v", err)
	}
	applied := time.Since(start)

	before := l.Stats("f0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		changes, err := tf.Plan(ctx, reattach, tfexec.Refresh(os.Getenv("F3S_BENCH_NOREFRESH") == ""))
		if err != nil {
			b.Fatalf("terraform plan: %v", err)
		}
		if changes {
			b.Fatal("the plan after apply is not empty")
		}
	}
	b.StopTimer()
	after := l.Stats("f0")
	plans := float64(b.N)
	b.ReportMetric(float64(after.Commands-before.Commands)/plans/benchDatasets, "cmds/read")
	b.ReportMetric(float64(after.Connections-before.Connections)/plans, "conns/plan")
	b.ReportMetric(float64(after.Sessions-before.Sessions)/plans, "sessions/plan")
	b.ReportMetric(applied.Seconds(), "init+apply-s")
}

func mustExecB(b *testing.B, l *lab.Lab, script string) {
	b.Helper()
	if _, stderr, code, err := l.Exec("f0", script); err != nil || code != 0 {
		b.Fatalf("lab exec %q: exit %d, %v %s", script, code, err, stderr)
	}
}

// benchProvider is testAccLab's provider block for a *testing.B.
func benchProvider(b *testing.B, l *lab.Lab, name string) string {
	ep, ok := l.Endpoint(name)
	if !ok {
		b.Fatalf("lab has no endpoint for %s", name)
	}
	return fmt.Sprintf("provider \"f3s\" {\n  hosts = {\n    %s = {\n      address = %q\n      port = %v\n      user = %q\n"+
		"      private_key_file = %q\n      host_key = %q\n      become = \"doas\"\n    }\n  }\n}\n",
		name, ep.Address, ep.Port, ep.User, ep.PrivateKeyFile, strings.TrimSpace(ep.HostKey))
}

// benchTerraform serves the provider in this process and returns a
// terraform that reattaches to it.
func benchTerraform(ctx context.Context, b *testing.B, dir, tfPath string) (*tfexec.Terraform, *tfexec.ReattachOption) {
	ctx, cancel := context.WithCancel(ctx)
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve("registry.terraform.io/hashicorp/f3s", providerserver.NewProtocol6(New("bench")()),
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride())
		if err != nil {
			b.Errorf("serving the provider: %v", err)
		}
	}()
	cfg := <-configCh
	b.Cleanup(func() {
		cancel()
		<-closeCh
	})
	tf, err := tfexec.NewTerraform(dir, tfPath)
	if err != nil {
		b.Fatal(err)
	}
	tf.SetStdout(io.Discard)
	tf.SetStderr(io.Discard)
	rc := tfexec.ReattachConfig{
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            cfg.Test,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}
	return tf, tfexec.Reattach(tfexec.ReattachInfo{"registry.terraform.io/hashicorp/f3s": rc})
}
