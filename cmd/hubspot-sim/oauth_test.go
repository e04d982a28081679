package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"
)

// TestOAuthApp: the simulator prints its OAuth app as it prints the token,
// the values given or random ones, and its token endpoint exchanges the
// refresh token for an access token of the lifetime given, which reads.
func TestOAuthApp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want map[string]string // printed lines; "": any value
	}{
		{name: "given", args: []string{"-client-id", "cid", "-client-secret", "csecret", "-refresh-token", "rt-1", "-token-lifetime", "90s"},
			want: map[string]string{"Client ID": "cid", "Client secret": "csecret", "Refresh token": "rt-1", "Token lifetime": "1m30s"}},
		{name: "random", want: map[string]string{"Client ID": "", "Client secret": "", "Refresh token": "", "Token lifetime": "30m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			ctx, cancel := context.WithCancel(context.Background())
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append([]string{"-seed", "contacts=3"}, tt.args...), pw)
				pw.Close()
			}()
			lines := make(chan string)
			go func() {
				sc := bufio.NewScanner(pr)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			defer func() {
				cancel()
				for range lines { //nolint:revive // what it prints as it stops
				}
				is.NoErr(<-done)
			}()
			// The banner comes at once; a minute bounds a simulator that
			// prints no OAuth app, not its speed.
			printed := map[string]string{}
			for deadline := time.After(time.Minute); printed["Token lifetime"] == ""; {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatalf("the simulator stopped before it printed its OAuth app: %v", printed)
					}
					if k, v, ok := strings.Cut(line, ":"); ok {
						printed[k] = strings.TrimSpace(v)
					}
				case <-deadline:
					t.Fatalf("the simulator printed no OAuth app: %v", printed)
				}
			}
			for k, v := range tt.want {
				is.True(printed[k] != "") // printed
				if v != "" {
					is.Equal(printed[k], v)
				}
			}

			form := url.Values{"grant_type": {"refresh_token"}, "client_id": {printed["Client ID"]},
				"client_secret": {printed["Client secret"]}, "refresh_token": {printed["Refresh token"]}}
			resp, err := http.PostForm(printed["URL"]+"/oauth/2026-03/token", form) //nolint:noctx // a test's one call
			is.NoErr(err)
			defer resp.Body.Close()
			is.Equal(resp.StatusCode, http.StatusOK)
			var tok struct {
				AccessToken string `json:"access_token"`
				ExpiresIn   int    `json:"expires_in"`
			}
			is.NoErr(json.NewDecoder(resp.Body).Decode(&tok))
			lifetime := map[string]int{"1m30s": 90, "30m0s": 1800}[tt.want["Token lifetime"]]
			is.Equal(tok.ExpiresIn, lifetime)

			req, err := http.NewRequestWithContext(ctx, http.MethodGet, printed["URL"]+"/crm/objects/2026-09/contacts", nil)
			is.NoErr(err)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			list, err := http.DefaultClient.Do(req)
			is.NoErr(err)
			defer list.Body.Close()
			is.Equal(list.StatusCode, http.StatusOK) // the access token reads
		})
	}
}
