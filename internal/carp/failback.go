package carp

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/file"
	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// Defaults of auto-failback: the article's script, marker and log; the
// block file on the root file system (see Failback.BlockFile).
const (
	DefaultFailbackScript = "/usr/local/bin/carp-auto-failback.sh"
	DefaultMarkerName     = "nfs.DO_NOT_REMOVE"
	DefaultBlockFile      = "/var/db/carp.NO_AUTO_FAILBACK"
	DefaultFailbackLog    = "/var/log/carp-auto-failback.log"
	DefaultSchedule       = "* * * * *"
	failbackTag           = "carp-auto-failback"
)

// Failback is the primary's auto-failback: a script that cron runs, which
// makes this node MASTER of the vhid again once its storage is ready.
//
// Ready means: the dataset's key is loaded (or it is not encrypted), the
// dataset is mounted, and the marker file is on it. The article also waits
// for nfsd to run, but the CARP hook stops nfsd on BACKUP, so after a
// failover without a reboot that condition never holds; the hook starts
// nfsd when this node becomes MASTER, so it is not a condition here.
type Failback struct {
	Interface string
	VHID      int
	// Dataset is the replicated dataset; MarkerName a file at the top of
	// its mountpoint, which exists only where the dataset is mounted.
	Dataset    string
	MarkerName string
	// BlockFile, when present, stops failback (carp auto-failback
	// disable). The article keeps it on the dataset; on the root file
	// system it also blocks while the dataset is not mounted, and survives
	// a reboot during maintenance.
	BlockFile  string
	ScriptPath string
	LogFile    string
	Schedule   string
}

// CronName marks the failback's crontab entry (# f3s:NAME).
func (f Failback) CronName() string { return CronName(f.Interface, f.VHID) }

// CronName is the crontab mark of the failback of vhid on iface.
func CronName(iface string, vhid int) string {
	return fmt.Sprintf("%s-%s-%d", failbackTag, iface, vhid)
}

func (f Failback) cronJob() file.CronJob {
	return file.CronJob{Name: f.CronName(), Schedule: f.Schedule, Command: f.ScriptPath}
}

// Script is the failback script.
func (f Failback) Script() string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	fmt.Fprintf(&b, "# CARP auto-failback of vhid %d on %s, run by cron (%s): makes this node\n", f.VHID, f.Interface, f.Schedule)
	b.WriteString("# MASTER again once its storage is ready (the dataset's key loaded, the dataset\n")
	b.WriteString("# mounted, the marker file on it) and failback is not blocked (the block file).\n")
	b.WriteString("# It does not wait for nfsd: the CARP hook starts it on MASTER.\n")
	b.WriteString(generatedNote)
	renderSettings(&b, []setting{
		{"IFACE", f.Interface},
		{"VHID", strconv.Itoa(f.VHID)},
		{"DATASET", f.Dataset},
		{"MARKER_NAME", f.MarkerName},
		{"BLOCK_FILE", f.BlockFile},
		{"LOG_FILE", f.LogFile},
	})
	b.WriteString(failbackScriptBody)
	return b.String()
}

