// Package client is the registry server's HTTP client: a registry.Store over the JSON API
// of package server, so that every command works against --registry https://… as it does
// against a file registry.
//
// Input is checked before it is sent, with the checks every store runs, so a bad name fails
// the same way against every registry and never reaches a URL. Errors from the server keep
// their meaning: 404 wraps registry.ErrNotFound, 409 is a *registry.ConflictError (the
// plan's status was not the expected one) or a *registry.DigestError (the plan holds other
// content than the approval named), 401 and 403 are a *StatusError whose message says which
// scope or token is wrong. Lists are paged by the server; the client follows the cursors, so
// Plans and Applies return every item. GET requests, which
// change nothing, are retried a few times with backoff when the connection fails or the
// server is briefly unavailable; nothing else is retried, because a write whose answer was
// lost may have happened.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/plan"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// Client talks to one registry server.
type Client struct {
	base  *url.URL
	err   error // a bad base URL, reported by every call
	token string
	hc    *http.Client
	// retries is how many times a GET is tried again; backoff the first wait, doubled each time.
	retries int
	backoff time.Duration
	// pageSize is the limit of the pages lists are read in.
	pageSize int
	// secrets are the passwords a malformed base URL may still hold in pieces (https://u:12/pw@h
	// parses as host u:12 and path /pw@h), masked in every error.
	secrets dburl.Secrets
}

var _ registry.Store = (*Client)(nil)

// DefaultTimeout bounds a request when New is given no http.Client.
const DefaultTimeout = 2 * time.Minute

// New returns a client of the server at baseURL (https://host, or with a path prefix when
// the server is mounted under one) that authenticates with token. A nil hc is an http.Client
// with DefaultTimeout.
func New(baseURL, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	c := &Client{token: token, hc: hc, retries: 3, backoff: 200 * time.Millisecond, pageSize: api.MaxLimit}
	c.secrets.AddConn(baseURL)
	// Every message names the URL redacted: it may hold a password or a token, and
	// url.Parse's own error quotes it whole, so that is not wrapped.
	label := dburl.Redact(baseURL)
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	switch {
	case err != nil:
		c.err = fmt.Errorf("registry %q: not a URL; want http(s)://host", label)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		c.err = fmt.Errorf("registry %q: want http(s)://host", label)
	case u.User != nil:
		c.err = fmt.Errorf("registry %s: credentials in the URL are not used; set the token instead", label)
	case u.RawQuery != "" || u.ForceQuery:
		// A ?token= would be sent to every request's logs and proxies; the token goes in a
		// header, from the environment.
		c.err = fmt.Errorf("registry %s: a query in the URL is not used; set the token instead", label)
	default:
		c.base = u
	}
	return c
}

// StatusError is an error response of the server.
type StatusError struct {
	Method, URL string
	Code        int
	Message     string         // the server's "error"
	Scope       registry.Scope // the scope that was missing, on 403
}

func (e *StatusError) Error() string {
	var hint string
	switch e.Code {
	case http.StatusUnauthorized:
		hint = " (check the registry token)"
	case http.StatusForbidden:
		if e.Scope != "" {
			hint = fmt.Sprintf(" (needs a token with the %s scope)", e.Scope)
		}
	}
	return fmt.Sprintf("registry: %s %s: %d %s: %s%s", e.Method, e.URL, e.Code, http.StatusText(e.Code), e.Message, hint)
}

// Unwrap makes a 404 registry.ErrNotFound.
func (e *StatusError) Unwrap() error {
	if e.Code == http.StatusNotFound {
		return registry.ErrNotFound
	}
	return nil
}

