package zrepl

// The value lists below feed both validation and the provider's schema
// descriptions, so that the docs and the checks cannot drift apart.

// Job kinds.
const (
	JobPush   = "push"
	JobSink   = "sink"
	JobPull   = "pull"
	JobSource = "source"
	JobSnap   = "snap"
)

// JobTypes lists the job kinds in the order Render writes them.
func JobTypes() []string { return []string{JobPush, JobSink, JobPull, JobSource, JobSnap} }

// LoggingTypes lists the logging outlets of zrepl 0.6.
func LoggingTypes() []string { return []string{"stdout", "syslog", "tcp"} }

// LogLevels lists the minimum levels an outlet takes.
func LogLevels() []string { return []string{"debug", "info", "warn", "error"} }

// LogFormats lists the formats an outlet takes.
func LogFormats() []string { return []string{"human", "logfmt", "json"} }

// SyslogFacilities lists the facilities a syslog outlet takes.
func SyslogFacilities() []string {
	return []string{"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
		"authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}
}

// LogNets lists the networks a tcp outlet dials.
func LogNets() []string { return []string{"tcp", "tcp4", "tcp6"} }

// MonitoringTypes lists the monitoring endpoints.
func MonitoringTypes() []string { return []string{"prometheus"} }

// ConnectTypes lists the transports of active jobs (push, pull).
func ConnectTypes() []string { return []string{"tcp", "tls", "ssh+stdinserver", "local"} }

// ServeTypes lists the transports of passive jobs (sink, source).
func ServeTypes() []string { return []string{"tcp", "tls", "stdinserver", "local"} }

// SnapshottingTypes lists how snapshots are taken.
func SnapshottingTypes() []string { return []string{"periodic", "cron", "manual"} }

// TimestampFormats lists the named snapshot suffix formats; a custom Go
// time layout is accepted too.
func TimestampFormats() []string { return []string{"dense", "human", "iso-8601", "unix-seconds"} }

// HookTypes lists the snapshot hooks the provider models.
func HookTypes() []string { return []string{"command"} }

// KeepRuleTypes lists the pruning rules.
func KeepRuleTypes() []string { return []string{"not_replicated", "last_n", "grid", "regex"} }

// PlaceholderEncryptions lists the values of recv.placeholder.encryption.
func PlaceholderEncryptions() []string { return []string{"unspecified", "inherit", "off"} }

// Protections lists the values of replication.protection.{initial,incremental}.
func Protections() []string {
	return []string{"guarantee_resumability", "guarantee_incremental", "guarantee_nothing"}
}

// InitialReplications lists the values of conflict_resolution.initial_replication.
func InitialReplications() []string { return []string{"most_recent", "all", "fail"} }
