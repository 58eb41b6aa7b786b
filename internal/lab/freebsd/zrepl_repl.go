package freebsd

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/sim"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zfs"
	"github.com/f3s-storage/terraform-provider-f3s/internal/lab/zrepl"
)

// Replication of a push job to the sink job of another host (reference
// §12.2-12.3): the connection is resolved through the lab's network, the
// sink's serve.listen must be the address dialled and the push host's
// address must map to an identity in serve.clients. Filesystems land at
// root_fs/<identity>/<source path>, below placeholders for missing parents.
// Each step is a real `zfs send` on the source piped into `zfs recv -s` on
// the sink, so every failure is ZFS's own text, wrapped as zrepl's ZFSError.

// zreplConn is an established connection from a push job to a sink job.
type zreplConn struct {
	peer     *sim.Host
	sinkName string
	sink     *zrepl.SinkJob
	identity string
}

func (c *zreplConn) root() string { return c.sink.RootFS + "/" + c.identity }

// grpcUnavailable is how a failed connection reaches the replication
// report: zrepl's control RPCs are gRPC.
func grpcUnavailable(desc string) error {
	return fmt.Errorf("rpc error: code = Unavailable desc = %s", desc)
}

func dialError(addr, reason string) error {
	return grpcUnavailable(fmt.Sprintf("connection error: desc = \"transport: Error while dialing: dial tcp %s: %s\"", addr, reason))
}

// dial connects a push job's connect section to a sink.
func (rt *zreplRun) dial(ce zrepl.ConnectEnum) (*zreplConn, error) {
	tcp, ok := ce.Ret.(*zrepl.TCPConnect)
	if !ok {
		return nil, fmt.Errorf("lab: only the tcp transport is emulated, not %T", ce.Ret)
	}
	host, port, err := net.SplitHostPort(tcp.Address)
	if err != nil {
		return nil, grpcUnavailable(fmt.Sprintf("connection error: desc = \"transport: Error while dialing: dial tcp: %s\"", err))
	}
	ip, ok := resolveHost(rt.h, host)
	if !ok {
		return nil, grpcUnavailable(fmt.Sprintf("connection error: desc = \"transport: Error while dialing: dial tcp: lookup %s: no such host\"", host))
	}
	addr := net.JoinHostPort(ip.String(), port)
	peer, ok := peerOf(rt.h, ip)
	if !ok {
		return nil, dialError(addr, "i/o timeout")
	}
	refused := dialError(addr, "connect: connection refused")
	pd, err := sim.Load[zreplDaemon](peer, zreplStateName)
	if err != nil || !pd.Running || !zreplAlive(peer) {
		return nil, refused
	}
	pc, err := zrepl.Parse([]byte(pd.Config))
	if err != nil {
		return nil, refused
	}
	src, _ := sourceAddr(rt.h, ip)
	for _, j := range pc.Jobs {
		sink, ok := j.Ret.(*zrepl.SinkJob)
		if !ok {
			continue
		}
		serve, ok := sink.Serve.Ret.(*zrepl.TCPServe)
		if !ok || !listensOn(serve.Listen, ip, port) {
			continue
		}
		id, ok := clientIdentity(serve.Clients, src)
		if !ok {
			return nil, grpcUnavailable("connection closed before server preface received")
		}
		return &zreplConn{peer: peer, sinkName: sink.Name, sink: sink, identity: id}, nil
	}
	return nil, refused
}

// listensOn reports whether a listen address accepts ip:port.
func listensOn(listen string, ip netip.Addr, port string) bool {
	h, p, err := net.SplitHostPort(listen)
	if err != nil || p != port {
		return false
	}
	if h == "" || h == "0.0.0.0" || h == "::" {
		return true
	}
	lip, err := netip.ParseAddr(h)
	return err == nil && lip == ip
}

