package devdb

import (
	"context"
	"sync"
)

// Lazy opens the dev server at URL on first use and shares it among callers, so a command
// that turns out to need no dev database never starts one, and one that needs it for several
// states starts it once.
type Lazy struct {
	URL string

	mu  sync.Mutex
	srv Server
	err error
}

// Get returns the server, opening it on the first call. A failed open is remembered.
func (l *Lazy) Get(ctx context.Context) (Server, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.srv == nil && l.err == nil {
		srv, err := Open(ctx, l.URL)
		if err != nil {
			l.err = err
		} else {
			l.srv = srv
		}
	}
	return l.srv, l.err
}

// Close closes the server if it was opened.
func (l *Lazy) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.srv == nil {
		return nil
	}
	err := l.srv.Close()
	l.srv = nil
	return err
}
