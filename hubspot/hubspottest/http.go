package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"time"
)

// handlerFunc serves one endpoint under the server's lock: it returns the
// status and body of a success, or an error answer.
type handlerFunc func(r *http.Request) (int, any, *apiError)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, search bool, h handlerFunc) {
		mux.Handle(pattern, &endpoint{s: s, search: search, h: h})
	}
	handle("GET /crm/v3/objects/{type}", false, s.list)
	handle("POST /crm/v3/objects/{type}", false, s.create)
	handle("GET /crm/v3/objects/{type}/{id}", false, s.get)
	handle("PATCH /crm/v3/objects/{type}/{id}", false, s.update)
	handle("DELETE /crm/v3/objects/{type}/{id}", false, s.archive)
	handle("POST /crm/v3/objects/{type}/search", true, s.search)
	handle("POST /crm/v3/objects/{type}/merge", false, s.merge)
	handle("POST /crm/v3/objects/{type}/batch/{op}", false, s.batch)
	handle("GET /crm/v3/properties/{type}", false, s.properties)
	handle("GET /crm/v3/owners", false, s.listOwners)
	handle("GET /crm/v3/owners/{$}", false, s.listOwners)
	handle("GET /crm/v3/owners/{id}", false, s.getOwner)
	handle("/", false, func(r *http.Request) (int, any, *apiError) {
		return 0, nil, notFound(fmt.Sprintf("No route for %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// maxURLLength is the longest URL HubSpot serves: it answers 414 to URLs
// longer than about 15,000 characters (../shared/hubspot-api.md, "Rate
// limits"; 414 "The request URI is too long" in
// https://developers.hubspot.com/docs/api-reference/error-handling). The
// length counts the URL as a client sends it to HubSpot's host, scheme
// included.
const maxURLLength = 15000

// hubspotHost is what a URL to HubSpot starts with, for the URL length.
const hubspotHost = "https://api.hubapi.com"

// endpoint runs what every request goes through: counting, the URL length,
// injected faults, authentication, rate limits, then the handler.
type endpoint struct {
	s      *Server
	search bool
	h      handlerFunc
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := e.s
	s.mu.Lock()
	s.calls[callKey(r)]++
	if n := len(hubspotHost) + len(r.RequestURI); n > maxURLLength {
		// Refused in front of the API: no fault, token or rate limit is
		// looked at.
		s.writeError(w, &apiError{status: http.StatusRequestURITooLong,
			message: fmt.Sprintf("The request URI is too long: %d characters, at most %d", n, maxURLLength)})
		s.mu.Unlock()
		return
	}
	fault := s.takeFault(r)
	s.mu.Unlock()

	if fault == nil {
		e.serve(w, r)
		return
	}
	switch fault.Kind {
	case FaultDelay:
		// Read the body first: only then does the server notice a client
		// that gives up and closes the connection.
		body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		select {
		case <-time.After(fault.Delay):
		case <-r.Context().Done():
			return
		}
		e.serve(w, r)
		return
	case FaultTruncate:
		e.truncated(w, r)
		return
	}
	if fault.Applied {
		e.serve(httptest.NewRecorder(), r) // HubSpot did the work; the answer is lost
	}
	switch fault.Kind {
	case FaultReset:
		closeConnection(w, true)
	case FaultHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(fault.status())
		fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
			fault.status(), http.StatusText(fault.status()), fault.status(), http.StatusText(fault.status()))
	default:
		s.mu.Lock()
		id := s.correlationID()
		s.mu.Unlock()
		if fault.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(fault.RetryAfter/time.Second)))
		}
		if fault.status() == http.StatusTooManyRequests {
			// HubSpot's 429 body, as its own limits answer (ratelimit.go).
			body := limitedBy("TEN_SECONDLY_ROLLING", "ten_secondly_rolling")
			body.CorrelationID = id
			writeJSON(w, http.StatusTooManyRequests, body)
			return
		}
		writeJSON(w, fault.status(), errorBody{Status: "error", Message: http.StatusText(fault.status()), CorrelationID: id, Category: faultCategory(fault.status())})
	}
}

func faultCategory(status int) string {
	switch {
	case status == http.StatusLocked:
		// HubSpot's docs show no body for a 423 (its locks last 2 s:
		// https://developers.hubspot.com/docs/api-reference/error-handling);
		// the standard error shape is sent, with no category.
		return ""
	case status >= 500:
		return "INTERNAL_ERROR"
	default:
		return categoryValidation
	}
}

