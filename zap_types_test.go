package jsonlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"go.uber.org/zap/zapcore"
)

// Values for the zap tests: marshalers, stringers and errors, well-behaved
// and hostile.

// fixedEntry is the entry most zap tests encode.
var fixedEntry = zapcore.Entry{
	Level:      zapcore.WarnLevel,
	Time:       time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
	LoggerName: "app.sub",
	Message:    "hello \"world\"",
}

// zObj is an ObjectMarshaler writing a few members in a fixed order.
type zObj struct {
	Name string
	N    int
}

func (o zObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("name", o.Name)
	enc.AddInt("n", o.N)
	enc.AddBool("b", true)
	return nil
}

// zFailObj writes one member, then fails.
type zFailObj struct{}

func (zFailObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("partial", 1)
	return errors.New("obj failed")
}

// zPanicObj writes one member, then panics.
type zPanicObj struct{}

func (zPanicObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("partial", 1)
	panic("obj boom")
}

// zNSObj opens a namespace inside the object.
type zNSObj struct{}

func (zNSObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("z", "outer")
	enc.OpenNamespace("inner")
	enc.AddInt("y", 2)
	enc.AddInt("a", 1)
	return nil
}

// zDeepObj nests objects and arrays.
type zDeepObj struct{}

func (zDeepObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("s", "v")
	_ = enc.AddObject("obj", zObj{"in", 2})
	_ = enc.AddArray("arr", zArr{zObj{"x", 1}, 7, "str", zIntArr{1, 2}})
	enc.AddTime("t", time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC))
	enc.AddDuration("d", 1500*time.Millisecond)
	_ = enc.AddReflected("r", map[string]int{"b": 2, "a": 1})
	enc.AddComplex128("c", complex(1, -2))
	enc.AddBinary("bin", []byte{1, 2, 3})
	enc.AddByteString("bs", []byte("b\xffs"))
	enc.AddFloat32("f32", 0.1)
	enc.AddUintptr("up", 9)
	return nil
}

// zArr is an ArrayMarshaler over mixed elements.
type zArr []any

func (a zArr) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, v := range a {
		switch x := v.(type) {
		case zapcore.ObjectMarshaler:
			if err := enc.AppendObject(x); err != nil {
				return err
			}
		case zapcore.ArrayMarshaler:
			if err := enc.AppendArray(x); err != nil {
				return err
			}
		case int:
			enc.AppendInt(x)
		case string:
			enc.AppendString(x)
		case float64:
			enc.AppendFloat64(x)
		case time.Time:
			enc.AppendTime(x)
		case time.Duration:
			enc.AppendDuration(x)
		case complex64:
			enc.AppendComplex64(x)
		case []byte:
			enc.AppendByteString(x)
		case bool:
			enc.AppendBool(x)
		case uint8:
			enc.AppendUint8(x)
		default:
			if err := enc.AppendReflected(x); err != nil {
				return err
			}
		}
	}
	return nil
}

type zIntArr []int

func (a zIntArr) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, v := range a {
		enc.AppendInt(v)
	}
	return nil
}

// zFailArr appends one element, then fails.
type zFailArr struct{}

func (zFailArr) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	enc.AppendInt(1)
	return errors.New("arr failed")
}

// zPanicArr appends one element, then panics.
type zPanicArr struct{}

func (zPanicArr) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	enc.AppendInt(1)
	panic("arr boom")
}

// zStringer is a Stringer with a pointer receiver that reads its field.
type zStringer struct{ s string }

func (s *zStringer) String() string { return s.s }

// zPanicStringer panics in String.
type zPanicStringer struct{}

func (zPanicStringer) String() string { panic("stringer boom") }

// zErr is an error with a pointer receiver (a typed nil panics in Error).
type zErr struct{ msg string }

func (e *zErr) Error() string { return e.msg }

// zVerboseErr formats itself differently with %+v.
type zVerboseErr struct{}

func (zVerboseErr) Error() string { return "short" }
func (zVerboseErr) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('+') {
		_, _ = io.WriteString(s, "short\n\tat main.go:1")
		return
	}
	_, _ = io.WriteString(s, "short")
}

// zPanicErr panics in Error.
type zPanicErr struct{}

func (zPanicErr) Error() string { panic("error boom") }

// zPanicJSON panics in MarshalJSON.
type zPanicJSON struct{}

func (zPanicJSON) MarshalJSON() ([]byte, error) { panic("json boom") }

// zFailJSON returns an error from MarshalJSON.
type zFailJSON struct{}

func (zFailJSON) MarshalJSON() ([]byte, error) { return nil, errors.New("json failed") }

// zStruct is a small struct for zap.Any.
type zStruct struct {
	Zed   string            `json:"zed"`
	Alpha int               `json:"alpha"`
	Inner map[string]string `json:"inner,omitempty"`
	When  time.Time         `json:"when"`
}

// zLeveled is json.Marshaler writing an object with unsorted keys.
type zRawJSON struct{}

func (zRawJSON) MarshalJSON() ([]byte, error) { return []byte(`{"b": 1, "a": [true, null]}`), nil }

var _ json.Marshaler = zRawJSON{}
