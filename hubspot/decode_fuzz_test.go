package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// bodyServer answers every request with the status and body last set.
type bodyServer struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (b *bodyServer) set(status int, body []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status, b.body = status, body
}

func (b *bodyServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w.Header().Set("Retry-After", "0")
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body)
}

func fuzzClient(f *testing.F) (*hubspot.Client, *bodyServer) {
	f.Helper()
	bs := &bodyServer{}
	srv := httptest.NewServer(bs)
	f.Cleanup(srv.Close)
	c, err := hubspot.NewClient(testToken, hubspot.WithBaseURL(srv.URL), hubspot.WithMaxRetries(0), hubspot.WithoutRateLimit())
	if err != nil {
		f.Fatal(err)
	}
	return c, bs
}

// FuzzErrorBody: any error answer becomes an *ErrorResponse with its
// status, never a panic, and never the token.
func FuzzErrorBody(f *testing.F) {
	for _, seed := range []string{
		`{"status":"error","message":"Property values were not valid","correlationId":"c","category":"VALIDATION_ERROR","errors":[{"message":"m","code":"READ_ONLY_VALUE","context":{"propertyName":["createdate"]}}]}`,
		`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`,
		`<html><body><h1>502 Bad Gateway</h1></body></html>`,
		``, `{`, `{"errors":"not a list"}`, `{"context":{"ids":"x"}}`, `{"subCategory":{"a":1}}`,
	} {
		f.Add(400, []byte(seed))
		f.Add(502, []byte(seed))
	}
	c, bs := fuzzClient(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200 // 400 to 599
		bs.set(status, body)
		_, err := c.Objects.Get(context.Background(), "contacts", "1", hubspot.GetOptions{})
		var er *hubspot.ErrorResponse
		if !errors.As(err, &er) {
			t.Fatalf("status %d gave %v, want an *ErrorResponse", status, err)
		}
		if er.StatusCode != status || !strings.Contains(err.Error(), strconv.Itoa(status)) {
			t.Fatalf("error %q does not carry status %d", err, status)
		}
		_ = er.PropertyNames()
	})
}

// FuzzSearchPage: any 200 answer to a search is a page or a clear decoding
// error, never a panic.
func FuzzSearchPage(f *testing.F) {
	for _, seed := range []string{
		`{"total":1,"results":[{"id":"512","properties":{"email":"a@b.c","x":null},"createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z","archived":false}],"paging":{"next":{"after":"100"}}}`,
		`{"total":0,"results":[]}`, `{"results":null,"paging":null}`, `{"results":[{"createdAt":"yesterday"}]}`,
		`{"results":[{"properties":{"a":1}}]}`, `[]`, ``, `{"paging":{"next":null}}`,
	} {
		f.Add([]byte(seed))
	}
	c, bs := fuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		bs.set(200, body)
		page, err := c.Objects.Search(context.Background(), "contacts", hubspot.SearchRequest{Limit: 10})
		if err != nil {
			if !strings.Contains(err.Error(), "search contacts") {
				t.Fatalf("error %q does not say what failed", err)
			}
			return
		}
		for _, o := range page.Results {
			for name := range o.Properties {
				_, _ = o.Properties.Get(name)
			}
		}
		_ = page.NextAfter()
	})
}
