package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
)

// httpError is an error with the response it deserves.
type httpError struct {
	code  int
	msg   string
	scope registry.Scope // the scope that was missing, on 403
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{code: http.StatusBadRequest, msg: msg} }
func unauthorized(msg string) error {
	return &httpError{code: http.StatusUnauthorized, msg: msg}
}
func forbidden(scope registry.Scope, msg string) error {
	return &httpError{code: http.StatusForbidden, msg: msg, scope: scope}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing to tell it
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, api.Error{Error: msg})
}

// writeErr answers with err. Errors the server did not expect are logged with the request's
// ID and answered with that ID only: their text may name database internals.
func (s *server) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var (
		he       *httpError
		conflict *registry.ConflictError
		digest   *registry.DigestError
		tooBig   *http.MaxBytesError
	)
	switch {
	case errors.As(err, &he):
		if he.code == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sextant-registry"`)
		}
		writeJSON(w, he.code, api.Error{Error: he.msg, Scope: he.scope})
	case errors.As(err, &conflict):
		writeJSON(w, http.StatusConflict, api.Error{
			Error:          fmt.Sprintf("%v: another request changed it first", conflict),
			CurrentStatus:  conflict.Got,
			ExpectedStatus: conflict.Want,
		})
	case errors.As(err, &digest):
		// The message names both digests: the approver reviewed other content than the plan
		// holds now, and must look again.
		writeJSON(w, http.StatusConflict, api.Error{
			Error:          digest.Error(),
			ExpectedDigest: digest.Want,
			CurrentDigest:  digest.Got,
		})
	case errors.Is(err, registry.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, registry.ErrBadCursor):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes (the server's --max-body)", tooBig.Limit))
	case r.Context().Err() != nil:
		// The client is gone; the log line says so through the status.
		w.WriteHeader(499)
	default:
		id := ""
		if info := infoFrom(r.Context()); info != nil {
			id = info.id
		}
		s.log.ErrorContext(r.Context(), "request failed", "request_id", id, "route", r.Pattern, "error", err)
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error; the server's log has it under request_id %s", id))
	}
}

// readBody reads the request body, at most s.maxBody bytes.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, badRequest(fmt.Sprintf("read body: %v", err))
	}
	return b, nil
}

// decode reads the JSON object in the body into v, strictly: one object, no unknown fields.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(r, b, v)
}

// decodeOptional is decode for bodies that may be left out.
func (s *server) decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return err
	}
	return decodeJSON(r, b, v)
}

func decodeJSON(r *http.Request, b []byte, v any) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return &httpError{code: http.StatusUnsupportedMediaType,
			msg: fmt.Sprintf("Content-Type is %q: send the body as application/json", ct)}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return badRequest("empty body: want a JSON object with " + fieldList(v))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return badRequest(fmt.Sprintf("malformed JSON: data after the object at byte %d", dec.InputOffset()))
		}
		return nil
	}
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		line, col := position(b, syntax.Offset)
		return badRequest(fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, strings.TrimPrefix(err.Error(), "json: ")))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the body ends inside the object")
	case errors.As(err, &typeErr):
		line, col := position(b, typeErr.Offset)
		return badRequest(fmt.Sprintf("field %q at line %d, column %d: want a JSON value for Go type %s, got %s",
			typeErr.Field, line, col, typeErr.Type, typeErr.Value))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badRequest(fmt.Sprintf("unknown field %s (known: %s)", field, fieldList(v)))
	}
	return badRequest(fmt.Sprintf("malformed JSON: %v", err))
}

// position returns the 1-based line and column of the last byte read when the decoder
// stopped after off bytes: the byte it choked on.
func position(b []byte, off int64) (line, col int) {
	if len(b) == 0 {
		return 1, 1
	}
	off = min(max(off, 1), int64(len(b)))
	before := b[:off-1]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// fieldList names the JSON fields of the struct v points to, for error messages.
func fieldList(v any) string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "a JSON value"
	}
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// query returns the request's query parameters, rejecting unknown or repeated ones: a typo
// in a filter must not silently list everything.
func query(r *http.Request, known ...string) (map[string]string, error) {
	out := map[string]string{}
	for k, vs := range r.URL.Query() {
		if !slices.Contains(known, k) {
			if len(known) == 0 {
				return nil, badRequest(fmt.Sprintf("unknown query parameter %q: this endpoint takes none", k))
			}
			return nil, badRequest(fmt.Sprintf("unknown query parameter %q (known: %s)", k, strings.Join(known, ", ")))
		}
		if len(vs) > 1 {
			return nil, badRequest(fmt.Sprintf("query parameter %q given %d times", k, len(vs)))
		}
		out[k] = vs[0]
	}
	return out, nil
}

func noQuery(r *http.Request) error {
	_, err := query(r)
	return err
}

// The checks of package registry, as 400 responses: every store runs them too, but the
// server answers bad input itself rather than with the store's 500.

func checkName(what, name string) error { return invalid(registry.CheckName(what, name)) }
func checkFingerprint(fp string) error  { return invalid(registry.CheckFingerprint(fp)) }
func checkLine(what, v string) error    { return invalid(registry.CheckLine(what, v)) }
func checkRef(ref string) error {
	if strings.HasPrefix(ref, "sha256:") {
		return checkFingerprint(ref)
	}
	return checkName("tag", ref)
}

func invalid(err error) error {
	if err == nil {
		return nil
	}
	return badRequest(err.Error())
}
