package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"
)

func TestServesSeededList(t *testing.T) {
	is := is.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-seed", "contacts=1000,companies=5", "-owners", "2", "-mutate", "200/s"}, pw)
		pw.Close()
	}()

	var url, token string
	lines := bufio.NewScanner(pr)
	for (url == "" || token == "") && lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), "URL:"); ok {
			url = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(lines.Text(), "Token:"); ok {
			token = strings.TrimSpace(v)
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	is.True(strings.HasPrefix(url, "http://127.0.0.1:"))

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/crm/objects/2026-09/contacts?limit=100", nil)
	is.NoErr(err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	is.NoErr(err)
	defer resp.Body.Close()
	is.Equal(resp.StatusCode, 200)
	var page struct {
		Results []struct{ ID string }
		Paging  struct{ Next struct{ After string } }
	}
	is.NoErr(json.NewDecoder(resp.Body).Decode(&page))
	is.Equal(len(page.Results), 100)
	is.True(page.Paging.Next.After != "")

	cancel()
	select {
	case err := <-done:
		is.NoErr(err)
	case <-time.After(10 * time.Second):
		t.Fatal("the simulator did not stop when told")
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-seed", "contacts"},
		{"-seed", "widgets=3"},
		{"-mutate", "fast"},
		{"-addr", "0.0.0.0:0"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}

// TestPrintsMutateSeed: the seed of the changes is printed, the one given
// or the one drawn, so that a run's changes can be made again.
func TestPrintsMutateSeed(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-mutate-seed", "5"}, "Mutate: 10/s, -mutate-seed 5"},
		{nil, "Mutate: 10/s, -mutate-seed "},
	} {
		is := is.New(t)
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, append([]string{"-seed", "contacts=3", "-mutate", "10/s"}, tt.args...), pw)
			pw.Close()
		}()
		var line string
		lines := bufio.NewScanner(pr)
		for !strings.HasPrefix(line, "Mutate:") && lines.Scan() {
			line = lines.Text()
		}
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		cancel()
		is.NoErr(<-done)
		is.True(strings.HasPrefix(line, tt.want))
		seed := strings.TrimPrefix(line, "Mutate: 10/s, -mutate-seed ")
		is.True(seed != "" && seed != "0") // a seed that repeats the run
	}
}

func TestParseLinks(t *testing.T) {
	is := is.New(t)
	got, err := parseLinks("deals:contacts=2, companies:contacts=1")
	is.NoErr(err)
	is.Equal(got, []linkCount{{"deals", "contacts", 2}, {"companies", "contacts", 1}})
	for _, bad := range []string{"deals=2", "deals:contacts", ":contacts=1", "deals:contacts=-1"} {
		_, err := parseLinks(bad)
		is.True(err != nil)
	}
}
