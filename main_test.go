package main

import (
	"maps"
	"testing"
)

func TestQuietSDKLogs(t *testing.T) {
	off := map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off"}
	tests := []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"nothing set", []string{"HOME=/home/paul", "PATH=/bin"}, off},
		{"provider logs only", []string{"TF_LOG_PROVIDER=trace", "TF_LOG_PROVIDER_F3S=debug"}, off},
		{"log path only", []string{"TF_LOG_PATH=/tmp/tf.log"}, off},
		{"empty TF_LOG", []string{"TF_LOG="}, off},
		{"TF_LOG", []string{"TF_LOG=trace"}, nil},
		{"TF_LOG json", []string{"TF_LOG=JSON"}, nil},
		{"TF_LOG_SDK", []string{"TF_LOG_SDK=debug"}, nil},
		{"TF_LOG_SDK_FRAMEWORK", []string{"TF_LOG_SDK_FRAMEWORK=trace"}, nil},
		{"TF_LOG_SDK_PROTO", []string{"TF_LOG_SDK_PROTO=off"}, nil},
		{"TF_LOG_SDK_PROTO_DATA_DIR", []string{"TF_LOG_SDK_PROTO_DATA_DIR=/tmp/proto"}, nil},
		{"a name that only starts alike", []string{"TF_LOGGING=1", "TF_LOG_SDKX=1"}, off},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quietSDKLogs(tt.environ); !maps.Equal(got, tt.want) {
				t.Errorf("quietSDKLogs(%q) = %v, want %v", tt.environ, got, tt.want)
			}
		})
	}
}