const failbackScriptBody = `
# cron and devd run this with a short PATH (cron: /usr/bin:/bin): it is set
# here, and the programs of /sbin and /usr/sbin are named by their path.
PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin
export PATH
LAST="/var/run/` + failbackTag + `.$VHID@$IFACE"

log() {
	echo "$(date '+%Y-%m-%d %H:%M:%S') - $*" >> "$LOG_FILE"
}

# skip logs why failback waits, once per reason rather than every minute.
skip() {
	if [ "$(cat "$LAST" 2>/dev/null)" != "$*" ]; then
		log "SKIP: $*"
		echo "$*" > "$LAST"
	fi
	exit 0
}

# carp_state prints this vhid's state: the carp line that names it.
carp_state() {
	/sbin/ifconfig "$IFACE" 2>/dev/null | awk -v vhid="$VHID" '$1 == "carp:" && $3 == "vhid" && $4 == vhid { print $2 }'
}

state=$(carp_state)
case "$state" in
MASTER)
	rm -f "$LAST"
	exit 0
	;;
BACKUP) ;;
*)
	skip "vhid $VHID on $IFACE is ${state:-not configured}"
	;;
esac

if [ -e "$BLOCK_FILE" ]; then
	skip "failback blocked by $BLOCK_FILE (carp auto-failback enable removes it)"
fi
keystatus=$(/sbin/zfs get -H -o value keystatus "$DATASET" 2>/dev/null)
case "$keystatus" in
available | -) ;;
*)
	skip "the key of $DATASET is not loaded (${keystatus:-no such dataset})"
	;;
esac
if [ "$(/sbin/zfs get -H -o value mounted "$DATASET" 2>/dev/null)" != yes ]; then
	skip "$DATASET is not mounted"
fi
mountpoint=$(/sbin/zfs get -H -o value mountpoint "$DATASET" 2>/dev/null)
if [ ! -f "$mountpoint/$MARKER_NAME" ]; then
	skip "marker file $mountpoint/$MARKER_NAME not found"
fi

log "CONDITIONS MET: promoting vhid $VHID on $IFACE to MASTER (was $state)"
rm -f "$LAST"
if ! /sbin/ifconfig "$IFACE" vhid "$VHID" state master; then
	log "FAILED: ifconfig $IFACE vhid $VHID state master"
	exit 1
fi
log "failback done: vhid $VHID on $IFACE is $(carp_state)"
logger -t ` + failbackTag + ` -p daemon.notice "$VHID@$IFACE: reclaimed MASTER (was $state)"
`

func (f Failback) script() generated { return generated{f.ScriptPath, f.Script(), scriptMode} }

// FailbackStatus is the condition of a failback's parts.
type FailbackStatus struct {
	Script string // StatusOK, StatusMissing, StatusDiffers, ...
	Cron   string // StatusOK, StatusMissing, or "entry differs: ..."
	// Marker is StatusOK or StatusMissing, "" when it cannot be known (the
	// dataset is not mounted); MarkerPath is "" then too.
	Marker     string
	MarkerPath string
}

// ReadFailback reports the condition of the failback's script, crontab
// entry and marker file. ErrNotFound when neither script nor entry is there.
func ReadFailback(ctx context.Context, t host.Target, f Failback) (FailbackStatus, error) {
	var s FailbackStatus
	var err error
	if s.Script, err = f.script().status(ctx, t); err != nil {
		return s, err
	}
	if s.Cron, err = cronStatus(ctx, t, f); err != nil {
		return s, err
	}
	if s.Script == StatusMissing && s.Cron == StatusMissing {
		return s, fmt.Errorf("%s: %s: %w", t.Name(), f.ScriptPath, ErrNotFound)
	}
	if s.MarkerPath, err = markerPath(ctx, t, f); err != nil {
		return s, err
	}
	if s.MarkerPath != "" {
		if s.Marker, err = markerStatus(ctx, t, s.MarkerPath); err != nil {
			return s, err
		}
	}
	return s, nil
}

func cronStatus(ctx context.Context, t host.Target, f Failback) (string, error) {
	j, err := file.ReadCronJob(ctx, t, "root", f.CronName())
	if errors.Is(err, file.ErrNotFound) {
		return StatusMissing, nil
	}
	if err != nil {
		return "", err
	}
	if j.Entry() != f.cronJob().Entry() {
		return "entry differs: " + j.Entry(), nil
	}
	return StatusOK, nil
}

// markerPath is where the marker is while the dataset is mounted; "" when
// it is not (or does not exist): the marker cannot be looked at then.
func markerPath(ctx context.Context, t host.Target, f Failback) (string, error) {
	res, err := t.Run(ctx, host.Command{Argv: []string{"zfs", "get", "-H", "-o", "value", "mounted,mountpoint", f.Dataset}})
	var ce *host.CommandError
	if errors.As(err, &ce) && strings.Contains(ce.Stderr, "dataset does not exist") {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimRight(string(res.Stdout), "\n"), "\n")
	if len(lines) != 2 {
		return "", fmt.Errorf("%s: zfs get mounted,mountpoint %s: unexpected output %q", t.Name(), f.Dataset, res.Stdout)
	}
	if lines[0] != "yes" || !strings.HasPrefix(lines[1], "/") {
		return "", nil
	}
	return path.Join(lines[1], f.MarkerName), nil
}

