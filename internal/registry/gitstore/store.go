package gitstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
)

// The methods of registry.Store: each is the file store's method, run on the ref's tree by
// read or write. What a write's closure returns is its last attempt's: a redone write
// overwrites it. Input is checked first, with the checks every store runs, so that bad input
// costs no fetch.

// PutState implements registry.Store.
func (s *Store) PutState(ctx context.Context, schema string, st registry.State) error {
	if err := registry.CheckState(schema, st); err != nil {
		return fmt.Errorf("put state %s of schema %q: %w", st.Fingerprint, schema, err)
	}
	return s.write(ctx, func(f *registry.File) (string, error) {
		return fmt.Sprintf("sextant: put state %s %s", schema, st.Fingerprint), f.PutState(ctx, schema, st)
	})
}

// Tag implements registry.Store.
func (s *Store) Tag(ctx context.Context, schema, tag, fp string) error {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("tag", tag), registry.CheckFingerprint(fp)); err != nil {
		return fmt.Errorf("tag %q of schema %q: %w", tag, schema, err)
	}
	return s.write(ctx, func(f *registry.File) (string, error) {
		return fmt.Sprintf("sextant: tag %s/%s %s", schema, tag, fp), f.Tag(ctx, schema, tag, fp)
	})
}

// State implements registry.Store.
func (s *Store) State(ctx context.Context, schema, ref string) (*registry.State, error) {
	check := registry.CheckFingerprint(ref)
	if !strings.HasPrefix(ref, "sha256:") {
		check = registry.CheckName("tag", ref)
	}
	if err := errors.Join(registry.CheckName("schema", schema), check); err != nil {
		return nil, fmt.Errorf("get state %q of schema %q: %w", ref, schema, err)
	}
	var st *registry.State
	err := s.read(ctx, func(f *registry.File) (err error) {
		st, err = f.State(ctx, schema, ref)
		return err
	})
	return st, err
}

// SavePlan implements registry.Store.
func (s *Store) SavePlan(ctx context.Context, p *registry.Plan) error {
	if p == nil || p.Plan == nil {
		return errors.New("save plan: no plan")
	}
	if err := errors.Join(registry.CheckName("schema", p.Schema), registry.CheckName("plan", p.Header.Name)); err != nil {
		return fmt.Errorf("save plan %q of schema %q: %w", p.Header.Name, p.Schema, err)
	}
	return s.write(ctx, func(f *registry.File) (string, error) {
		return fmt.Sprintf("sextant: save plan %s/%s (%s)", p.Schema, p.Header.Name, p.Plan.Digest()), f.SavePlan(ctx, p)
	})
}

// Plan implements registry.Store.
func (s *Store) Plan(ctx context.Context, schema, name string) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return nil, fmt.Errorf("get plan %q of schema %q: %w", name, schema, err)
	}
	var p *registry.Plan
	err := s.read(ctx, func(f *registry.File) (err error) {
		p, err = f.Plan(ctx, schema, name)
		return err
	})
	return p, err
}

// Plans implements registry.Store.
func (s *Store) Plans(ctx context.Context, schema string, filter registry.Filter) ([]*registry.Plan, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	var ps []*registry.Plan
	err := s.read(ctx, func(f *registry.File) (err error) {
		ps, err = f.Plans(ctx, schema, filter)
		return err
	})
	return ps, err
}

// Approve implements registry.Store.
func (s *Store) Approve(ctx context.Context, schema, name string, a registry.Approval) (*registry.Plan, error) {
	if err := registry.CheckApproval(schema, name, a); err != nil {
		return nil, fmt.Errorf("approve plan %q of schema %q: %w", name, schema, err)
	}
	var p *registry.Plan
	err := s.write(ctx, func(f *registry.File) (_ string, err error) {
		p, err = f.Approve(ctx, schema, name, a)
		return fmt.Sprintf("sextant: approve %s/%s (%s) by %s", schema, name, a.Digest, a.Actor), err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SetStatus implements registry.Store.
func (s *Store) SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name), registry.CheckLine("actor", actor),
		registry.CheckStatusChange(want, to)); err != nil {
		return nil, fmt.Errorf("set status of plan %q of schema %q to %s: %w", name, schema, to, err)
	}
	var p *registry.Plan
	err := s.write(ctx, func(f *registry.File) (_ string, err error) {
		p, err = f.SetStatus(ctx, schema, name, want, to, actor, at)
		return fmt.Sprintf("sextant: %s %s/%s (was %s) by %s", verb(to), schema, name, want, actor), err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// verb says what a move to status to does, for a commit message.
func verb(to plan.Status) string {
	if to == plan.Aborted {
		return "abort"
	}
	return "set " + string(to)
}

// RecordApply implements registry.Store. A new apply's ID is assigned on the tip the write
// lands on, so a redone write takes a new, later one and the log stays in ID order.
func (s *Store) RecordApply(ctx context.Context, a registry.Apply) (string, error) {
	if err := registry.CheckApply(a); err != nil {
		return "", fmt.Errorf("record apply of schema %q: %w", a.Schema, err)
	}
	var id string
	err := s.write(ctx, func(f *registry.File) (_ string, err error) {
		id, err = f.RecordApply(ctx, a)
		return fmt.Sprintf("sextant: record apply %s/%s (%s)", a.Schema, id, a.Result), err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// Applies implements registry.Store.
func (s *Store) Applies(ctx context.Context, schema string) ([]registry.Apply, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list applies: %w", err)
	}
	var as []registry.Apply
	err := s.read(ctx, func(f *registry.File) (err error) {
		as, err = f.Applies(ctx, schema)
		return err
	})
	return as, err
}