// clientIdentity maps the client's address through serve.clients: an
// exact address, or a network whose identity's "*" becomes the address.
func clientIdentity(clients map[string]string, src netip.Addr) (string, bool) {
	if id, ok := clients[src.String()]; ok {
		return id, true
	}
	keys := make([]string, 0, len(clients))
	for k := range clients {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, err := netip.ParsePrefix(k); err == nil && p.Contains(src) {
			return strings.ReplaceAll(clients[k], "*", src.String()), true
		}
	}
	return "", false
}

// replicateAndPrune is one invocation of a push job: replication, then
// pruning of the sender and the receiver.
func (rt *zreplRun) replicateAndPrune(job *zrepl.PushJob, at time.Time) {
	js := rt.job(job.Name)
	att := &zrepl.AttemptReport{State: zrepl.AttemptDone, StartAt: at, FinishAt: at}
	conn, err := rt.dial(job.Connect)
	if err != nil {
		att.State = zrepl.AttemptPlanningError
		att.PlanError = &zrepl.TimedError{Err: err.Error(), Time: at}
	} else {
		att.Filesystems = []*zrepl.FilesystemReport{}
		filter, _ := zrepl.NewFilter(job.Filesystems)
		st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
		for _, ds := range zreplFilesystems(&st, filter) {
			fr := rt.replicateFS(job, conn, ds.Name, at)
			if fr.State != zrepl.FilesystemDone {
				att.State = zrepl.AttemptFilesystemError
			}
			att.Filesystems = append(att.Filesystems, fr)
		}
	}
	js.Replication = &zrepl.ReplicationReport{StartAt: at, FinishAt: at, Attempts: []*zrepl.AttemptReport{att}}
	js.PruningSender = rt.pruneSender(job, at)
	js.PruningReceiver = rt.pruneReceiver(job, conn, err, at)
}

// zreplVersion is a snapshot or bookmark of the sender.
type zreplVersion struct {
	rel  string // "@name" or "#name"
	guid uint64
	txg  uint64
}

func senderVersions(ds *zfs.Dataset) []zreplVersion {
	var out []zreplVersion
	for _, s := range ds.Snapshots {
		out = append(out, zreplVersion{"@" + s.Name, s.GUID, s.CreateTxg})
	}
	for _, b := range ds.Bookmarks {
		out = append(out, zreplVersion{"#" + b.Name, b.GUID, b.CreateTxg})
	}
	// Newest first; at equal txg the snapshot (sorted first here) wins.
	sort.SliceStable(out, func(i, j int) bool { return out[i].txg > out[j].txg })
	return out
}

type zreplStep struct {
	from, to string
	toSnap   *zfs.Snapshot
}

