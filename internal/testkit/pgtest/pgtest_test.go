package pgtest

import "testing"

func TestStart(t *testing.T) {
	c := StartT(t)
	out, err := c.Psql("SELECT 1+1")
	if err != nil {
		t.Fatal(err)
	}
	if out != "2" {
		t.Fatalf("SELECT 1+1 is %q", out)
	}
}
