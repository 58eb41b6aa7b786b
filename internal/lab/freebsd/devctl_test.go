package freebsd

import (
	"context"
	"strconv"
	"testing"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
)

func TestDevctlQueue(t *testing.T) {
	l := newLabHost(t, "f0")
	l.steps([]step{
		{cmd: "cat > /usr/local/etc/devd/t.conf", stdin: `notify 0 { match "system" "TEST"; match "subsystem" "(4|5|6|14)"; action "echo $subsystem $timestamp >> /tmp/devd.log"; };` + "\n"},
		{cmd: "service devd stop", stdout: "Stopping devd.\n"},
	})
	ctx := context.Background()
	defer func(n int) { devctlQueueLen = n }(devctlQueueLen)
	devctlQueueLen = 10 // 1000 in the kernel; the same logic, a faster test
	for i := range devctlQueueLen + 5 {
		devctlNotify(ctx, l.h, devdEvent{"system": "TEST", "subsystem": strconv.Itoa(i), "type": "X"})
	}
	q, _ := sim.Load[devctlQueue](l.h, devctlState)
	if len(q.Events) != devctlQueueLen || q.Events[0]["subsystem"] != "5" {
		t.Fatalf("queue of %d from %v", len(q.Events), q.Events[0])
	}
	// devd handles what queued, oldest first, when it starts; $timestamp
	// is the lab time of handling.
	l.steps([]step{
		{cmd: "service devd start", stdout: "Starting devd.\n"},
		{cmd: "cat /tmp/devd.log", stdout: "5 1751398308.000000\n6 1751398308.000000\n14 1751398308.000000\n"},
	})
	if q, _ := sim.Load[devctlQueue](l.h, devctlState); len(q.Events) != 0 {
		t.Errorf("%d events left in the queue", len(q.Events))
	}
}