// path joins escaped segments onto the API prefix: the result is an escaped path.
func path(segments ...string) string {
	var b strings.Builder
	b.WriteString(api.Prefix)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

func repoPath(repo string, segments ...string) string {
	return path(append([]string{"repos", repo}, segments...)...)
}

// do sends one request: in is encoded as the JSON body when not nil, and a 2xx answer is
// decoded into out when not nil. Its error never holds a piece of the base URL's password.
func (c *Client) do(ctx context.Context, method, p string, q url.Values, in, out any) error {
	return c.secrets.Err(c.request(ctx, method, p, q, in, out))
}

// request is do without the redaction of its error.
func (c *Client) request(ctx context.Context, method, p string, q url.Values, in, out any) error {
	if c.err != nil {
		return c.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	target := c.base.String() + p // p is escaped already
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("registry: encode %s %s: %w", method, p, err)
		}
	}

	var (
		resp *http.Response
		err  error
	)
	wait := c.backoff
	for attempt := 0; ; attempt++ {
		resp, err = c.send(ctx, method, target, body)
		retry := method == http.MethodGet && attempt < c.retries && ctx.Err() == nil &&
			(err != nil || resp.StatusCode == http.StatusBadGateway ||
				resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout)
		if !retry {
			break
		}
		if resp != nil {
			drain(resp)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("registry: %s %s: %w", method, target, err)
	}
	defer drain(resp)
	if resp.StatusCode/100 == 2 {
		if out == nil {
			return nil
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("registry: %s %s: read the answer: %w", method, target, err)
		}
		return nil
	}
	return responseError(method, target, resp)
}

func (c *Client) send(ctx context.Context, method, target string, body []byte) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "sextant")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.hc.Do(req)
}

// drain reads what is left of a body so that the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// responseError turns an error response into an error.
func responseError(method, target string, resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e api.Error
	if json.Unmarshal(b, &e) != nil || e.Error == "" {
		// Not the registry's JSON: a proxy's page, say. Its first line is the best clue.
		msg, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		e = api.Error{Error: firstNonEmpty(msg, "no message")}
	}
	if resp.StatusCode == http.StatusConflict && e.CurrentStatus != "" {
		return &conflict{ConflictError: registry.ConflictError{Want: e.ExpectedStatus, Got: e.CurrentStatus}, msg: e.Error}
	}
	if resp.StatusCode == http.StatusConflict && e.CurrentDigest != "" {
		return &conflict{digest: &registry.DigestError{Want: e.ExpectedDigest, Got: e.CurrentDigest}, msg: e.Error}
	}
	return &StatusError{Method: method, URL: target, Code: resp.StatusCode, Message: e.Error, Scope: e.Scope}
}

// conflict carries a 409 until the caller, which knows the plan, makes it a
// *registry.ConflictError, or a *registry.DigestError when digest is set.
type conflict struct {
	registry.ConflictError
	digest *registry.DigestError
	msg    string
}

func (c *conflict) Error() string { return c.msg }

// asConflict completes a 409 about plan schema/name.
func asConflict(err error, schema, name string) error {
	var c *conflict
	if !errors.As(err, &c) {
		return err
	}
	if c.digest != nil {
		de := *c.digest
		de.Schema, de.Plan = schema, name
		return &de
	}
	ce := c.ConflictError
	ce.Schema, ce.Plan = schema, name
	return &ce
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// PutState implements registry.Store.
func (c *Client) PutState(ctx context.Context, schema string, s registry.State) error {
	if err := registry.CheckState(schema, s); err != nil {
		return fmt.Errorf("put state %s of schema %q: %w", s.Fingerprint, schema, err)
	}
	return c.do(ctx, http.MethodPut, repoPath(schema, "states", s.Fingerprint), nil,
		api.PutState{Dialect: s.Dialect, SQL: s.SQL, CreatedAt: s.CreatedAt}, nil)
}

// Tag implements registry.Store.
func (c *Client) Tag(ctx context.Context, schema, tag, fp string) error {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("tag", tag), registry.CheckFingerprint(fp)); err != nil {
		return fmt.Errorf("tag %q of schema %q: %w", tag, schema, err)
	}
	return c.do(ctx, http.MethodPut, repoPath(schema, "tags", tag), nil, api.PutTag{Fingerprint: fp}, nil)
}

// State implements registry.Store.
func (c *Client) State(ctx context.Context, schema, ref string) (*registry.State, error) {
	check := registry.CheckFingerprint(ref)
	if !strings.HasPrefix(ref, "sha256:") {
		check = registry.CheckName("tag", ref)
	}
	if err := errors.Join(registry.CheckName("schema", schema), check); err != nil {
		return nil, fmt.Errorf("get state %q of schema %q: %w", ref, schema, err)
	}
	var st api.State
	if err := c.do(ctx, http.MethodGet, repoPath(schema, "states", ref), nil, nil, &st); err != nil {
		return nil, err
	}
	s := st.ToState()
	s.CreatedAt = s.CreatedAt.UTC()
	return s, nil
}

