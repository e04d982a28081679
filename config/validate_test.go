package config_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/internal/testkit/configtest"
	"github.com/matryer/is"
)

// valid is a shared configuration that passes every rule.
func valid() config.Config {
	return config.Config{AccessToken: "pat-na1-secret-value", Resource: "contacts", MaxRetries: 4, BaseURL: "https://api.hubapi.com", RateLimitPercent: 100}
}

// TestValidate: each rule of the shared settings, alone, fails with an
// error that names its parameter as users write it and says what is wrong.
func TestValidate(t *testing.T) {
	configtest.Run(t, valid, []configtest.Case[config.Config]{
		{Name: "valid", Change: func(*config.Config) {}, Want: ""},
		{Name: "token with a space", Change: func(c *config.Config) { c.AccessToken = "pat na1" }, Want: `"accessToken": must not contain white space`},
		{Name: "token with a newline at the end", Change: func(c *config.Config) { c.AccessToken = "pat-na1\n" }, Want: `"accessToken": must not contain white space`},
		{Name: "token with a tab", Change: func(c *config.Config) { c.AccessToken = "pat\tna1" }, Want: `"accessToken": must not contain white space`},
		{Name: "unknown resource", Change: func(c *config.Config) { c.Resource = "contact" }, Want: `"resource": unknown resource "contact" (did you mean "contacts"?)`},
		{Name: "legacy resource", Change: func(c *config.Config) { c.Resource = "crm.lineItems" }, Want: ""},
		{Name: "no retries", Change: func(c *config.Config) { c.MaxRetries = 0 }, Want: ""},
		{Name: "most retries", Change: func(c *config.Config) { c.MaxRetries = 10 }, Want: ""},
		{Name: "negative retries", Change: func(c *config.Config) { c.MaxRetries = -1 }, Want: `"maxRetries": -1 is negative`},
		{Name: "too many retries", Change: func(c *config.Config) { c.MaxRetries = 11 }, Want: `"maxRetries": 11 is more than 10`},
		{Name: "no share of the rate limits", Change: func(c *config.Config) { c.RateLimitPercent = 0 }, Want: `"rateLimitPercent": 0 is less than 1`},
		{Name: "over the rate limits", Change: func(c *config.Config) { c.RateLimitPercent = 101 }, Want: `"rateLimitPercent": 101 is more than 100`},
		{Name: "unknown daily limit mode", Change: func(c *config.Config) { c.OnDailyLimit = "wait" }, Want: `"onDailyLimit": "wait" is not one of pause, fail`},
		{Name: "unknown API version", Change: func(c *config.Config) { c.APIVersion = "v3" }, Want: `"apiVersion": "v3" is not one of 2026-09, 2026-03, legacy`},
		{Name: "API version left to the default", Change: func(c *config.Config) { c.APIVersion = "" }, Want: ""},
		{Name: "http on loopback", Change: func(c *config.Config) { c.BaseURL = "http://127.0.0.1:3000" }, Want: ""},
		{Name: "http to a remote host", Change: func(c *config.Config) { c.BaseURL = "http://api.hubapi.com" }, Want: `"baseURL": base URL "http://api.hubapi.com": plain http is only allowed for loopback hosts`},
		{Name: "relative base URL", Change: func(c *config.Config) { c.BaseURL = "api.hubapi.com" }, Want: `"baseURL": base URL "api.hubapi.com": want an absolute URL`},
	})
}

// TestValidateSignIn: exactly one way of signing in, a private app's
// accessToken or all three OAuth settings; every other combination names the
// parameter at fault and the ones in its way.
func TestValidateSignIn(t *testing.T) {
	oauth := func(id, secret, refresh string) func(*config.Config) {
		return func(c *config.Config) {
			c.AccessToken, c.ClientID, c.ClientSecret, c.RefreshToken = "", id, secret, refresh
		}
	}
	both := `"accessToken": is set, and `
	missing := `: an OAuth app signs in with "clientId", "clientSecret" and "refreshToken" together`
	configtest.Run(t, valid, []configtest.Case[config.Config]{
		{Name: "access token", Change: func(*config.Config) {}, Want: ""},
		{Name: "OAuth app", Change: oauth("id", "secret", "refresh"), Want: ""},
		{Name: "nothing", Change: oauth("", "", ""), Want: `"accessToken": is not set: sign in with "accessToken" (a private app's token), or with "clientId", "clientSecret" and "refreshToken" (an OAuth app)`},
		{Name: "client id alone", Change: oauth("id", "", ""), Want: `"clientSecret": is not set, while "clientId" is set` + missing},
		{Name: "client secret alone", Change: oauth("", "secret", ""), Want: `"clientId": is not set, while "clientSecret" is set` + missing},
		{Name: "refresh token alone", Change: oauth("", "", "refresh"), Want: `"clientId": is not set, while "refreshToken" is set` + missing},
		{Name: "no refresh token", Change: oauth("id", "secret", ""), Want: `"refreshToken": is not set, while "clientId" and "clientSecret" are set` + missing},
		{Name: "no client secret", Change: oauth("id", "", "refresh"), Want: `"clientSecret": is not set, while "clientId" and "refreshToken" are set` + missing},
		{Name: "no client id", Change: oauth("", "secret", "refresh"), Want: `"clientId": is not set, while "clientSecret" and "refreshToken" are set` + missing},
		{Name: "token and OAuth app", Change: func(c *config.Config) { oauth("id", "secret", "refresh")(c); c.AccessToken = "pat" },
			Want: both + `"clientId" and "clientSecret" and "refreshToken" are set: sign in one way, with "accessToken" or with "clientId", "clientSecret" and "refreshToken"`},
		{Name: "token and a refresh token", Change: func(c *config.Config) { c.RefreshToken = "refresh" }, Want: both + `"refreshToken" is set`},
		{Name: "client secret with a space", Change: oauth("id", "sec ret", "refresh"), Want: `"clientSecret": must not contain white space`},
		{Name: "refresh token with a newline", Change: oauth("id", "secret", "refresh\n"), Want: `"refreshToken": must not contain white space`},
		{Name: "client id with a tab", Change: oauth("\tid", "secret", "refresh"), Want: `"clientId": must not contain white space`},
	})
}

