package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// SecretPrefix starts every token secret, so that secret scanners (and people) recognise one
// that leaked into a log or a commit.
const SecretPrefix = "sxt_"

// HashSecret is how a secret is stored: its SHA-256. Secrets are 256 random bits, so a fast
// unsalted hash is enough; a lookup by hash also leaves no timing signal about the secret.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

var tokenNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$`)

// CreateToken creates a token in store and returns its secret, which is stored only as a
// hash: this is the one time it is seen. The CLI uses it with direct database access to make
// the first admin token; POST /api/v1/tokens uses it for the rest.
func CreateToken(ctx context.Context, store registry.ServerStore, name string, scopes []registry.Scope, repos []string) (secret string, tok registry.Token, err error) {
	tok, err = newToken(name, scopes, repos)
	if err != nil {
		return "", registry.Token{}, fmt.Errorf("create token: %w", err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	secret = SecretPrefix + base64.RawURLEncoding.EncodeToString(key)
	if err := store.CreateToken(ctx, tok, HashSecret(secret)); err != nil {
		return "", registry.Token{}, fmt.Errorf("create token %q: %w", name, err)
	}
	return secret, tok, nil
}

// newToken checks a token's name, scopes and repos and returns the token with a new ID,
// duplicates dropped.
func newToken(name string, scopes []registry.Scope, repos []string) (registry.Token, error) {
	if !tokenNameRE.MatchString(name) {
		return registry.Token{}, fmt.Errorf("bad token name %q: want a letter or digit, then up to 63 letters, digits, '.', '_', '@', '+' or '-'", name)
	}
	if len(scopes) == 0 {
		return registry.Token{}, fmt.Errorf("token %q has no scopes (known: %s)", name, api.JoinScopes(registry.Scopes))
	}
	tok := registry.Token{Name: name, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	for _, s := range scopes {
		if !api.ValidScope(s) {
			return registry.Token{}, fmt.Errorf("token %q: unknown scope %q (known: %s)", name, s, api.JoinScopes(registry.Scopes))
		}
		if !slices.Contains(tok.Scopes, s) {
			tok.Scopes = append(tok.Scopes, s)
		}
	}
	for _, r := range repos {
		if err := checkName("repo", r); err != nil {
			return registry.Token{}, fmt.Errorf("token %q: %w", name, err)
		}
		if !slices.Contains(tok.Repos, r) {
			tok.Repos = append(tok.Repos, r)
		}
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	tok.ID = "tok-" + hex.EncodeToString(id)
	return tok, nil
}

// apiHandler is a route's handler: it gets the authenticated token, and returns an error
// that writeErr turns into the response.
type apiHandler func(w http.ResponseWriter, r *http.Request, tok *registry.Token) error

// handle registers an authenticated route. The token must allow scope on the path's {repo}
// (on no repo for routes outside repos); an empty scope leaves authorisation to h.
func (s *server) handle(pattern string, scope registry.Scope, h apiHandler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		tok, err := s.authenticate(r)
		if err == nil && scope != "" {
			err = authorize(tok, scope, r.PathValue("repo"))
		}
		if err == nil {
			err = h(w, r, tok)
		}
		if err != nil {
			s.writeErr(w, r, err)
		}
	})
}

// authenticate finds the request's token. Its name goes into the request log; the secret
// and the Authorization header never do.
func (s *server) authenticate(r *http.Request) (*registry.Token, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, unauthorized("missing Authorization header: send \"Authorization: Bearer <token>\" (sextant reads the token from $SEXTANT_REGISTRY_TOKEN)")
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return nil, unauthorized("the Authorization header is not \"Bearer <token>\"")
	}
	tok, err := s.store.TokenByHash(r.Context(), HashSecret(strings.TrimSpace(secret)))
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return nil, unauthorized("unknown token")
	case err != nil:
		return nil, fmt.Errorf("look up token: %w", err)
	case !tok.RevokedAt.IsZero():
		return nil, unauthorized(fmt.Sprintf("token %q was revoked at %s", tok.Name, tok.RevokedAt.UTC().Format(time.RFC3339)))
	}
	if info := infoFrom(r.Context()); info != nil {
		info.token = tok.Name
	}
	return tok, nil
}

// authorize says why tok may not use scope on repo ("" for an action outside repos), or nil.
func authorize(tok *registry.Token, scope registry.Scope, repo string) error {
	if tok.Allows(scope, repo) {
		return nil
	}
	has := slices.Contains(tok.Scopes, scope) || slices.Contains(tok.Scopes, registry.ScopeAdmin)
	switch {
	case !has && repo == "":
		return forbidden(scope, fmt.Sprintf("token %q lacks the %s scope (it has: %s)", tok.Name, scope, api.JoinScopes(tok.Scopes)))
	case !has:
		return forbidden(scope, fmt.Sprintf("token %q lacks the %s scope on repo %q (it has: %s)", tok.Name, scope, repo, api.JoinScopes(tok.Scopes)))
	case repo == "":
		return forbidden(registry.ScopeAdmin, fmt.Sprintf("token %q needs the admin scope for this: it is not limited to one repo", tok.Name))
	default:
		return forbidden(scope, fmt.Sprintf("token %q is not allowed on repo %q (its repos: %s)", tok.Name, repo, strings.Join(tok.Repos, ", ")))
	}
}

// within reports why tok may not manage a token with target's scopes and repos, or nil. A
// token manages only tokens no wider than itself: with no scope it lacks, and, when tok is
// limited to repos, limited to some of the same repos (never unrestricted). Admin implies
// every scope, so for the admins the token routes admit the scope check is the repo check's
// companion in depth, not a second gate.
func within(tok *registry.Token, scopes []registry.Scope, repos []string) error {
	for _, sc := range scopes {
		if !slices.Contains(tok.Scopes, sc) && !slices.Contains(tok.Scopes, registry.ScopeAdmin) {
			return forbidden(sc, fmt.Sprintf("token %q lacks the %s scope, so it may not manage a token that has it", tok.Name, sc))
		}
	}
	if len(tok.Repos) == 0 {
		return nil
	}
	if len(repos) == 0 {
		return forbidden(registry.ScopeAdmin, fmt.Sprintf(
			"token %q is limited to repos %s: it may only manage tokens limited to some of them, not a token for every repo",
			tok.Name, strings.Join(tok.Repos, ", ")))
	}
	for _, r := range repos {
		if !slices.Contains(tok.Repos, r) {
			return forbidden(registry.ScopeAdmin, fmt.Sprintf("token %q is limited to repos %s: it may not manage a token for repo %q",
				tok.Name, strings.Join(tok.Repos, ", "), r))
		}
	}
	return nil
}

// createToken is POST /api/v1/tokens.
func (s *server) createToken(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	if err := noQuery(r); err != nil {
		return err
	}
	var req api.CreateToken
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if _, err := newToken(req.Name, req.Scopes, req.Repos); err != nil {
		return badRequest(err.Error())
	}
	if err := within(tok, req.Scopes, req.Repos); err != nil {
		return err
	}
	ctx := s.audit(r, tok, "", func(c registry.Change) (string, string, string) {
		return "token.create", c.ID, fmt.Sprintf("name=%s scopes=%s repos=%s", req.Name, api.JoinScopes(req.Scopes), strings.Join(req.Repos, ","))
	})
	secret, t, err := CreateToken(ctx, s.store, req.Name, req.Scopes, req.Repos)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, api.TokenCreated{Token: api.FromToken(t), Secret: secret})
	return nil
}

// listTokens is GET /api/v1/tokens: a page of the tokens, oldest first. A token limited to
// repos lists only the tokens it could manage (see within): those limited to some of its
// repos, with none of the scopes it lacks.
func (s *server) listTokens(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	q, err := query(r, "limit", "cursor")
	if err != nil {
		return err
	}
	pg, err := page(q)
	if err != nil {
		return err
	}
	keep := func(t registry.Token) bool { return within(tok, t.Scopes, t.Repos) == nil }
	toks, next, err := s.store.TokensPage(r.Context(), pg, keep)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	out := api.Tokens{Tokens: []api.Token{}, Next: next}
	for _, t := range toks {
		out.Tokens = append(out.Tokens, api.FromToken(t))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// revokeToken is DELETE /api/v1/tokens/{id}. A token limited to repos revokes only tokens
// it could manage (see within); others answer 403 whether or not they exist, so that it
// cannot probe for the IDs of tokens outside its repos.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request, tok *registry.Token) error {
	id := r.PathValue("id")
	if err := noQuery(r); err != nil {
		return err
	}
	if len(tok.Repos) > 0 {
		target, err := s.tokenByID(r, id)
		if err != nil {
			return err
		}
		if target == nil {
			return forbidden(registry.ScopeAdmin, fmt.Sprintf(
				"token %q is limited to repos %s: it may only revoke tokens limited to some of them, and %q is not one",
				tok.Name, strings.Join(tok.Repos, ", "), id))
		}
		if err := within(tok, target.Scopes, target.Repos); err != nil {
			return err
		}
	}
	ctx := s.audit(r, tok, "", func(registry.Change) (string, string, string) { return "token.revoke", id, "" })
	if err := s.store.RevokeToken(ctx, id, s.now().UTC()); err != nil {
		if errors.Is(err, registry.ErrNotFound) {
			return &httpError{code: http.StatusNotFound, msg: fmt.Sprintf("no token with id %q", id)}
		}
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tokenByID finds the token with ID id, or nil.
func (s *server) tokenByID(r *http.Request, id string) (*registry.Token, error) {
	toks, _, err := s.store.TokensPage(r.Context(), registry.Page{Limit: 1}, func(t registry.Token) bool { return t.ID == id })
	if err != nil {
		return nil, fmt.Errorf("look up token %s: %w", id, err)
	}
	if len(toks) == 0 {
		return nil, nil
	}
	return &toks[0], nil
}