// SavePlan implements registry.Store: it sends the plan file, whose status, revision and
// approval lines the server ignores; p itself is not modified.
func (c *Client) SavePlan(ctx context.Context, p *registry.Plan) error {
	if p == nil || p.Plan == nil {
		return errors.New("save plan: no plan")
	}
	schema, name := p.Schema, p.Header.Name
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return fmt.Errorf("save plan %q of schema %q: %w", name, schema, err)
	}
	h := p.Header
	h.Status, h.Revision, h.ApprovedAt, h.ApprovedBy = "", 0, time.Time{}, ""
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, h); err != nil {
		return fmt.Errorf("save plan %q of schema %q: %w", name, schema, err)
	}
	err := c.do(ctx, http.MethodPut, repoPath(schema, "plans", name), nil, api.PutPlan{PlanFile: b.String()}, nil)
	return asConflict(err, schema, name)
}

// Plan implements registry.Store.
func (c *Client) Plan(ctx context.Context, schema, name string) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name)); err != nil {
		return nil, fmt.Errorf("get plan %q: %w", name, err)
	}
	var ap api.Plan
	if err := c.do(ctx, http.MethodGet, repoPath(schema, "plans", name), nil, nil, &ap); err != nil {
		return nil, err
	}
	return toPlan(ap, schema)
}

func toPlan(ap api.Plan, schema string) (*registry.Plan, error) {
	p, err := ap.ToPlan()
	if err != nil {
		return nil, fmt.Errorf("registry: plan %q of schema %q from the server: %w", ap.Name, schema, err)
	}
	p.Schema = schema
	return p, nil
}

