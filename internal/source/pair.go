package source

import (
	"context"
	"fmt"
	"sync"

	"github.com/sextant-db/sextant/internal/schema"
)

// LoadPair loads two sources at the same time; SQL sources go to scratch databases of their
// own on the one dev server, so normalising both costs little more than the larger of them.
func LoadPair(ctx context.Context, from, to string, dev DevFunc) (*schema.Realm, *schema.Realm, error) {
	var (
		wg             sync.WaitGroup
		fromR, toR     *schema.Realm
		fromErr, toErr error
	)
	wg.Add(2)
	go func() { defer wg.Done(); fromR, fromErr = Load(ctx, from, dev) }()
	go func() { defer wg.Done(); toR, toErr = Load(ctx, to, dev) }()
	wg.Wait()
	if fromErr != nil {
		return nil, nil, fmt.Errorf("load --from: %w", fromErr)
	}
	if toErr != nil {
		return nil, nil, fmt.Errorf("load --to: %w", toErr)
	}
	return fromR, toR, nil
}