// replicateFS plans and runs the steps of one filesystem.
func (rt *zreplRun) replicateFS(job *zrepl.PushJob, conn *zreplConn, name string, at time.Time) *zrepl.FilesystemReport {
	fr := &zrepl.FilesystemReport{Info: &zrepl.FilesystemInfo{Name: name}, State: zrepl.FilesystemDone, BlockedOn: zrepl.BlockedOnNothing, Steps: []*zrepl.StepReport{}}
	planErr := func(msg string) *zrepl.FilesystemReport {
		fr.State, fr.PlanError, fr.Steps = zrepl.FilesystemPlanningError, &zrepl.TimedError{Err: msg, Time: at}, nil
		return fr
	}
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	ds := zfsDataset(&st, name)
	if ds == nil {
		return planErr(fmt.Sprintf("filesystem %q does not exist on sender", name))
	}
	target := conn.root() + "/" + name
	pst, _ := sim.Load[zfs.State](conn.peer, zfs.StateName)
	rds := zfsDataset(&pst, target)
	if len(ds.Snapshots) == 0 {
		return planErr("no snapshots available on sender side")
	}
	var steps []zreplStep
	placeholder := rds != nil && rds.Local["zrepl:placeholder"] == "on"
	if rds == nil || len(rds.Snapshots) == 0 {
		mode := "most_recent"
		if job.ConflictResolution != nil {
			mode = job.ConflictResolution.InitialReplication
		}
		switch mode {
		case "fail":
			return planErr("no common snapshot or suitable bookmark between sender and receiver")
		case "all":
			from := ""
			for _, s := range ds.Snapshots {
				steps = append(steps, zreplStep{from: from, to: "@" + s.Name, toSnap: s})
				from = "@" + s.Name
			}
		default:
			latest := ds.Snapshots[len(ds.Snapshots)-1]
			steps = []zreplStep{{to: "@" + latest.Name, toSnap: latest}}
		}
	} else {
		recv := map[uint64]bool{}
		for _, s := range rds.Snapshots {
			recv[s.GUID] = true
		}
		var common *zreplVersion
		versions := senderVersions(ds)
		for i := range versions {
			if recv[versions[i].guid] {
				common = &versions[i]
				break
			}
		}
		if common == nil {
			return planErr(conflictText("no common snapshot or suitable bookmark between sender and receiver", ds, rds))
		}
		if rds.Snapshots[len(rds.Snapshots)-1].GUID != common.guid {
			return planErr(conflictText("the receiver's latest snapshot is not present on sender", ds, rds))
		}
		from := common.rel
		for _, s := range ds.Snapshots {
			if s.CreateTxg > common.txg {
				steps = append(steps, zreplStep{from: from, to: "@" + s.Name, toSnap: s})
				from = "@" + s.Name
			}
		}
	}
	for _, s := range steps {
		fr.Steps = append(fr.Steps, &zrepl.StepReport{Info: &zrepl.StepInfo{From: s.from, To: s.to}})
	}
	send := job.Send
	if send == nil {
		send = &zrepl.SendOptions{}
	}
	for i, s := range steps {
		fr.CurrentStep = i
		fr.State = zrepl.FilesystemStepping
		if send.Encrypted && ds.Enc == nil {
			fr.State, fr.StepError = zrepl.FilesystemStepError, &zrepl.TimedError{Err: fmt.Sprintf("encrypted send mandated by policy, but filesystem %q is not encrypted", name), Time: at}
			return fr
		}
		n, err := rt.step(job, conn, name, target, s, send, placeholder && s.from == "")
		fr.Steps[i].Info.BytesExpected = n
		if err != nil {
			fr.State, fr.StepError = zrepl.FilesystemStepError, &zrepl.TimedError{Err: err.Error(), Time: at}
			return fr
		}
		fr.Steps[i].Info.BytesReplicated = n
	}
	fr.State, fr.CurrentStep = zrepl.FilesystemDone, len(steps)
	return fr
}

// conflictText is replication/logic/diff's conflict error with the versions.
func conflictText(head string, ds, rds *zfs.Dataset) string {
	var b strings.Builder
	b.WriteString(head + ":\n  sorted sender versions:\n")
	for _, v := range senderVersions(ds) {
		fmt.Fprintf(&b, "    %s\n", v.rel)
	}
	b.WriteString("  sorted receiver versions:\n")
	for i := len(rds.Snapshots) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "    @%s\n", rds.Snapshots[i].Name)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// zfsErr is a failed zfs command as zrepl reports it.
type zfsErr struct {
	code   int
	stderr string
}

func (e *zfsErr) Error() string { return zfsError(e.code, e.stderr) }