// serve answers the request as HubSpot would.
func (e *endpoint) serve(w http.ResponseWriter, r *http.Request) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if apiErr := s.authenticate(r); apiErr != nil {
		s.writeError(w, apiErr)
		return
	}
	headers, limited := s.admit(e.search)
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	if limited != nil {
		s.refused++
		limited.CorrelationID = s.correlationID()
		writeJSON(w, http.StatusTooManyRequests, limited)
		return
	}
	status, body, apiErr := e.h(r)
	if apiErr != nil {
		s.writeError(w, apiErr)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

// truncated sends the real answer with its full length announced, but only
// half of its body, then drops the connection.
func (e *endpoint) truncated(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	e.serve(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	closeConnection(w, false)
}

// closeConnection closes the connection at once: with a TCP reset when
// hard, else with a plain close that leaves the client a short body.
func closeConnection(w http.ResponseWriter, hard bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && hard {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, errorBody{
		Status: "error", Message: e.message, CorrelationID: s.correlationID(),
		Category: e.category, Context: e.context, Errors: e.errors,
	})
}

func (s *Server) authenticate(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	switch {
	case auth == "":
		return &apiError{status: http.StatusUnauthorized, category: categoryAuth,
			message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"}
	case !ok || token != s.Token:
		return &apiError{status: http.StatusUnauthorized, category: categoryAuth,
			message: "The OAuth token used to make this call is not valid or has expired."}
	}
	return nil
}

// decodeBody reads a JSON request body into v.
func decodeBody(r *http.Request, v any) *apiError {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return badRequest("Could not read the request body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return badRequest(fmt.Sprintf("Invalid input JSON: %v", err))
	}
	return nil
}

// queryList reads a list parameter given as a=x,y or a=x&a=y.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// queryArchived reads the archived parameter.
func queryArchived(r *http.Request) (bool, *apiError) {
	v := r.URL.Query().Get("archived")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest(fmt.Sprintf("archived must be true or false, got %q", v))
	}
	return b, nil
}

// queryLimit reads the page size: HubSpot's default when absent, a 400
// above the maximum.
func queryLimit(r *http.Request, def, maxLimit int) (int, *apiError) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, badRequest(fmt.Sprintf("limit must be a number from 1 to %d, got %q", maxLimit, v))
	}
	return n, nil
}

// pageParams reads the limit, after and archived parameters of a list.
func pageParams(r *http.Request, def, maxLimit int) (int, int64, bool, *apiError) {
	limit, e := queryLimit(r, def, maxLimit)
	if e != nil {
		return 0, 0, false, e
	}
	after, e := queryAfter(r)
	if e != nil {
		return 0, 0, false, e
	}
	archived, e := queryArchived(r)
	if e != nil {
		return 0, 0, false, e
	}
	return limit, after, archived, nil
}

func queryAfter(r *http.Request) (int64, *apiError) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest(fmt.Sprintf("after must be a cursor returned by a previous page, got %q", v))
	}
	return n, nil
}

// ---- faults ----

// FaultKind is what an injected fault does to a request.
type FaultKind int

// Fault kinds.
const (
	// FaultStatus answers with Status (default 500) and a HubSpot error body.
	FaultStatus FaultKind = iota
	// FaultHTML answers with Status (default 502) and an HTML page, as an
	// edge proxy in front of HubSpot does.
	FaultHTML
	// FaultReset drops the connection with no answer.
	FaultReset
	// FaultTruncate sends the real answer cut in half, then drops the
	// connection. The request's writes happen.
	FaultTruncate
	// FaultDelay waits Delay, then answers normally.
	FaultDelay
)

// Fault makes the next Times requests that match Method and Path fail.
type Fault struct {
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path is a path.Match pattern for the URL path, such as
	// "/crm/v3/objects/contacts/batch/*"; "" matches any.
	Path string
	// Times is how many matching requests fail (at least 1).
	Times int
	Kind  FaultKind
	// Status is the answer's status for FaultStatus and FaultHTML.
	Status int
	// Delay is the wait of FaultDelay.
	Delay time.Duration
	// RetryAfter, if set, sends a Retry-After header (whole seconds) with a
	// FaultStatus answer.
	RetryAfter time.Duration
	// Applied makes a FaultStatus, FaultHTML or FaultReset happen after the
	// request was carried out: HubSpot did the work, the client never hears.
	Applied bool
}

func (f *Fault) status() int {
	switch {
	case f.Status != 0:
		return f.Status
	case f.Kind == FaultHTML:
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	ok, err := path.Match(f.Path, r.URL.Path)
	return err == nil && ok
}

// InjectFault makes the next f.Times requests matching f fail as f says.
// Faults are checked in the order they were injected.
func (s *Server) InjectFault(f Fault) {
	if f.Times < 1 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults drops the faults that have not happened yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults returns how many injected failures have not happened yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.Times
	}
	return n
}

// takeFault returns the first fault matching r and counts it down. Callers
// hold s.mu.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if !f.matches(r) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}
