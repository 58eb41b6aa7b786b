package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestClockTimeLine(t *testing.T) {
	dir := t.TempDir()
	c := OpenClock(filepath.Join(dir, "clock.json"))
	defer c.Close()
	realNow := time.Now()
	if d := c.Now().Sub(realNow); d < 0 || d > time.Second {
		t.Fatalf("a new clock is real time: off by %s", d)
	}
	if c.FromReal(realNow) != realNow {
		t.Error("without a time line, file times are real times")
	}
	// File times come from the file system's (coarse) clock.
	fileTime := func(name string) time.Time {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime()
	}
	written := fileTime("before") // a file written before the advance
	target := c.Now().Add(time.Hour)
	if err := c.Set(target, true); err != nil {
		t.Fatal(err)
	}
	if !c.Now().Equal(target) || !c.Frozen() {
		t.Errorf("frozen at %v: now %v", target, c.Now())
	}
	if d := c.FromReal(written).Sub(written); d < 0 || d > time.Second {
		t.Errorf("a file written before the advance keeps its time: moved %s", d)
	}
	during := fileTime("during") // written while the clock stood
	if got := c.FromReal(during); !got.Equal(target) {
		t.Errorf("a file written while frozen has the frozen time: %v", got)
	}
	// Another process sees the same clock.
	other := OpenClock(filepath.Join(dir, "clock.json"))
	defer other.Close()
	if !other.Now().Equal(target) {
		t.Errorf("the other process reads %v", other.Now())
	}
	if err := c.Set(target.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if d := other.Now().Sub(target.Add(time.Minute)); d < 0 || d > time.Second || other.Frozen() {
		t.Errorf("running again from the new time: off by %s", d)
	}
	// Time never goes back.
	if err := c.Set(target, false); err != nil {
		t.Fatal(err)
	}
	if c.Now().Before(target.Add(time.Minute)) {
		t.Error("the clock went back")
	}
	// A lab time set by hand maps to a real time and back.
	stamp := target.Add(30 * time.Second)
	if got := c.FromReal(c.ToReal(stamp)); got.Sub(stamp).Abs() > time.Millisecond && !got.Equal(target) {
		t.Errorf("ToReal/FromReal: %v for %v", got, stamp)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := c.FromReal(c.ToReal(old)); !got.Equal(old) {
		t.Errorf("a time before the advances maps back: %v", got)
	}
}

func TestHostClockAndSleep(t *testing.T) {
	h := newTestHost(t, FreeBSD)
	c := OpenClock(filepath.Join(t.TempDir(), "clock.json"))
	defer c.Close()
	h.UseClock(c)
	at := time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)
	if err := c.Set(at, true); err != nil {
		t.Fatal(err)
	}
	if !h.Now().Equal(at) {
		t.Errorf("host time %v", h.Now())
	}
	start := time.Now()
	if err := h.Sleep(context.Background(), time.Hour); err != nil || time.Since(start) > time.Second {
		t.Errorf("sleep while frozen waited %s (%v)", time.Since(start), err)
	}
	if err := h.Tree.WriteFile(h.Root(), "/tmp-file", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := h.Tree.Stat("/tmp-file")
	if err != nil || !fi.ModTime.Equal(at) {
		t.Errorf("file time %v (%v), want %v", fi.ModTime, err, at)
	}
	touched := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := h.Tree.Chtimes(h.Root(), "/tmp-file", touched, touched); err != nil {
		t.Fatal(err)
	}
	if fi, _ := h.Tree.Stat("/tmp-file"); !fi.ModTime.Equal(touched) {
		t.Errorf("touched time %v", fi.ModTime)
	}
	if err := c.Set(at, false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := h.Sleep(ctx, time.Hour); err == nil {
		t.Error("a running clock's sleep waits (and ends with its context)")
	}
}
