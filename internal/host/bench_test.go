package host

import (
	"context"
	"sync"
	"testing"
	"time"
)

// BenchmarkRun1000 runs 1,000 `true` commands on one host, 10 at a time,
// as Terraform's default parallelism would. "sh" runs them with the real
// /bin/sh on the server side; "noop" answers them in the server itself, so
// it measures the SSH layer alone.
func BenchmarkRun1000(b *testing.B) {
	for _, mode := range []string{"sh", "noop"} {
		b.Run(mode, func(b *testing.B) {
			var opts []serverOption
			if mode == "noop" {
				opts = append(opts, withHandler(func(*execCtx) (int, bool) { return 0, true }))
			}
			srv := newTestServer(b, opts...)
			h := mustHost(b, newPool(b, srv.config("f0")), "f0")
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				work := make(chan struct{})
				var wg sync.WaitGroup
				for range 10 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for range work {
							if _, err := h.Run(ctx, Command{Argv: []string{"true"}}); err != nil {
								b.Error(err)
							}
						}
					}()
				}
				for range 1000 {
					work <- struct{}{}
				}
				close(work)
				wg.Wait()
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(1000*b.N)/elapsed.Seconds(), "commands/s")
			b.ReportMetric(float64(h.Stats().Dials), "connections")
			if accepted, _, _ := srv.stats(); accepted != 1 {
				b.Errorf("%d connections for 10 parallel commands, want 1", accepted)
			}
		})
	}
}
