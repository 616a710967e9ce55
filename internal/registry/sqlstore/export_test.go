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
