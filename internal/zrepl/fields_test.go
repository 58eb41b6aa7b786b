package zrepl

import "testing"

func TestFieldValidators(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		good  []string
		bad   []string
	}{
		{"job name", ValidateJobName, []string{"f0_to_f1_nfsdata", "sink", "a.b:c-d"}, []string{"", "_control", "a b", "a/b", "..", "é", "-x", "--help", "-"}},
		{"interval", ValidateInterval, []string{"1m", "10m", " 30 s ", "1d", "2w", "+5h"}, []string{"", "1 minute", "10", "0", "0s", "-1m", "1.5h", "1y"}},
		{"duration", ValidateDuration, []string{"0s", "10s", "1m30s"}, []string{"", "10", "-1s", "1d"}},
		{"positive duration", ValidatePositiveDuration, []string{"1s", "30s"}, []string{"0s", "-1s", "x"}},
		{"pull interval", ValidatePullInterval, []string{"manual", "10m", "1h30m"}, []string{"", "Manual", "0s", "1d"}},
		{"host:port", ValidateHostPort, []string{"192.168.2.131:8888", ":8888", "[fd00::1]:8888", "backup.lan:1"}, []string{"192.168.2.131", "h:0", "h:65536", "h:x", "fd00::1:8888", "a b:1"}},
		{"dataset", ValidateDataset, []string{"zdata/sink", "tank"}, []string{"", "zdata//sink", "/zdata", "zdata/sink/", "zdata@snap"}},
		{"filter", ValidateFilesystemFilter, []string{"<", "zdata/enc/nfsdata", "tank<", "tank/export<"}, []string{"", "tank/<", "tank</x", "tank*"}},
		{"client address", ValidateClientAddress, []string{"192.168.2.130", "10.0.0.0/8", "fd00::2", "fd00::/64"}, []string{"", "f0.lan", "10.0.0.0/33", "*"}},
		{"client identity", ValidateClientIdentity, []string{"f0", "host.lan", "a:b"}, []string{"", "f0/x", "a b", "."}},
		{"prefix", ValidatePrefix, []string{"zrepl_", "auto-"}, []string{"", "a/b", "a@b", "a b"}},
		{"timestamp format", ValidateTimestampFormat, []string{"dense", "2006-01-02"}, []string{"", " "}},
		{"cron", ValidateCron, []string{"0 3 * * *", "*/10 * * * * *", "@daily", "@every 10m"}, []string{"", "0 3 * *", "@sometimes", "@every", "1 2 3 4 5 6 7"}},
		{"regex", ValidateRegex, []string{"^zrepl_.*", ".*"}, []string{"", "(", "a**"}},
		{"grid", ValidateGrid, []string{"1x1h(keep=all) | 24x1h | 35x1d | 6x30d", "24x1h", "2x2h(keep=3)"}, []string{"", "1h", "0x1h", "1x1h(keep=some)", "1x1h(max=2)", "1x1 hour"}},
		{"data size", ValidateDataSize, []string{"23.5 MiB", "10MiB", "100 Mb", "-1 B", "1 bit", "128 KiB"}, []string{"", "10", "fast", "10 MB/s", "1 PiB"}},
		{"absolute path", ValidateAbsolutePath, []string{"/etc/zrepl/ca.crt"}, []string{"", "etc/ca.crt", "/a\nb"}},
		{"property name", ValidatePropertyName, []string{"mountpoint", "org.example:backup"}, []string{"", "Mountpoint", "a b"}},
		{"not empty", ValidateNotEmpty, []string{"x"}, []string{"", "  "}},
		{"one of", OneOf(PlaceholderEncryptions()), []string{"unspecified", "inherit", "off"}, []string{"", "maybe", "Inherit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range tt.good {
				if err := tt.check(v); err != nil {
					t.Errorf("%q refused: %v", v, err)
				}
			}
			for _, v := range tt.bad {
				if err := tt.check(v); err == nil {
					t.Errorf("%q accepted", v)
				}
			}
		})
	}
}
