package hubspottest

import (
	"bytes"
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
	// FaultDelay waits Delay (or, with Until, until Until closes), then
	// answers normally.
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
	// Until, when set, holds a FaultDelay's answer until it closes instead
	// of for Delay: a test orders requests by what happened, not by time.
	Until <-chan struct{}
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

// serveFault answers r as the injected fault says.
func (e *endpoint) serveFault(w http.ResponseWriter, r *http.Request, fault *Fault) {
	s := e.s
	switch fault.Kind {
	case FaultDelay:
		// Read the body first: only then does the server notice a client
		// that gives up and closes the connection.
		body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var timeout <-chan time.Time // nil, never ready, with Until
		if fault.Until == nil {
			timeout = time.After(fault.Delay)
		}
		select {
		case <-timeout:
		case <-fault.Until:
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