// step sends one increment (or the full stream) and moves the holds and
// the cursor: step holds on the sender while the step runs (left in place
// when it fails, as guarantee_resumability does), the sink's last-received
// hold and the sender's replication cursor bookmark once it succeeded.
func (rt *zreplRun) step(job *zrepl.PushJob, conn *zreplConn, name, target string, s zreplStep, send *zrepl.SendOptions, force bool) (uint64, error) {
	stepTag := "zrepl_STEP_J_" + job.Name
	for _, v := range []string{s.from, s.to} {
		if strings.HasPrefix(v, "@") {
			_, _, _ = zfsCmd(rt.h, nil, "hold", stepTag, name+v)
		}
	}
	if s.from == "" {
		if err := rt.placeholders(conn, target); err != nil {
			return 0, err
		}
	}
	args := []string{"send"}
	for _, f := range []struct {
		on   bool
		flag string
	}{{send.Encrypted || send.Raw, "-w"}, {send.SendProperties, "-p"}, {send.BackupProperties, "-b"}, {send.LargeBlocks, "-L"},
		{send.Compressed, "-c"}, {send.EmbeddedData, "-e"}, {send.Saved, "-S"}} {
		if f.on {
			args = append(args, f.flag)
		}
	}
	if s.from != "" {
		args = append(args, "-i", name+s.from)
	}
	stream, stderr, code := zfsCmd(rt.h, nil, append(args, name+s.to)...)
	if code != 0 {
		return 0, &zfsErr{code, stderr}
	}
	n := uint64(len(stream))
	rargs := []string{"recv", "-s"}
	if force {
		rargs = append(rargs, "-F")
	}
	if r := conn.sink.Recv; r != nil && r.Properties != nil {
		keys := make([]string, 0, len(r.Properties.Override))
		for k := range r.Properties.Override {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rargs = append(rargs, "-o", k+"="+r.Properties.Override[k])
		}
		for _, k := range r.Properties.Inherit {
			rargs = append(rargs, "-x", k)
		}
	}
	if _, stderr, code := zfsCmd(conn.peer, stream, append(rargs, target)...); code != 0 {
		return n, &zfsErr{code, stderr}
	}
	rt.moveReceivedHold(conn, target, s.to)
	rt.moveCursor(job, name, s)
	return n, nil
}

// placeholders creates the missing parents of target below the pool
// (zfs/placeholder.go), honouring recv.placeholder.encryption.
func (rt *zreplRun) placeholders(conn *zreplConn, target string) error {
	enc := "unspecified"
	if r := conn.sink.Recv; r != nil && r.Placeholder != nil {
		enc = r.Placeholder.Encryption
	}
	parts := strings.Split(target, "/")
	for i := 2; i < len(parts); i++ {
		ds := strings.Join(parts[:i], "/")
		pst, _ := sim.Load[zfs.State](conn.peer, zfs.StateName)
		if zfsDataset(&pst, ds) != nil {
			continue
		}
		parent := zfsDataset(&pst, strings.Join(parts[:i-1], "/"))
		args := []string{"create", "-o", "zrepl:placeholder=on", "-o", "mountpoint=none"}
		switch {
		case enc == "off":
			args = append(args, "-o", "encryption=off")
		case enc == "unspecified" && parent != nil && parent.Enc != nil:
			return fmt.Errorf("cannot create placeholder filesystem %q: placeholder encryption is unspecified in receiver config but parent %q is encrypted", ds, parent.Name)
		}
		if _, stderr, code := zfsCmd(conn.peer, nil, append(args, ds)...); code != 0 {
			return &zfsErr{code, stderr}
		}
	}
	return nil
}

// moveReceivedHold puts the sink job's last-received hold on the new
// snapshot and takes it off the older ones.
func (rt *zreplRun) moveReceivedHold(conn *zreplConn, target, to string) {
	tag := "zrepl_last_received_J_" + conn.sinkName
	_, _, _ = zfsCmd(conn.peer, nil, "hold", tag, target+to)
	pst, _ := sim.Load[zfs.State](conn.peer, zfs.StateName)
	if rds := zfsDataset(&pst, target); rds != nil {
		for _, sn := range rds.Snapshots {
			if _, held := sn.Holds[tag]; held && "@"+sn.Name != to {
				_, _, _ = zfsCmd(conn.peer, nil, "release", tag, target+"@"+sn.Name)
			}
		}
	}
}

// cursorPrefix and cursorSuffix bracket a job's replication cursor
// bookmark: zrepl_CURSOR_G_<guid, 16 hex digits>_J_<job>.
const cursorPrefix = "zrepl_CURSOR_G_"

func cursorName(guid uint64, job string) string {
	return fmt.Sprintf("%s%016x_J_%s", cursorPrefix, guid, job)
}

