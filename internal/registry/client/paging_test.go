package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/client"
)

// TestPaging lists 250 plans, applies and tokens a page at a time while others are being
// added: the client follows the server's cursors, and returns every item that was there
// before it started exactly once, with no duplicate of any.
func TestPaging(t *testing.T) {
	db := openDB(t)
	url := serve(t, db, "")
	ctx := context.Background()
	c := client.New(url, token(t, db, "ops", registry.ScopeAdmin), nil)
	client.SetPageSize(c, 40)
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	const n = 250
	var ids []string
	for i := range n {
		p := newPlan(fmt.Sprintf("p-%03d", i))
		p.Header.CreatedAt = t0.Add(time.Duration(i%9) * time.Second) // equal times: the name decides
		if err := c.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		id, err := c.RecordApply(ctx, registry.Apply{Schema: "app", Target: fmt.Sprint(i), Result: registry.Applied})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}

	// Concurrent inserts, before and after every position in the lists' orders.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := newPlan(fmt.Sprintf("new-%d", i))
			p.Header.CreatedAt = t0.Add(time.Duration(i%11) * time.Second)
			if err := c.SavePlan(ctx, p); err != nil {
				t.Error(err)
				return
			}
			if _, err := c.RecordApply(ctx, registry.Apply{Schema: "app", Target: "new", Result: registry.Applied}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for round := range 3 {
		ps, err := c.Plans(ctx, "app", registry.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, p := range ps {
			seen[p.Header.Name]++
			if seen[p.Header.Name] > 1 {
				t.Errorf("round %d: plan %s listed twice", round, p.Header.Name)
			}
		}
		for i := range n {
			if name := fmt.Sprintf("p-%03d", i); seen[name] != 1 {
				t.Errorf("round %d: plan %s listed %d times", round, name, seen[name])
			}
		}
		as, err := c.Applies(ctx, "app")
		if err != nil {
			t.Fatal(err)
		}
		if len(as) < n {
			t.Fatalf("round %d: %d applies, want at least %d", round, len(as), n)
		}
		for i, id := range ids {
			if as[i].ID != id {
				t.Fatalf("round %d: apply %d is %s, want %s", round, i, as[i].ID, id)
			}
		}
		for i := 1; i < len(as); i++ {
			if as[i].ID <= as[i-1].ID {
				t.Errorf("round %d: apply %s after %s", round, as[i].ID, as[i-1].ID)
			}
		}
	}
	close(stop)
	wg.Wait()

	// Tokens, in pages of 2.
	client.SetPageSize(c, 2)
	for i := range 5 {
		if _, _, err := c.CreateToken(ctx, fmt.Sprint("t-", i), []registry.Scope{registry.ScopeRead}, []string{"app"}); err != nil {
			t.Fatal(err)
		}
	}
	toks, err := c.Tokens(ctx)
	if err != nil || len(toks) != 6 {
		t.Errorf("Tokens in pages of 2 = %d tokens, %v; want 6", len(toks), err)
	}
}