func markerStatus(ctx context.Context, t host.Target, p string) (string, error) {
	st, err := file.ReadState(ctx, t, p)
	switch {
	case errors.Is(err, file.ErrNotFound):
		return StatusMissing, nil
	case err != nil:
		return "", err
	case st.Kind != file.Regular:
		return "not a regular file (" + st.Kind.String() + ")", nil
	}
	return StatusOK, nil
}

// ErrDatasetNotMounted reports that the marker could not be placed: it
// must be on the mounted dataset, never on the directory beneath.
var ErrDatasetNotMounted = errors.New("the dataset is not mounted")

// ApplyFailback writes the script and the crontab entry, and puts the
// marker on the dataset. The marker step comes last; when the dataset is
// not mounted it fails with ErrDatasetNotMounted and the rest stays done.
func ApplyFailback(ctx context.Context, t host.Target, f Failback) error {
	if err := checkOwner(ctx, t, f.ScriptPath, f.Interface, f.VHID); err != nil {
		return err
	}
	if _, err := f.script().ensure(ctx, t); err != nil {
		return err
	}
	if err := file.ApplyCronJob(ctx, t, "root", f.cronJob()); err != nil {
		return err
	}
	p, err := markerPath(ctx, t, f)
	if err != nil {
		return err
	}
	if p == "" {
		return fmt.Errorf("%s: %s: %w, so the marker file cannot be placed on it; load its key and mount it, then apply again",
			t.Name(), f.Dataset, ErrDatasetNotMounted)
	}
	if st, err := markerStatus(ctx, t, p); err != nil || st == StatusOK {
		return err
	}
	_, err = t.Run(ctx, host.Command{Argv: []string{"touch", "--", p}})
	return err
}

// RemoveFailback deletes the crontab entry, the script (unless it now
// serves another vhid) and the marker (when the dataset is mounted). The
// log and the block file stay: they are the administrator's.
func RemoveFailback(ctx context.Context, t host.Target, f Failback) error {
	if err := file.DeleteCronJob(ctx, t, "root", f.CronName()); err != nil {
		return err
	}
	other, err := servesOther(ctx, t, f.ScriptPath, f.Interface, f.VHID)
	if err != nil {
		return err
	}
	if other == "" {
		if err := t.Remove(ctx, f.ScriptPath); err != nil {
			return err
		}
	}
	p, err := markerPath(ctx, t, f)
	if err != nil || p == "" {
		return err
	}
	return t.Remove(ctx, p)
}

// ImportFailback reads a failback back from its script's settings and
// its crontab entry's schedule.
func ImportFailback(ctx context.Context, t host.Target, scriptPath string) (Failback, error) {
	text, ok, err := readText(ctx, t, scriptPath)
	if err != nil {
		return Failback{}, err
	}
	if !ok {
		return Failback{}, fmt.Errorf("%s: %s: %w", t.Name(), scriptPath, ErrNotFound)
	}
	s := parseSettings(text)
	iface, vhid, err := ifaceVHID(s)
	if err != nil {
		return Failback{}, fmt.Errorf("%s: %s: %w", t.Name(), scriptPath, err)
	}
	f := Failback{Interface: iface, VHID: vhid, Dataset: s["DATASET"], MarkerName: s["MARKER_NAME"],
		BlockFile: s["BLOCK_FILE"], ScriptPath: scriptPath, LogFile: s["LOG_FILE"], Schedule: DefaultSchedule}
	j, err := file.ReadCronJob(ctx, t, "root", f.CronName())
	switch {
	case err == nil:
		f.Schedule = j.Schedule
	case !errors.Is(err, file.ErrNotFound):
		return Failback{}, err
	}
	return f, nil
}
