package source

import (
	"context"
	"fmt"
	"sync"

	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/schema"
)

// LoadPair loads two sources at the same time; SQL sources go to scratch databases of their
// own on the one dev server, so normalising both costs little more than the larger of them.
func LoadPair(ctx context.Context, from, to string, env Env) (*schema.Realm, *schema.Realm, error) {
	f, t, db, err := loadPair(ctx, from, to, env, false)
	if db != nil {
		db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // Close of the server drops leftovers too
	}
	return f, t, err
}

// LoadPairKeepFrom is LoadPair that keeps the scratch database holding the normalised from
// state (see LoadKeep); it is nil when from is a live database. The caller drops it.
func LoadPairKeepFrom(ctx context.Context, from, to string, env Env) (*schema.Realm, *schema.Realm, *devdb.DB, error) {
	return loadPair(ctx, from, to, env, true)
}

func loadPair(ctx context.Context, from, to string, env Env, keep bool) (*schema.Realm, *schema.Realm, *devdb.DB, error) {
	var (
		wg             sync.WaitGroup
		fromR, toR     *schema.Realm
		fromDB         *devdb.DB
		fromErr, toErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if keep {
			fromR, fromDB, fromErr = LoadKeep(ctx, from, env)
		} else {
			fromR, fromErr = Load(ctx, from, env)
		}
	}()
	go func() { defer wg.Done(); toR, toErr = Load(ctx, to, env) }()
	wg.Wait()
	if fromErr == nil && toErr != nil && fromDB != nil {
		fromDB.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // Close of the server drops leftovers too
		fromDB = nil
	}
	if fromErr != nil {
		return nil, nil, nil, fmt.Errorf("load --from: %w", fromErr)
	}
	if toErr != nil {
		return nil, nil, nil, fmt.Errorf("load --to: %w", toErr)
	}
	return fromR, toR, fromDB, nil
}