// TestValidateNeverShowsOAuthSecrets: no message of a broken sign-in holds
// a value of the OAuth settings.
func TestValidateNeverShowsOAuthSecrets(t *testing.T) {
	is := is.New(t)
	for _, c := range []config.Config{
		{AccessToken: "pat-value-1", ClientID: "client-value-2", ClientSecret: "secret-value-3", RefreshToken: "refresh-value-4", Resource: "contacts"},
		{ClientSecret: "secret value-3", RefreshToken: "refresh-value-4", Resource: "contacts"},
		{ClientID: "client-value-2", ClientSecret: "secret-value-3 ", RefreshToken: "refresh-value-4", Resource: "contacts"},
	} {
		err := c.Validate(context.Background())
		is.True(err != nil)
		for _, v := range []string{"value-1", "value-2", "value-3", "value-4"} {
			is.True(!strings.Contains(err.Error(), v))
		}
	}
}

// TestValidateEveryRule: one configuration that breaks every rule gets one
// error for each, in one message.
func TestValidateEveryRule(t *testing.T) {
	is := is.New(t)
	c := config.Config{AccessToken: " pat", Resource: "widgets", MaxRetries: 99, BaseURL: "ftp://x", RateLimitPercent: 101, AccountTimeZone: "Mars/Olympus"}
	err := c.Validate(context.Background())
	is.True(err != nil)
	lines := strings.Split(err.Error(), "\n")
	is.Equal(len(lines), 6)
	for i, param := range []string{"resource", "maxRetries", "baseURL", "rateLimitPercent", "accountTimeZone", "accessToken"} {
		is.True(strings.HasPrefix(lines[i], `"`+param+`": `))
	}
}

// TestValidateNeverShowsTheToken: no message holds the token's value, nor
// a part of it, whatever else is wrong.
func TestValidateNeverShowsTheToken(t *testing.T) {
	for _, token := range []string{"pat-na1-0123 4567-89ab", " pat-na1-0123456789ab", "pat-na1-0123456789ab\t", "pat-na1-0123456789ab"} {
		t.Run(token, func(t *testing.T) {
			is := is.New(t)
			c := config.Config{AccessToken: token, Resource: "widgets", MaxRetries: -1, BaseURL: "http://example.com"}
			err := c.Validate(context.Background())
			is.True(err != nil)
			for _, part := range strings.Fields(token) {
				is.True(!strings.Contains(err.Error(), part))
			}
		})
	}
}

// settings embeds the shared configuration, as the source's and the
// destination's do, with rules of its own.
type settings struct {
	config.Config
	Name string `json:"name" check:"lowercase"`
	Nick string `json:"nick"`
}

// TestChecker: errors name the parameters of an embedded struct by their
// leaf json name, named and across rules run for an embedded struct too,
// and several across rules of one type all run.
func TestChecker(t *testing.T) {
	is := is.New(t)
	c := config.NewChecker()
	config.Rule(c, "lowercase", func(s string) error {
		if strings.ToLower(s) != s {
			return errors.New("must be lowercase")
		}
		return nil
	})
	config.Across(c, "nick", func(s settings) (string, error) {
		if s.Nick == s.Name {
			return "nick", errors.New("must differ from the name")
		}
		return "", nil
	})
	config.Across(c, "long", func(s settings) (string, error) {
		if len(s.Nick) > 3 {
			return "nick", errors.New("is too long")
		}
		return "", nil
	})
	s := settings{Config: valid(), Name: "Ann", Nick: "Ann"}
	s.MaxRetries = 11
	err := c.Check(&s)
	is.True(err != nil)
	is.Equal(err.Error(), `"maxRetries": 11 is more than 10`+"\n"+`"name": must be lowercase`+"\n"+`"nick": must differ from the name`)
	s.Nick = "Annie"
	err = c.Check(&s)
	is.True(err != nil)
	is.True(strings.HasSuffix(err.Error(), `"nick": is too long`))
}
