package realtest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkNFSRead reads one file with libnfs's nfs-cp straight from
// ganesha and through the two stunnels, in one run: the MB/s of the two
// sub-benchmarks are the cost of the tunnel. (libnfs 4.0 cannot write
// large files over NFSv4, see libnfsWriteLimit, so the figure is for
// reads.)
func BenchmarkNFSRead(b *testing.B) {
	tn := startTunnel(b)
	port := tn.goodClient(b)
	const size = 32 << 20
	randomFile(b, filepath.Join(tn.export, "bench.bin"), size)
	local := b.TempDir()
	for _, bb := range []struct {
		name string
		port int
	}{{"direct", tn.nfsPort}, {"stunnel", port}} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(size)
			dst := filepath.Join(local, bb.name+".bin")
			for i := 0; i < b.N; i++ {
				_ = os.Remove(dst)
				if out, err := libnfs(b, 2*time.Minute, "nfs-cp", nfsURL(bb.port, "bench.bin"), dst); err != nil {
					b.Fatalf("nfs-cp: %v\n%s", err, out)
				}
			}
		})
	}
}