// moveCursor bookmarks the replicated snapshot as the job's cursor, drops
// the older cursors and releases the job's step holds.
func (rt *zreplRun) moveCursor(job *zrepl.PushJob, name string, s zreplStep) {
	bm := cursorName(s.toSnap.GUID, job.Name)
	_, _, _ = zfsCmd(rt.h, nil, "bookmark", name+s.to, name+"#"+bm)
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	ds := zfsDataset(&st, name)
	if ds == nil {
		return
	}
	for _, b := range ds.Bookmarks {
		if b.Name != bm && isCursorOf(b.Name, job.Name) {
			_, _, _ = zfsCmd(rt.h, nil, "destroy", name+"#"+b.Name)
		}
	}
	stepTag := "zrepl_STEP_J_" + job.Name
	for _, sn := range ds.Snapshots {
		if _, held := sn.Holds[stepTag]; held {
			_, _, _ = zfsCmd(rt.h, nil, "release", stepTag, name+"@"+sn.Name)
		}
	}
}

func isCursorOf(bookmark, job string) bool {
	return strings.HasPrefix(bookmark, cursorPrefix) && strings.HasSuffix(bookmark, "_J_"+job)
}

// cursorOf is the job's replication cursor on ds, if any.
func cursorOf(ds *zfs.Dataset, job string) *zfs.Bookmark {
	for _, b := range ds.Bookmarks {
		if isCursorOf(b.Name, job) {
			return b
		}
	}
	return nil
}

// pruneSender applies keep_sender to the job's filesystems.
func (rt *zreplRun) pruneSender(job *zrepl.PushJob, at time.Time) *zrepl.PrunerReport {
	rules, err := zrepl.NewKeepRules(job.Pruning.KeepSender)
	if err != nil {
		return &zrepl.PrunerReport{State: zrepl.PrunerPlanErr, Error: err.Error()}
	}
	filter, _ := zrepl.NewFilter(job.Filesystems)
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	rep := &zrepl.PrunerReport{State: zrepl.PrunerDone, Completed: []zrepl.FSReport{}}
	for _, ds := range zreplFilesystems(&st, filter) {
		cur := cursorOf(ds, job.Name)
		snaps := make([]zrepl.Snapshot, 0, len(ds.Snapshots))
		for _, s := range ds.Snapshots {
			snaps = append(snaps, zrepl.Snapshot{Name: s.Name, Date: time.Unix(s.Creation, 0).In(at.Location()), CreateTxg: s.CreateTxg,
				Replicated: cur != nil && s.CreateTxg <= cur.CreateTxg, AtCursor: cur != nil && s.GUID == cur.GUID})
		}
		rep.Completed = append(rep.Completed, rt.destroy(rt.h, ds.Name, ds.Name, snaps, rules, at))
	}
	return rep
}

