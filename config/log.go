package config

import (
	"context"
	"log/slog"

	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/rs/zerolog"
)

// traceHandler sends the HubSpot client's log lines to the connector's
// logger (sdk.Logger of the request's context) at trace level: one line per
// request is detail, not news. Warnings (a pause for the daily limit) stay
// warnings: they are news.
type traceHandler struct {
	attrs []slog.Attr
}

func (h traceHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return sdk.Logger(ctx).GetLevel() <= zerologLevel(level)
}

// zerologLevel is the connector's level for a client line's level.
func zerologLevel(level slog.Level) zerolog.Level {
	if level >= slog.LevelWarn {
		return zerolog.WarnLevel
	}
	return zerolog.TraceLevel
}

func (h traceHandler) Handle(ctx context.Context, rec slog.Record) error {
	ev := sdk.Logger(ctx).WithLevel(zerologLevel(rec.Level))
	add := func(a slog.Attr) bool {
		ev = ev.Interface(a.Key, a.Value.Any())
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	rec.Attrs(add)
	ev.Msg(rec.Message)
	return nil
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

// WithGroup is not needed by the client; groups are flattened.
func (h traceHandler) WithGroup(string) slog.Handler { return h }
