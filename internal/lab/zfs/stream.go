package zfs

import (
	"bytes"
	"encoding/json"
	"errors"
)

// The lab's send stream. A real ZFS stream is a DMU record stream; the lab
// writes instead a header line naming the format, then one JSON document:
//
//	LAB-ZFS-STREAM 1
//	{"source":"zroot/bhyve_old/rocky","type":"filesystem","raw":false,
//	 "from":{"name":"a","guid":123},           (incremental streams only)
//	 "props":{"compression":"lz4",...},          (zfs send -p, and raw streams)
//	 "encryption":{"suite":"aes-256-gcm","format":"raw","key_fp":"..."},  (raw)
//	 "snapshots":[{"name":"hamburger","guid":456,"creation":1748167800,
//	               "refer":98304,"hash":"...","files":{"entries":[...]}}]}
//
// Each snapshot carries all its files (path, mode, owner, group, mtime,
// data base64); an incremental stream (-i) carries one snapshot, -I every
// snapshot after the source. The key fingerprint, never the key, travels with
// a raw stream so that the receiver can check a key loaded later.
const streamMagic = "LAB-ZFS-STREAM 1\n"

type stream struct {
	Source     string            `json:"source"`
	Type       string            `json:"type"`
	VolSize    uint64            `json:"volsize,omitempty"`
	VolBlock   uint64            `json:"volblock,omitempty"`
	Raw        bool              `json:"raw"`
	From       *streamFrom       `json:"from,omitempty"`
	Props      map[string]string `json:"props,omitempty"`
	Encryption *streamCrypt      `json:"encryption,omitempty"`
	Snapshots  []streamSnap      `json:"snapshots"`
}

type streamFrom struct {
	Name string `json:"name"`
	GUID uint64 `json:"guid"`
}

type streamCrypt struct {
	Suite  string `json:"suite"`
	Format string `json:"format"`
	KeyFP  string `json:"key_fp"`
	Salt   uint64 `json:"salt,omitempty"`
	Iters  uint64 `json:"iters,omitempty"`
}

type streamSnap struct {
	Name     string  `json:"name"`
	GUID     uint64  `json:"guid"`
	Creation int64   `json:"creation"`
	Refer    uint64  `json:"refer"`
	Hash     string  `json:"hash"`
	Files    archive `json:"files"`
}

func (s *stream) encode() ([]byte, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return append(append([]byte(streamMagic), body...), '\n'), nil
}

var (
	errStreamEmpty = errors.New("failed to read from stream")
	errStreamMagic = errors.New("invalid stream (bad magic number)")
)

// decodeStream parses a lab stream; the error texts are zfs receive's.
func decodeStream(b []byte) (*stream, error) {
	if len(b) == 0 {
		return nil, errStreamEmpty
	}
	body, ok := bytes.CutPrefix(b, []byte(streamMagic))
	if !ok {
		return nil, errStreamMagic
	}
	var s stream
	if err := json.Unmarshal(body, &s); err != nil || len(s.Snapshots) == 0 {
		return nil, errors.New("invalid stream (checksum mismatch)")
	}
	return &s, nil
}
