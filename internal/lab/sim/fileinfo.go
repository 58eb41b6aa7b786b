package sim

import (
	"io/fs"
	"time"
)

// FS returns fi as an fs.FileInfo, for the shell interpreter and the SFTP
// server. It also has Uid and Gid methods (pkg/sftp's FileInfoUidGid).
func (fi FileInfo) FS() fs.FileInfo { return fsInfo{fi} }

type fsInfo struct{ fi FileInfo }

func (f fsInfo) Name() string       { return f.fi.Name }
func (f fsInfo) Size() int64        { return f.fi.Size }
func (f fsInfo) Mode() fs.FileMode  { return f.fi.Mode }
func (f fsInfo) ModTime() time.Time { return f.fi.ModTime }
func (f fsInfo) IsDir() bool        { return f.fi.Mode.IsDir() }
func (f fsInfo) Sys() any           { return f.fi }
func (f fsInfo) Uid() uint32        { return uint32(f.fi.UID) } //nolint:revive // pkg/sftp's interface names it so
func (f fsInfo) Gid() uint32        { return uint32(f.fi.GID) } //nolint:revive // pkg/sftp's interface names it so
