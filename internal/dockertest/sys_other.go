//go:build !unix

package dockertest

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

var errNotUnix = errors.New("dockertest starts dockerd only on Unix: set DOCKER_HOST to a running engine")

func lockFile(string, bool) (*os.File, error) { return nil, errNotUnix }
func tryLockFile(string) (*os.File, error)    { return nil, errNotUnix }
func newSession() *syscall.SysProcAttr        { return nil }
func signal(int, bool) error                  { return errNotUnix }
func alive(int) bool                          { return false }
func owner(fs.FileInfo) (int, bool)           { return 0, false }