// Plans implements registry.Store: it reads every page.
func (c *Client) Plans(ctx context.Context, schema string, f registry.Filter) ([]*registry.Plan, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	q := url.Values{}
	for k, v := range map[string]string{"from": f.From, "to": f.To, "status": string(f.Status)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var out []*registry.Plan
	err := pages(ctx, c, repoPath(schema, "plans"), q, func(list *api.Plans) (string, error) {
		for _, ap := range list.Plans {
			p, err := toPlan(ap, schema)
			if err != nil {
				return "", err
			}
			out = append(out, p)
		}
		return list.Next, nil
	})
	return out, err
}

// pages gets every page of the list at p, from the first, calling each with each page; each
// returns the page's next cursor. A list ends at a page without a next cursor; a cursor that
// repeats means the server is broken, and ends the listing with an error rather than a loop.
func pages[L any](ctx context.Context, c *Client, p string, q url.Values, each func(*L) (string, error)) error {
	seen := map[string]bool{}
	q.Set("limit", strconv.Itoa(c.pageSize)) // the largest pages: fewer round trips
	for {
		var list L
		if err := c.do(ctx, http.MethodGet, p, q, nil, &list); err != nil {
			return err
		}
		next, err := each(&list)
		if err != nil || next == "" {
			return err
		}
		if seen[next] {
			return fmt.Errorf("registry: GET %s: the server returned cursor %q twice", p, next)
		}
		seen[next] = true
		q.Set("cursor", next)
	}
}

// PlanFile returns the plan file of plan name as the server keeps it.
func (c *Client) PlanFile(ctx context.Context, schema, name string) (string, error) {
	p, err := c.Plan(ctx, schema, name)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := p.Plan.WriteFile(&b, p.Header); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Approve implements registry.Store: POST .../approve with the digest. A 409 is a
// *registry.ConflictError (the plan is not PENDING) or a *registry.DigestError (it holds
// other content).
func (c *Client) Approve(ctx context.Context, schema, name string, a registry.Approval) (*registry.Plan, error) {
	if err := registry.CheckApproval(schema, name, a); err != nil {
		return nil, fmt.Errorf("approve plan %q of schema %q: %w", name, schema, err)
	}
	var ap api.Plan
	err := c.do(ctx, http.MethodPost, repoPath(schema, "plans", name, "approve"), nil,
		api.Approve{Digest: a.Digest, Actor: a.Actor, At: a.At,
			Context: api.Context{PR: a.Context.PR, Commit: a.Context.Commit, URL: a.Context.URL}}, &ap)
	if err != nil {
		return nil, asConflict(err, schema, name)
	}
	return toPlan(ap, schema)
}

// SetStatus implements registry.Store: it aborts (POST .../abort), the only move it makes
// (see registry.CheckStatusChange). The server records actor and at as the abort's, and the
// token's name in its audit log.
func (c *Client) SetStatus(ctx context.Context, schema, name string, want, to plan.Status, actor string, at time.Time) (*registry.Plan, error) {
	if err := errors.Join(registry.CheckName("schema", schema), registry.CheckName("plan", name), registry.CheckLine("actor", actor),
		registry.CheckStatusChange(want, to)); err != nil {
		return nil, fmt.Errorf("set status of plan %q of schema %q to %s: %w", name, schema, to, err)
	}
	var ap api.Plan
	err := c.do(ctx, http.MethodPost, repoPath(schema, "plans", name, "abort"), nil,
		api.SetStatus{Expect: want, Actor: actor, At: at}, &ap)
	if err != nil {
		return nil, asConflict(err, schema, name)
	}
	return toPlan(ap, schema)
}

// RecordApply implements registry.Store.
func (c *Client) RecordApply(ctx context.Context, a registry.Apply) (string, error) {
	if err := registry.CheckApply(a); err != nil {
		return "", fmt.Errorf("record apply of schema %q: %w", a.Schema, err)
	}
	body := api.FromApply(a)
	body.Repo = "" // the path says it
	var created api.Created
	if err := c.do(ctx, http.MethodPost, repoPath(a.Schema, "applies"), nil, body, &created); err != nil {
		var se *StatusError
		if errors.As(err, &se) && se.Code == http.StatusConflict {
			return "", fmt.Errorf("%w (%w)", err, registry.ErrApplyEnded)
		}
		return "", err
	}
	return created.ID, nil
}

// Applies implements registry.Store.
func (c *Client) Applies(ctx context.Context, schema string) ([]registry.Apply, error) {
	if err := registry.CheckName("schema", schema); err != nil {
		return nil, fmt.Errorf("list applies: %w", err)
	}
	var out []registry.Apply
	err := pages(ctx, c, repoPath(schema, "applies"), url.Values{}, func(list *api.Applies) (string, error) {
		for _, aa := range list.Applies {
			a := aa.ToApply()
			a.Schema = schema
			a.Started = utc(a.Started)
			out = append(out, a)
		}
		return list.Next, nil
	})
	return out, err
}

// Audit reads the audit log: entries of repo ("" for every repo, which needs an admin token)
// with an ID above after, at most limit (0 for the server's default).
func (c *Client) Audit(ctx context.Context, repo string, after int64, limit int) ([]registry.AuditEntry, error) {
	q := url.Values{}
	if repo != "" {
		q.Set("repo", repo)
	}
	if after > 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var list api.Audit
	if err := c.do(ctx, http.MethodGet, path("audit"), q, nil, &list); err != nil {
		return nil, err
	}
	var out []registry.AuditEntry
	for _, e := range list.Entries {
		ae := e.ToAudit()
		ae.At = utc(ae.At)
		out = append(out, ae)
	}
	return out, nil
}

// CreateToken creates a token (admin): its secret is returned this once.
func (c *Client) CreateToken(ctx context.Context, name string, scopes []registry.Scope, repos []string) (secret string, tok registry.Token, err error) {
	var created api.TokenCreated
	if err := c.do(ctx, http.MethodPost, path("tokens"), nil, api.CreateToken{Name: name, Scopes: scopes, Repos: repos}, &created); err != nil {
		return "", registry.Token{}, err
	}
	return created.Secret, created.ToToken(), nil
}

// Tokens lists the tokens (admin; a token limited to repos lists the tokens limited to
// some of them), every page.
func (c *Client) Tokens(ctx context.Context) ([]registry.Token, error) {
	var out []registry.Token
	err := pages(ctx, c, path("tokens"), url.Values{}, func(list *api.Tokens) (string, error) {
		for _, t := range list.Tokens {
			out = append(out, t.ToToken())
		}
		return list.Next, nil
	})
	return out, err
}

// RevokeToken revokes the token with ID id (admin).
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, path("tokens", id), nil, nil, nil)
}

// Ready reports whether the server is up and its store answers (GET /readyz).
func (c *Client) Ready(ctx context.Context) error {
	if c.err != nil {
		return c.err
	}
	target := c.base.String() + "/readyz"
	resp, err := c.send(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("registry: %s: %w", target, err)
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return responseError(http.MethodGet, target, resp)
	}
	return nil
}

// utc returns t in UTC, and the zero time as it is.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
