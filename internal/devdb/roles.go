package devdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Roles belong to a PostgreSQL cluster, not to a database, so a schema that grants to
// app_reader or names it in a policy loads only where app_reader exists. An ephemeral server
// (local://, docker://) starts with the bootstrap superuser alone; its ?roles= parameter names
// the roles to create on it first. They are created NOLOGIN: the dev server only needs them
// to exist, and nothing ever logs in as them. An existing server is shared and its roles are
// its administrator's business, so postgres:// URLs do not take the parameter.

// parseRoles splits a roles= value, "app_reader,app_writer", refusing empty names so that a
// stray comma is an error and not a silently missing role.
func parseRoles(v string) ([]string, error) {
	roles := strings.Split(v, ",")
	for i, r := range roles {
		roles[i] = strings.TrimSpace(r)
		if roles[i] == "" {
			return nil, fmt.Errorf("roles %q: an empty role name; list names separated by commas, e.g. roles=app_reader,app_writer", v)
		}
	}
	return roles, nil
}

// createRoles creates the roles on a server Sextant started itself, through the maintenance
// connection. Names are used as written, quoted, so roles=App creates the role "App".
func (s *scratchSet) createRoles(ctx context.Context, roles []string) error {
	if len(roles) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conn, err := s.maintenance(ctx)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := conn.Exec(ctx, "CREATE ROLE "+pgx.Identifier{r}.Sanitize()+" NOLOGIN"); err != nil {
			return fmt.Errorf("create role %q: %w", r, err)
		}
	}
	return nil
}
