package zrepl

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// BuildJobs is job.JobsFromConfig's validation: what a parsed config can
// still get wrong. Its error reads as the daemon and configcheck print it
// after "cannot build jobs from config: ".
func BuildJobs(c *Config) error {
	for _, j := range c.Jobs {
		if err := buildJob(j); err != nil {
			return fmt.Errorf("cannot build job %q: %w", j.Name(), err)
		}
	}
	return nil
}

// PlaceholderEncryptions are the values of recv.placeholder.encryption.
var PlaceholderEncryptions = []string{"unspecified", "inherit", "off"}

var protections = []string{"guarantee_resumability", "guarantee_incremental", "guarantee_nothing"}

func buildJob(j JobEnum) error {
	if err := checkJobName(j.Name()); err != nil {
		return err
	}
	switch v := j.Ret.(type) {
	case *PushJob:
		if _, err := NewFilter(v.Filesystems); err != nil {
			return fmt.Errorf("cannot build filesystem filter: %w", err)
		}
		if err := checkSnapshotting(v.Snapshotting); err != nil {
			return err
		}
		return checkActive(&v.ActiveJob)
	case *PullJob:
		if err := checkRootFS(v.RootFS); err != nil {
			return err
		}
		if err := checkRecv(v.Recv); err != nil {
			return err
		}
		return checkActive(&v.ActiveJob)
	case *SinkJob:
		if err := checkRootFS(v.RootFS); err != nil {
			return err
		}
		return checkRecv(v.Recv)
	case *SourceJob:
		if _, err := NewFilter(v.Filesystems); err != nil {
			return fmt.Errorf("cannot build filesystem filter: %w", err)
		}
		return checkSnapshotting(v.Snapshotting)
	case *SnapJob:
		if _, err := NewFilter(v.Filesystems); err != nil {
			return fmt.Errorf("cannot build filesystem filter: %w", err)
		}
		if err := checkSnapshotting(v.Snapshotting); err != nil {
			return err
		}
		if _, err := NewKeepRules(v.Pruning.Keep); err != nil {
			return fmt.Errorf("cannot build snapjob pruning rules: %w", err)
		}
	}
	return nil
}

var jobNameChars = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

func checkJobName(name string) error {
	if name == "" || !jobNameChars.MatchString(name) {
		return fmt.Errorf("invalid job name: must not be empty and must be a valid ZFS hold tag component, got %q", name)
	}
	return nil
}

func checkActive(a *ActiveJob) error {
	if _, err := NewKeepRules(a.Pruning.KeepSender); err != nil {
		return fmt.Errorf("cannot build pruner factory: cannot build sender pruning rules: %w", err)
	}
	for _, r := range a.Pruning.KeepReceiver {
		if _, ok := r.Ret.(*PruneKeepNotReplicated); ok {
			return errors.New("cannot build pruner factory: cannot build receiver pruning rules: not_replicated is not allowed on the receiver side")
		}
	}
	if _, err := NewKeepRules(a.Pruning.KeepReceiver); err != nil {
		return fmt.Errorf("cannot build pruner factory: cannot build receiver pruning rules: %w", err)
	}
	if p := a.Replication; p != nil && p.Protection != nil {
		for _, v := range []string{p.Protection.Initial, p.Protection.Incremental} {
			if !slices.Contains(protections, v) {
				return fmt.Errorf("cannot build replication driver config: invalid replication protection %q, must be one of %s", v, protections)
			}
		}
	}
	if cr := a.ConflictResolution; cr != nil && !slices.Contains([]string{"most_recent", "all", "fail"}, cr.InitialReplication) {
		return fmt.Errorf("cannot build conflict resolution: invalid initial_replication %q, must be one of [most_recent all fail]", cr.InitialReplication)
	}
	return nil
}

func checkSnapshotting(s SnapshottingEnum) error {
	switch v := s.Ret.(type) {
	case *SnapshottingPeriodic:
		return checkTimestampFormat(v.TimestampFormat)
	case *SnapshottingCron:
		if len(strings.Fields(v.Cron)) != 5 {
			return fmt.Errorf("cannot build snapper: parse cron spec %q: expected exactly 5 fields", v.Cron)
		}
		return checkTimestampFormat(v.TimestampFormat)
	}
	return nil
}

func checkTimestampFormat(f string) error {
	switch f {
	case "dense", "human", "iso-8601", "unix-seconds":
		return nil
	}
	if strings.ContainsAny(f, "0123456789") {
		return nil // a Go time layout
	}
	return fmt.Errorf("cannot build snapper: invalid timestamp format %q", f)
}

func checkRootFS(root string) error {
	if root == "" {
		return errors.New("root_fs must not be empty")
	}
	if !validDatasetPath(root) {
		return errors.New("root_fs is not a valid zfs filesystem path")
	}
	return nil
}

// checkRecv is buildReceiverConfig's check of the placeholder encryption.
func checkRecv(r *RecvOptions) error {
	if r == nil || r.Placeholder == nil {
		return nil
	}
	if !slices.Contains(PlaceholderEncryptions, r.Placeholder.Encryption) {
		return fmt.Errorf("placeholder encryption value %q is invalid, must be one of %s", r.Placeholder.Encryption, PlaceholderEncryptions)
	}
	return nil
}

var datasetComponent = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// validDatasetPath checks a filesystem name: components of ZFS's allowed
// characters, no snapshot or bookmark part.
func validDatasetPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return false
	}
	for c := range strings.SplitSeq(p, "/") {
		if !datasetComponent.MatchString(c) {
			return false
		}
	}
	return true
}
