package zfs

import (
	"testing"
)

func TestSeedLooksLikeTheArticlesHost(t *testing.T) {
	h := newTestHost(t)
	got := must(t, h, "zpool list")
	want := "NAME    SIZE  ALLOC   FREE  CKPOINT  EXPANDSZ   FRAG    CAP  DEDUP    HEALTH  ALTROOT\n" +
		"zroot   472G  29.0G   443G        -         -     0%     6%  1.00x    ONLINE  -\n"
	if got != want {
		t.Errorf("zpool list:\n%s\nwant:\n%s", got, want)
	}
	t.Log(must(t, h, "zfs list"))
	t.Log(must(t, h, "zfs mount"))
}
