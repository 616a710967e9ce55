package sqlstore

import "context"

// OpenVersion opens url with its schema migrated up to version only, as an older sextant
// left it, for migration tests.
func OpenVersion(ctx context.Context, url string, version int) (*DB, error) {
	d, err := open(ctx, url, version)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Exec runs a statement on d's database directly, for tests that build what an older
// sextant left behind.
func (d *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := d.w.ExecContext(ctx, query, args...)
	return err
}
