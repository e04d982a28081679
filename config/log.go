package config

import (
	"context"
	"log/slog"

	sdk "github.com/conduitio/conduit-connector-sdk"
	"github.com/rs/zerolog"
)

// traceHandler sends the HubSpot client's log lines to the connector's
// logger (sdk.Logger of the request's context) at trace level: one line per
// request is detail, not news.
type traceHandler struct {
	attrs []slog.Attr
}

func (h traceHandler) Enabled(ctx context.Context, _ slog.Level) bool {
	return sdk.Logger(ctx).GetLevel() <= zerolog.TraceLevel
}

func (h traceHandler) Handle(ctx context.Context, rec slog.Record) error {
	ev := sdk.Logger(ctx).Trace()
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