// pruneReceiver applies keep_receiver to the sink's copies of the job's
// filesystems (named as on the sender).
func (rt *zreplRun) pruneReceiver(job *zrepl.PushJob, conn *zreplConn, connErr error, at time.Time) *zrepl.PrunerReport {
	if connErr != nil {
		return &zrepl.PrunerReport{State: zrepl.PrunerPlanErr, Error: connErr.Error()}
	}
	rules, err := zrepl.NewKeepRules(job.Pruning.KeepReceiver)
	if err != nil {
		return &zrepl.PrunerReport{State: zrepl.PrunerPlanErr, Error: err.Error()}
	}
	filter, _ := zrepl.NewFilter(job.Filesystems)
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	sender := map[string]*zfs.Dataset{}
	for _, ds := range zreplFilesystems(&st, filter) {
		sender[ds.Name] = ds
	}
	pst, _ := sim.Load[zfs.State](conn.peer, zfs.StateName)
	root := conn.root() + "/"
	var names []string
	for _, p := range pst.Pools {
		for _, ds := range p.Datasets {
			if !p.Exported && strings.HasPrefix(ds.Name, root) {
				names = append(names, ds.Name)
			}
		}
	}
	sort.Strings(names)
	rep := &zrepl.PrunerReport{State: zrepl.PrunerDone, Completed: []zrepl.FSReport{}}
	for _, full := range names {
		rds := zfsDataset(&pst, full)
		rel := strings.TrimPrefix(full, root)
		sds := sender[rel]
		switch {
		case rds.Local["zrepl:placeholder"] == "on":
			rep.Completed = append(rep.Completed, zrepl.FSReport{Filesystem: rel, SkipReason: zrepl.SkipReasonPlaceholder})
			continue
		case sds == nil:
			rep.Completed = append(rep.Completed, zrepl.FSReport{Filesystem: rel, SkipReason: zrepl.SkipReasonNoCorrespondence})
			continue
		}
		cursor := uint64(0)
		if c := cursorOf(sds, job.Name); c != nil {
			cursor = c.GUID
		}
		at0 := -1
		for i, s := range rds.Snapshots {
			if s.GUID == cursor {
				at0 = i
			}
		}
		snaps := make([]zrepl.Snapshot, 0, len(rds.Snapshots))
		for i, s := range rds.Snapshots {
			snaps = append(snaps, zrepl.Snapshot{Name: s.Name, Date: time.Unix(s.Creation, 0).In(at.Location()), CreateTxg: s.CreateTxg,
				Replicated: i <= at0, AtCursor: i == at0})
		}
		rep.Completed = append(rep.Completed, rt.destroy(conn.peer, full, rel, snaps, rules, at))
	}
	return rep
}

// destroy prunes one filesystem of host h in one batch, as zrepl does.
func (rt *zreplRun) destroy(h *sim.Host, full, rel string, snaps []zrepl.Snapshot, rules []zrepl.KeepRule, at time.Time) zrepl.FSReport {
	r := zrepl.FSReport{Filesystem: rel, SnapshotList: snapshotReports(snaps), DestroyList: []zrepl.SnapshotReport{}}
	victims := zrepl.Prune(snaps, rules, at)
	if len(victims) == 0 {
		return r
	}
	r.DestroyList = snapshotReports(victims)
	names := make([]string, len(victims))
	for i, v := range victims {
		names[i] = v.Name
	}
	if _, stderr, code := zfsCmd(h, nil, "destroy", full+"@"+strings.Join(names, ",")); code != 0 {
		r.LastError = zfsError(code, stderr)
	}
	return r
}

func snapshotReports(snaps []zrepl.Snapshot) []zrepl.SnapshotReport {
	out := make([]zrepl.SnapshotReport, len(snaps))
	for i, s := range snaps {
		out[i] = zrepl.SnapshotReport{Name: s.Name, Replicated: s.Replicated, Date: s.Date}
	}
	return out
}

// pruneLocal is a snap job's pruning with its keep rules.
func (rt *zreplRun) pruneLocal(job *zrepl.SnapJob, at time.Time) {
	js := rt.job(job.Name)
	rules, err := zrepl.NewKeepRules(job.Pruning.Keep)
	if err != nil {
		js.Pruning = &zrepl.PrunerReport{State: zrepl.PrunerPlanErr, Error: err.Error()}
		return
	}
	filter, _ := zrepl.NewFilter(job.Filesystems)
	st, _ := sim.Load[zfs.State](rt.h, zfs.StateName)
	rep := &zrepl.PrunerReport{State: zrepl.PrunerDone, Completed: []zrepl.FSReport{}}
	for _, ds := range zreplFilesystems(&st, filter) {
		snaps := make([]zrepl.Snapshot, 0, len(ds.Snapshots))
		for _, s := range ds.Snapshots {
			snaps = append(snaps, zrepl.Snapshot{Name: s.Name, Date: time.Unix(s.Creation, 0).In(at.Location()), CreateTxg: s.CreateTxg})
		}
		rep.Completed = append(rep.Completed, rt.destroy(rt.h, ds.Name, ds.Name, snaps, rules, at))
	}
	js.Pruning = rep
}
